"""Chat messages from retrieved passages: the passage text within a length budget, and its source."""

from __future__ import annotations

import re
from typing import List, Sequence

from embeddings.search import Hit

# A second passage is only worth showing with at least this much room left.
MIN_SECOND_PASSAGE_CHARS = 200
_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")


def answer_messages(hits: Sequence[Hit], budget_chars: int) -> List[str]:
    """One message per passage shown, best first, with at most `budget_chars` of passage text."""
    messages, remaining = [], budget_chars
    for hit in hits:
        if messages and remaining < MIN_SECOND_PASSAGE_CHARS:
            break
        body = shorten(hit.passage.content, remaining)
        remaining -= len(body)
        messages.append(f"{body}\n{source_line(hit)}")
    return messages


def source_line(hit: Hit) -> str:
    passage = hit.passage
    if passage.section.strip().lower() == passage.doc_title.strip().lower():
        return f"Sumber: {passage.doc_title}"
    return f"Sumber: {passage.doc_title} — bagian \u201c{passage.section}\u201d"


def shorten(text: str, limit: int) -> str:
    """`text` if it fits; else whole lines that fit, else whole sentences, else words, ending with …"""
    if len(text) <= limit:
        return text
    lines, kept = text.splitlines(), []
    for line in lines:
        if len("\n".join(kept + [line])) > limit - 1:
            break
        kept.append(line)
    if kept:
        return "\n".join(kept) + "\n…"
    head = text[: limit - 1]
    ends = [match.end() for match in _SENTENCE_END.finditer(head)]
    if ends:
        return head[: ends[-1]] + " …"
    return head.rsplit(" ", 1)[0] + " …"
