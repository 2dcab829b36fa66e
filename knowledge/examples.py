"""Labelled examples of what people write: the questions the passages answer (the team's
questions, labelled by verbatim phrases of the passages), what the documents do not cover (the
NLU data's out_of_scope examples), and emergencies and their calm look-alikes by red-flag
category (the triage's exemplars).

All go into the index set beside the passages, embedded like a question: a question near an
answered example finds its passages, one nearer an out-of-scope example than any answered one is
likely not covered, and one near the emergencies of a category more than near any calm
look-alike may be an emergency.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import FrozenSet, Iterable, List, Sequence, Tuple

import yaml

from knowledge.aspects import ASPECTS
from knowledge.passages import Passage

EXAMPLES_PATH = Path(__file__).resolve().parent / "example_questions.yml"
OUT_OF_SCOPE_INTENT = "out_of_scope"
ANSWERED, OUT_OF_SCOPE, EMERGENCY, CALM = "answered", "out_of_scope", "emergency", "calm"
KINDS = (ANSWERED, OUT_OF_SCOPE, EMERGENCY, CALM)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Example:
    """A text people write and what it is: a question the passages answer (their ids), one the
    documents do not cover, or an emergency or a calm look-alike of a red-flag category."""

    text: str
    passage_ids: Tuple[str, ...] = ()
    kind: str = ""  # one of KINDS; by default answered with passages, else out of scope
    category: str = ""  # emergency and calm: the red-flag category (safety.red_flags.CATEGORIES)
    aspect: str = ""  # answered: what it asks about (knowledge.aspects.ASPECTS), if labelled

    def __post_init__(self) -> None:
        if not self.kind:
            object.__setattr__(self, "kind", ANSWERED if self.passage_ids else OUT_OF_SCOPE)
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        if (self.kind == ANSWERED) != bool(self.passage_ids):
            raise ValueError(f"only an answered example has passages: {self.text!r}")
        if (self.kind in (EMERGENCY, CALM)) != bool(self.category):
            raise ValueError(f"an emergency or calm example, and only they, have a category: {self.text!r}")

    @property
    def in_scope(self) -> bool:
        return self.kind == ANSWERED

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Example":
        return cls(
            str(data["text"]),
            tuple(data.get("passage_ids") or ()),
            str(data.get("kind") or ""),
            str(data.get("category") or ""),
            str(data.get("aspect") or ""),
        )


def normalized(text: str) -> str:
    """Lower case, runs of whitespace as one space: how labels are compared with passages."""
    return _SPACE.sub(" ", text).strip().lower()


def passages_containing(phrases: Iterable[str], passages: Sequence[Passage]) -> FrozenSet[str]:
    """Ids of the passages whose content contains one of `phrases` (whitespace- and case-insensitive)."""
    wanted = [normalized(phrase) for phrase in phrases]
    return frozenset(p.id for p in passages if any(phrase in normalized(p.content) for phrase in wanted))


def answered_examples(passages: Sequence[Passage], path: Path = EXAMPLES_PATH) -> List[Example]:
    """The example questions of `path` with the ids of the passages that answer them; a label
    that matches no passage (stale after a document changed) is an error that names it."""
    examples = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]:
        phrases = [str(phrase) for phrase in item["answers"]]
        stale = [phrase for phrase in phrases if not passages_containing([phrase], passages)]
        if stale:
            raise ValueError(f"{path}: {item['text']!r} is labelled with phrases no passage contains: {stale}")
        ids = passages_containing(phrases, passages)
        aspect = str(item.get("aspect") or "")
        if aspect and aspect not in ASPECTS:
            raise ValueError(f"{path}: {item['text']!r} has aspect {aspect!r}, not one of {', '.join(ASPECTS)}")
        examples.append(Example(str(item["text"]), tuple(p.id for p in passages if p.id in ids), aspect=aspect))
    return examples


def out_of_scope_examples(nlu_path: Path) -> List[Example]:
    """The examples of the out_of_scope intent in a Rasa NLU data file, as questions no passage answers."""
    items = yaml.safe_load(nlu_path.read_text(encoding="utf-8"))["nlu"]
    return [
        Example(line.strip()[2:].strip())
        for item in items
        if item.get("intent") == OUT_OF_SCOPE_INTENT
        for line in item["examples"].splitlines()
        if line.strip().startswith("- ")
    ]


def triage_examples(path: Path) -> List[Example]:
    """The triage's exemplars in `path` (`emergency:` and `calm:`, each by red-flag category)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Example(str(text).strip(), kind=kind, category=str(category))
        for kind in (EMERGENCY, CALM)
        for category, texts in data[kind].items()
        for text in texts
    ]


def examples_to_jsonl(examples: Iterable[Example]) -> str:
    return "".join(json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) + "\n" for e in examples)


def examples_from_jsonl(text: str) -> List[Example]:
    return [Example.from_dict(json.loads(line)) for line in text.splitlines() if line.strip()]
