"""Chat and regional Indonesian brought to one spelling for the safety patterns.

Lower-cased; chat words ("gk", "sesek", "bgt", "tb2") and Javanese and Sundanese words ("ora",
"abuh", "teu", "sikil") become the words of the glossary (embeddings/glossary.yml, the tables
retrieval reads too), "&" becomes "dan", and reduplication written with a 2 ("kejang2") is spelled
out ("kejang-kejang"). Every normalized word knows the span of the message it came from, so that
what the patterns find can be cut from the message itself (`Normalized.raw_span`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import List, Mapping, Tuple

from embeddings.indonesian import safety_words, without_accents

_REDUPLICATED = re.compile(r"\b([a-z]+)2(?=\b|[a-z])")
_REPEATED_LETTERS = re.compile(r"([a-z])\1{2,}")
_TOKEN = re.compile(r"[a-z0-9'-]+|&")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Normalized:
    """A message in the patterns' spelling, and where each of its words came from."""

    text: str
    # (start, end) in `text` of each normalized word, and (start, end) in the message of the word it came from
    words: Tuple[Tuple[int, int, int, int], ...]

    def raw_span(self, start: int, end: int) -> Tuple[int, int]:
        """The span of the message whose words gave `text[start:end]` ((0, 0) if none did)."""
        inside = [(raw_start, raw_end) for s, e, raw_start, raw_end in self.words if s < end and e > start]
        return (inside[0][0], inside[-1][1]) if inside else (0, 0)


def normalize(text: str) -> str:
    """`text` in the spelling the safety patterns are written in."""
    return normalized(text).text


def normalized(raw: str) -> Normalized:
    """`raw` in the patterns' spelling, with the origin of every word: each word replaced by its
    formal spelling, each run of spaces made one, the ends stripped."""
    # Lower-cased and unaccented character by character, so that positions in `raw` stay valid.
    lowered = without_accents("".join(char.lower()[:1] or char for char in raw).replace("\u2019", "'"))
    pieces: List[str] = []
    spans: List[Tuple[int, int, int, int]] = []
    length = position = 0
    for match in _TOKEN.finditer(lowered):
        gap = _SPACE.sub(" ", lowered[position : match.start()])
        if not pieces:
            gap = gap.lstrip()
        elif not gap and "&" in (match.group(0), lowered[position - 1]):
            gap = " "  # "a&b" reads "a dan b"
        word = _formal(match.group(0))
        pieces += [gap, word]
        length += len(gap)
        spans.append((length, length + len(word), match.start(), match.end()))
        length += len(word)
        position = match.end()
    pieces.append(_SPACE.sub(" ", lowered[position:]) if pieces else lowered[position:].strip())
    return Normalized("".join(pieces).rstrip(), tuple(spans))


@lru_cache(maxsize=1)
def _words() -> Mapping[str, str]:
    return safety_words()


def _formal(word: str) -> str:
    """A word in the glossary's spelling; in a hyphenated word each part, except that a chat word
    for a reduplicated word said twice ("tb2", read "tb-tb") is that word once ("tiba-tiba")."""
    if word == "&":
        return "dan"
    word = _REDUPLICATED.sub(lambda m: f"{m.group(1)}-{m.group(1)}", _REPEATED_LETTERS.sub(r"\1", word))
    table = _words()
    if word in table:
        return table[word]
    parts = word.split("-")
    if len(set(parts)) == 1 and "-" in table.get(parts[0], ""):
        return table[parts[0]]
    return "-".join(table.get(part, part) for part in parts)
