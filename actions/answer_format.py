"""Chat messages from retrieved passages: the passage text within a length budget, and its source."""

from __future__ import annotations

import re
from typing import List, Sequence

from embeddings.search import Hit

_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")


def answer_messages(hits: Sequence[Hit], budget_chars: int) -> List[str]:
    """One message per passage, best first: its text (at most `budget_chars` of passage text in
    all; the retriever only selects a second passage when the first leaves room), the review's
    warning if any, and its source."""
    messages, remaining = [], budget_chars
    for hit in hits:
        body = shorten(hit.passage.content, remaining)
        remaining -= len(body)
        warning = f"\n{hit.passage.warning}" if hit.passage.warning else ""
        messages.append(f"{body}{warning}\n{source_line(hit)}")
    return messages


def source_line(hit: Hit) -> str:
    passage = hit.passage
    if passage.section.strip().lower() == passage.doc_title.strip().lower():
        return f"Sumber: {passage.doc_title}"
    return f"Sumber: {passage.doc_title} — bagian \u201c{passage.section}\u201d"


def shorten(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters; else its whole lines that fit, else its whole
    sentences, else its words, followed by " …" or a line "…", all within `limit`."""
    if len(text) <= limit:
        return text
    room = limit - 2  # for the ellipsis and the space or newline before it
    kept = []
    for line in text.splitlines():
        if len("\n".join(kept + [line])) > room:
            break
        kept.append(line)
    if kept:
        return "\n".join(kept) + "\n…"
    head = text[:room]
    ends = [match.end() for match in _SENTENCE_END.finditer(head)]
    cut = ends[-1] if ends else (head.rfind(" ") if " " in head else room)
    return head[:cut].rstrip() + " …"
