"""Passages: chat-sized pieces of a section, with a deterministic id and their span in the source.

A passage keeps its section heading, keeps a list together with the sentence that introduces
it, and aims at MIN_WORDS..MAX_WORDS words; a long list is split into balanced groups, each
group after the first repeating the introducing sentence as its `lead`.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import asdict, dataclass, replace
from itertools import groupby
from pathlib import Path
from typing import Iterable, List, Sequence, Tuple

from knowledge.aspects import passage_aspects
from knowledge.cleaning import CleanedDocument
from knowledge.lines import BULLET, sentence_spans, word_count
from knowledge.review import Review
from knowledge.sections import Block, Section, split_sections

MIN_WORDS = 40
MAX_WORDS = 120


@dataclass(frozen=True)
class Passage:
    """A retrievable piece of a document. `text` is exactly `cleaned_text[start:end]`."""

    id: str
    doc_id: str
    doc_title: str
    section: str
    text: str
    start: int
    end: int
    lead: str = ""  # the sentence introducing a list, when it lies before `start`
    aspects: Tuple[str, ...] = ()  # what it is about (knowledge.aspects.ASPECTS), strongest first
    warning: str = ""  # the review's warnings, always shown with the passage

    @property
    def content(self) -> str:
        """The passage as a reader sees it: the lead (if any), then the text, one item a line."""
        lines = [self.lead] if self.lead else []
        for line in self.text.splitlines():
            line = line.strip()
            if line:
                lines.append(BULLET.sub(lambda m: m.group(0).strip() + " ", line, count=1))
        return "\n".join(lines)

    @property
    def words(self) -> int:
        return word_count(self.content)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Passage":
        return cls(**{**data, "aspects": tuple(data.get("aspects", ()))})


@dataclass(frozen=True)
class _Piece:
    start: int
    end: int
    words: int
    lead: str = ""


def split_into_passages(cleaned: CleanedDocument, review: Review = Review()) -> List[Passage]:
    """Split a cleaned document into passages, in document order, with the review's warnings."""
    document, text = cleaned.document, cleaned.text
    passages = []
    for section in split_sections(text, document.title):
        for piece in _merge_small(_pieces(section, text)):
            body = text[piece.start : piece.end]
            passage = Passage(
                id=passage_id(document.id, section.heading, piece.lead, body),
                doc_id=document.id,
                doc_title=document.title,
                section=section.heading,
                text=body,
                start=piece.start,
                end=piece.end,
                lead=piece.lead,
            )
            passages.append(
                replace(
                    passage,
                    aspects=passage_aspects(passage.section, passage.content),
                    warning=review.warning(passage.content),
                )
            )
    _check_unique_ids(passages)
    return passages


def passage_id(doc_id: str, section: str, lead: str, text: str) -> str:
    """Deterministic id: the document id and a hash of the passage's own content."""
    digest = hashlib.sha1("\x1f".join((doc_id, section, lead, text)).encode("utf-8")).hexdigest()
    return f"{doc_id}-{digest[:10]}"


def passages_to_jsonl(passages: Iterable[Passage]) -> str:
    """One JSON object per line, keys sorted: the same passages always give the same bytes."""
    return "".join(json.dumps(p.to_dict(), ensure_ascii=False, sort_keys=True) + "\n" for p in passages)


def write_passages(path: Path, passages: Iterable[Passage]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(passages_to_jsonl(passages), encoding="utf-8")


def passages_from_jsonl(text: str) -> List[Passage]:
    return [Passage.from_dict(json.loads(line)) for line in text.splitlines() if line.strip()]


def read_passages(path: Path) -> List[Passage]:
    return passages_from_jsonl(path.read_text(encoding="utf-8"))


def _pieces(section: Section, text: str) -> List[_Piece]:
    """Cut a section into pieces of at most MAX_WORDS (a single longer sentence or item stays whole).

    The section is a sequence of runs of paragraphs and runs of list items; the last paragraph
    before a list introduces it and is cut with the list.
    """
    runs = [(is_list, list(blocks)) for is_list, blocks in groupby(section.blocks, key=lambda b: b.kind == "item")]
    pieces: List[_Piece] = []
    for position, (is_list, blocks) in enumerate(runs):
        if is_list:
            intro = runs[position - 1][1][-1] if position > 0 else None
            pieces += _list_pieces(intro, blocks, text)
            continue
        introduces_list = position + 1 < len(runs)
        for block in blocks[:-1] if introduces_list else blocks:
            pieces += _paragraph_pieces(block.start, block.end, text)
    return pieces


def _paragraph_pieces(start: int, end: int, text: str) -> List[_Piece]:
    if word_count(text[start:end]) <= MAX_WORDS:
        return [_Piece(start, end, word_count(text[start:end]))]
    sentences = [(start + a, start + b) for a, b in sentence_spans(text[start:end])]
    return _grouped(sentences, text, lead="", budget=MAX_WORDS)


def _list_pieces(intro: "Block | None", items: Sequence[Block], text: str) -> List[_Piece]:
    start = intro.start if intro else items[0].start
    if word_count(text[start : items[-1].end]) <= MAX_WORDS:
        return [_Piece(start, items[-1].end, word_count(text[start : items[-1].end]))]
    pieces: List[_Piece] = []
    lead_start = start
    lead = ""
    if intro:
        # Only the intro's last sentence travels with the list; the rest is a paragraph.
        sentences = sentence_spans(text[intro.start : intro.end])
        a, b = sentences[-1]
        lead_start, lead = intro.start + a, text[intro.start + a : intro.start + b]
        if len(sentences) > 1:
            pieces += _paragraph_pieces(intro.start, intro.start + sentences[-2][1], text)
    spans = [(item.start, item.end) for item in items]
    groups = _grouped(spans, text, lead=lead, budget=MAX_WORDS - word_count(lead))
    first = groups[0]
    pieces.append(_Piece(lead_start, first.end, first.words + word_count(lead)))
    return pieces + groups[1:]


def _grouped(spans: Sequence[Tuple[int, int]], text: str, lead: str, budget: int) -> List[_Piece]:
    """Group consecutive spans into pieces of balanced size, each within `budget` words."""
    sizes = [word_count(text[a:b]) for a, b in spans]
    lead_words = word_count(lead)
    pieces: List[_Piece] = []
    for group in _balanced(sizes, max(budget, 1)):
        a, b = spans[group[0]][0], spans[group[-1]][1]
        words = sum(sizes[g] for g in group)
        pieces.append(_Piece(a, b, words + (lead_words if pieces else 0), lead if pieces else ""))
    return pieces


def _balanced(sizes: Sequence[int], capacity: int) -> List[List[int]]:
    """Partition indexes into the fewest consecutive groups within `capacity` (an item larger than
    `capacity` stands alone), making the largest group as small as that count allows."""

    def greedy(limit: int) -> List[List[int]]:
        groups: List[List[int]] = [[]]
        filled = 0
        for index, size in enumerate(sizes):
            if groups[-1] and filled + size > limit:
                groups.append([])
                filled = 0
            groups[-1].append(index)
            filled += size
        return groups

    capacity = max(capacity, 1)
    fewest = len(greedy(capacity))  # filling greedily gives the fewest groups
    low, high = min(math.ceil(sum(sizes) / fewest), capacity), capacity
    while low < high:  # the smallest limit that still needs no more groups
        middle = (low + high) // 2
        if len(greedy(middle)) <= fewest:
            high = middle
        else:
            low = middle + 1
    return greedy(low)


def _merge_small(pieces: List[_Piece]) -> List[_Piece]:
    """Join neighbouring pieces of a section when one is under MIN_WORDS and both fit MAX_WORDS."""
    merged: List[_Piece] = []
    for piece in pieces:
        previous = merged[-1] if merged else None
        if (
            previous is not None
            and not piece.lead
            and (previous.words < MIN_WORDS or piece.words < MIN_WORDS)
            and previous.words + piece.words <= MAX_WORDS
        ):
            merged[-1] = _Piece(previous.start, piece.end, previous.words + piece.words, previous.lead)
        else:
            merged.append(piece)
    return merged


def _check_unique_ids(passages: Sequence[Passage]) -> None:
    seen = set()
    for passage in passages:
        if passage.id in seen:
            raise ValueError(f"Two passages of {passage.doc_id} share id {passage.id}: duplicate text?")
        seen.add(passage.id)
