"""Answers from retrieved passages: each passage within a length budget, its warning and its source,
as data that every channel renders its own way, and as plain text for clients that want text."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any, Dict, List, Optional, Sequence

from embeddings.search import Hit

_SENTENCE_END = re.compile(r"[.!?;](?=\s|$)")


@dataclass(frozen=True)
class Answer:
    """One passage as the bot shows it."""

    passage: str  # the passage's text, within the answer's budget
    title: str  # its document's title
    section: Optional[str]  # its section, None when that is the title
    warning: Optional[str]  # the review's warning, if any

    @classmethod
    def from_hit(cls, hit: Hit, budget_chars: int) -> "Answer":
        passage = hit.passage
        section = passage.section.strip()
        same_as_title = section.lower() == passage.doc_title.strip().lower()
        return cls(
            shorten(passage.content, budget_chars),
            passage.doc_title,
            section if section and not same_as_title else None,
            passage.warning or None,
        )

    @property
    def source(self) -> str:
        """The source as a line of text: "Sumber: <title> — bagian “<section>”"."""
        if self.section is None:
            return f"Sumber: {self.title}"
        return f"Sumber: {self.title} — bagian \u201c{self.section}\u201d"

    @property
    def text(self) -> str:
        """The plain-text rendering: the passage, the warning and the source, each on its own line."""
        return "\n".join(part for part in (self.passage, self.warning, self.source) if part)

    def payload(self) -> Dict[str, Any]:
        """The custom payload channels render: `{"answer": {passage, title, section, warning, source}}`."""
        return {"answer": {**asdict(self), "source": self.source}}


def answers(hits: Sequence[Hit], budget_chars: int) -> List[Answer]:
    """One answer per passage, best first, with at most `budget_chars` of passage text in all (the
    retriever only selects a second passage when the first leaves room)."""
    shown, remaining = [], budget_chars
    for hit in hits:
        answer = Answer.from_hit(hit, remaining)
        remaining -= len(answer.passage)
        shown.append(answer)
    return shown


def shorten(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters; else its whole lines that fit, else its whole
    sentences, else its words, followed by " …" or a line "…", all within `limit`."""
    if len(text) <= limit:
        return text
    room = limit - 2  # for the ellipsis and the space or newline before it
    kept: List[str] = []
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
