"""Sections of a cleaned article: a heading and its blocks (paragraph lines and list items)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Tuple

from knowledge.lines import is_bullet, looks_like_heading


@dataclass(frozen=True)
class Block:
    """One non-empty line of the cleaned text: a paragraph or a list item, by its span."""

    kind: str  # "paragraph" or "item"
    start: int
    end: int


@dataclass(frozen=True)
class Section:
    heading: str
    blocks: Tuple[Block, ...]


def split_sections(text: str, first_heading: str) -> List[Section]:
    """Split `text` at heading lines; content before the first heading goes under `first_heading`.

    A heading-like line only opens a section when content follows it before the next
    heading; sections without content are left out.
    """
    sections: List[Section] = []
    heading = first_heading
    blocks: List[Block] = []
    for start, end in _line_spans(text):
        line = text[start:end]
        if looks_like_heading(line):
            if blocks:
                sections.append(Section(heading, tuple(blocks)))
            heading, blocks = line.strip(), []
        else:
            blocks.append(Block("item" if is_bullet(line) else "paragraph", start, end))
    if blocks:
        sections.append(Section(heading, tuple(blocks)))
    return sections


def _line_spans(text: str) -> List[Tuple[int, int]]:
    """Spans of the non-empty lines of `text`, without their trailing whitespace."""
    spans, offset = [], 0
    for line in text.splitlines(keepends=True):
        content = line.rstrip()
        if content.strip():
            spans.append((offset, offset + len(content)))
        offset += len(line)
    return spans
