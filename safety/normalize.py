"""Chat Indonesian brought to one spelling for the safety patterns.

Lower-cased; chat words ("gk", "sesek", "bgt", "tb2") become the words of the glossary's chat table
(`informal` in embeddings/glossary.yml, the one table retrieval reads too), "&" becomes "dan", and
reduplication written with a 2 ("kejang2") is spelled out ("kejang-kejang").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Mapping

from embeddings.indonesian import chat_words

_REDUPLICATED = re.compile(r"\b([a-z]+)2(?=\b|[a-z])")
_REPEATED_LETTERS = re.compile(r"([a-z])\1{2,}")
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z0-9'-]+")


def normalize(text: str) -> str:
    """`text` in the spelling the safety patterns are written in."""
    text = text.lower().replace("\u2019", "'").replace("&", " dan ")
    text = _REPEATED_LETTERS.sub(r"\1", text)
    text = _REDUPLICATED.sub(lambda m: f"{m.group(1)}-{m.group(1)}", text)
    return _SPACES.sub(" ", _TOKEN.sub(_formal, text)).strip()


@lru_cache(maxsize=1)
def _words() -> Mapping[str, str]:
    return chat_words()


def _formal(match: "re.Match[str]") -> str:
    """A word in the glossary's spelling; in a hyphenated word each part, except that a chat word
    for a reduplicated word said twice ("tb2", read "tb-tb") is that word once ("tiba-tiba")."""
    word, table = match.group(0), _words()
    if word in table:
        return table[word]
    parts = word.split("-")
    if len(set(parts)) == 1 and "-" in table.get(parts[0], ""):
        return table[parts[0]]
    return "-".join(table.get(part, part) for part in parts)
