"""Cleaning: drop the lines of an article that are not content, and say why for each.

Dropped: image markers, tables of contents and their entries, author bylines, photo
credits, "read more" links, promotions of products or shops, a repeated title, and the
sentences the review (knowledge/review.yml) excludes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Tuple

from knowledge.documents import Document
from knowledge.lines import looks_like_heading, word_count
from knowledge.review import Review

_RULES: Tuple[Tuple[str, "re.Pattern[str]"], ...] = tuple(
    (reason, re.compile(pattern, re.IGNORECASE))
    for reason, pattern in (
        ("image_marker", r"^(image|gambar|foto|photo)$"),
        ("table_of_contents", r"^(daftar isi|isi artikel|table of contents)\s*:?$"),
        ("byline", r"^(anonim|anonymous|oleh\s+\w+(\s+\w+)?)$"),
        ("photo_credit", r"\b(kredit|credit|sumber foto)\s*:"),
        ("read_more_link", r"^(baca (lebih lanjut|juga|selengkapnya)|cari tahu lebih lanjut|lihat juga)\b"),
        (
            "promotion",
            r"\b(dapat dipesan|pesan sekarang|beli sekarang|diskon|promo|kode kupon|situs web"
            r"|www\.\S+|\w+\.com\b|pembaca kami berhasil|menawarkannya kepada anda)",
        ),
    )
)
_TOC_ENTRY_MAX_WORDS = 6


@dataclass(frozen=True)
class DroppedLine:
    doc_id: str
    line_number: int  # 1-based, in the original file
    reason: str
    text: str


@dataclass(frozen=True)
class CleanedDocument:
    document: Document
    text: str  # the kept lines; passage spans index into this text
    dropped: Tuple[DroppedLine, ...]


def clean(document: Document, review: Review = Review()) -> CleanedDocument:
    """Keep the content lines of `document`, without the sentences `review` excludes, collapsing
    runs of blank lines to one."""
    kept: List[str] = []
    dropped: List[DroppedLine] = []
    title = document.title.strip().casefold()
    in_toc = False
    seen_content = False
    for number, raw in enumerate(document.text.splitlines(), start=1):
        line = raw.rstrip()
        text = line.strip()
        if not text:
            in_toc = False
            if kept and kept[-1]:
                kept.append("")
            continue
        reason = _reason_to_drop(text)
        if reason is None:
            line, excluded = review.edit(line)
            dropped += [DroppedLine(document.id, number, f"review: {why}", sentence) for why, sentence in excluded]
            text = line.strip()
            if not text:
                in_toc = False
                continue
        if reason is None and in_toc and _is_toc_entry(text):
            reason = "table_of_contents"
        if reason is None and seen_content and text.casefold() == title:
            reason = "repeated_title"
        if reason:
            in_toc = reason == "table_of_contents"
            dropped.append(DroppedLine(document.id, number, reason, text))
            continue
        in_toc = False
        seen_content = True
        kept.append(line)
    return CleanedDocument(document, "\n".join(kept).strip("\n") + "\n", tuple(dropped))


def _reason_to_drop(text: str) -> "str | None":
    for reason, pattern in _RULES:
        if pattern.search(text):
            return reason
    return None


def _is_toc_entry(text: str) -> bool:
    return looks_like_heading(text) and word_count(text) <= _TOC_ENTRY_MAX_WORDS
