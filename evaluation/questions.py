"""The labelled retrieval questions: a dev split for tuning and a test split only reported.

An in-scope question is labelled by verbatim phrases of the passages that answer it, so labels
survive re-chunking; a passage answers if it contains one of them (whitespace-insensitive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, FrozenSet, List, Sequence, Tuple

import yaml

from knowledge.examples import normalized, passages_containing
from knowledge.passages import Passage

QUESTIONS_DIR = Path(__file__).with_name("questions")
SPLITS = ("dev", "test")
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    language: str  # id | en
    style: str  # formal | informal | en
    aspect: str
    answers: Tuple[str, ...]  # verbatim phrases of the answering passages; empty when out of scope
    followup_of: Tuple[str, ...] = ()  # the earlier user turns of the conversation
    out_of_scope: bool = False

    @property
    def category(self) -> str:
        if self.out_of_scope:
            return "out_of_scope"
        return "follow-up" if self.followup_of else self.style


def load_split(split: str, directory: Path = QUESTIONS_DIR) -> List[Question]:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    data = yaml.safe_load((directory / f"{split}.yml").read_text(encoding="utf-8"))
    questions = [
        Question(
            id=str(item["id"]),
            text=str(item["text"]),
            language=str(item["language"]),
            style=str(item["style"]),
            aspect=str(item.get("aspect") or "none"),
            answers=tuple(item.get("answers") or ()),
            followup_of=tuple(item.get("followup_of") or ()),
            out_of_scope=bool(item.get("out_of_scope", False)),
        )
        for item in data["questions"]
    ]
    for question in questions:
        if question.out_of_scope == bool(question.answers):
            raise ValueError(f"{split}:{question.id}: in scope needs answers, out of scope must have none")
    return questions


def comparable(text: str) -> str:
    """A question as compared for copies: lower case, Rasa entity annotations and punctuation
    removed, spaces collapsed (an NLU example "[kram](symptom) betis?" equals "Kram betis")."""
    plain = _ANNOTATION.sub(r"\1", text).lower()
    return " ".join(re.sub(r"[^\w\s]", " ", plain).split())


def asked(splits=SPLITS) -> Dict[str, str]:
    """Every text of every evaluation set, by `comparable` text -> the question or conversation id:
    the questions and their earlier turns, the labelled conversations (dev, test, blind) and the
    red-flag suite, none of which may be training data."""
    from evaluation.conversations import SETS, SUITE_PARTS, load, suite_conversations

    found = {comparable(text): q.id for split in splits for q in load_split(split) for text in (q.text, *q.followup_of)}
    conversations = [c for name in SETS for c in load(name)]
    conversations += [c for part in SUITE_PARTS for c in suite_conversations(part)]
    found.update({comparable(turn.text): c.id for c in conversations for turn in c.turns})
    return found


def answering_ids(question: Question, passages: Sequence[Passage]) -> FrozenSet[str]:
    """Ids of the passages that contain one of the question's answer phrases."""
    return passages_containing(question.answers, passages)


def unmatched_phrases(questions: Sequence[Question], passages: Sequence[Passage]) -> Dict[str, List[str]]:
    """Per question id, the answer phrases no passage contains (a stale or mistyped label)."""
    contents = [normalized(p.content) for p in passages]
    missing: Dict[str, List[str]] = {}
    for question in questions:
        for phrase in question.answers:
            if not any(normalized(phrase) in content for content in contents):
                missing.setdefault(question.id, []).append(phrase)
    return missing
