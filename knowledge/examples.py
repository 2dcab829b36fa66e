"""Example questions: what the passages answer (the team's questions, labelled by verbatim phrases
of the passages) and what the documents do not cover (the NLU data's out_of_scope examples).

Both go into the index beside the passages: a question near an answered example finds its
passages, one nearer an out-of-scope example than any answered one is likely not covered.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import FrozenSet, Iterable, List, Sequence, Tuple

import yaml

from knowledge.passages import Passage

EXAMPLES_PATH = Path(__file__).resolve().parent / "example_questions.yml"
OUT_OF_SCOPE_INTENT = "out_of_scope"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Example:
    """A question and the passages that answer it (none: a question the documents do not cover)."""

    text: str
    passage_ids: Tuple[str, ...] = ()

    @property
    def in_scope(self) -> bool:
        return bool(self.passage_ids)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Example":
        return cls(str(data["text"]), tuple(data.get("passage_ids") or ()))


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
        examples.append(Example(str(item["text"]), tuple(p.id for p in passages if p.id in ids)))
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


def examples_to_jsonl(examples: Iterable[Example]) -> str:
    return "".join(json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) + "\n" for e in examples)


def examples_from_jsonl(text: str) -> List[Example]:
    return [Example.from_dict(json.loads(line)) for line in text.splitlines() if line.strip()]
