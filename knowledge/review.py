"""The review of the documents (knowledge/review.yml): sentences left out, warnings attached.

A clinician edits the YAML file; ingestion applies it, so excluded text never reaches a passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple

import yaml

from knowledge.lines import BULLET, sentence_spans

REVIEW_PATH = Path(__file__).resolve().parent / "review.yml"


@dataclass(frozen=True)
class Exclusion:
    pattern: "re.Pattern[str]"
    reason: str


@dataclass(frozen=True)
class Warning:
    pattern: "re.Pattern[str]"
    text: str


@dataclass(frozen=True)
class Review:
    exclusions: Tuple[Exclusion, ...] = ()
    warnings: Tuple[Warning, ...] = ()

    def exclusion(self, text: str) -> Optional[str]:
        """Why `text` is left out, or None if it is kept."""
        return next((e.reason for e in self.exclusions if e.pattern.search(text)), None)

    def edit(self, line: str) -> Tuple[str, List[Tuple[str, str]]]:
        """`line` without its excluded sentences ("" if none is left; a list item keeps its
        bullet), and (reason, sentence) for each sentence left out."""
        bullet = BULLET.match(line)
        prefix = bullet.group(0) if bullet else ""
        body = line[len(prefix) :]
        kept, removed = [], []
        for start, end in sentence_spans(body):
            sentence = body[start:end].strip()
            reason = self.exclusion(sentence)
            if reason:
                removed.append((reason, sentence))
            else:
                kept.append(sentence)
        if not removed:
            return line, []
        return (prefix + " ".join(kept) if kept else ""), removed

    def warning(self, text: str) -> str:
        """The warnings that go with a passage of `text`, one per line ("" if none)."""
        return "\n".join(w.text for w in self.warnings if w.pattern.search(text))


def load_review(path: Path = REVIEW_PATH) -> Review:
    """Read a review file; an invalid pattern or a missing field is an error naming the entry."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        return Review(
            exclusions=tuple(Exclusion(_compile(e["pattern"]), e["reason"].strip()) for e in data.get("exclude", [])),
            warnings=tuple(Warning(_compile(w["pattern"]), w["warning"].strip()) for w in data.get("warn", [])),
        )
    except (KeyError, TypeError, re.error) as error:
        raise ValueError(f"{path}: invalid review entry: {error}") from error


def _compile(pattern: str) -> "re.Pattern[str]":
    return re.compile(pattern, re.IGNORECASE)
