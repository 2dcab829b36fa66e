"""Line and sentence shapes shared by cleaning and sectioning: bullets, headings, words."""

from __future__ import annotations

import re
from typing import List, Tuple

BULLET = re.compile(r"^\s*(?:[•\-*–]|\d{1,2}[.)])\s+")
_WORD = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9])")
_NOT_A_HEADING_END = (".", ",", ";", ":", "!", "…")

HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 90


def is_bullet(line: str) -> bool:
    return bool(BULLET.match(line))


def looks_like_heading(line: str) -> bool:
    """A short line that is not a bullet and does not end like a sentence or a list intro.

    Questions count as headings ("Apa yang menyebabkan kram ...?"): in these articles a
    question on a line of its own always introduces a section.
    """
    text = line.strip()
    return (
        bool(text)
        and not is_bullet(line)
        and len(text) <= HEADING_MAX_CHARS
        and word_count(text) <= HEADING_MAX_WORDS
        and not text.endswith(_NOT_A_HEADING_END)
    )


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def sentence_spans(text: str) -> List[Tuple[int, int]]:
    """(start, end) of each sentence in `text`: a break is `.`, `!` or `?` before a capital or digit."""
    spans, start = [], 0
    for gap in _SENTENCE_END.finditer(text):
        spans.append((start, gap.start()))
        start = gap.end()
    spans.append((start, len(text.rstrip())))
    return [(a, b) for a, b in spans if b > a]
