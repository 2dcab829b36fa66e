"""Labelled conversations: what each turn of a conversation should get from the bot.

Three sets share this form: `conversations/dev.yml` (tuned on) and `conversations/test.yml`
(only reported), written by the team from the articles; `blind/blind.yml`, written before any
tuning by someone who read only the articles, reported once; and the red-flag suite
(`safety_suite.yml`, its `dev` and `test` parts), read as one-turn conversations.

    conversations = load("test")        # or "dev", "blind"
    suite = suite_conversations("test")  # the suite's test part

A turn expects `answer` (labelled by verbatim phrases of the passages that answer it in its
conversation), `emergency` (escalated first), `refuse` (the articles do not answer it) or
`statement` (it tells something and asks nothing: only never escalated).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

EVALUATION_DIR = Path(__file__).resolve().parent
SETS: Dict[str, Path] = {
    "dev": EVALUATION_DIR / "conversations" / "dev.yml",
    "test": EVALUATION_DIR / "conversations" / "test.yml",
    "blind": EVALUATION_DIR / "blind" / "blind.yml",
}
SUITE_PATH = EVALUATION_DIR / "safety_suite.yml"
SUITE_PARTS = ("dev", "test")

KINDS = ("red_flag", "calm", "multi_turn", "near_miss", "answer")
LANGUAGES = ("id", "id-informal", "en", "jv", "su", "mixed")
CONTEXTS = ("none", "pregnancy", "elderly", "children", "sport", "diabetes", "denied")
EXPECTATIONS = ("statement", "answer", "emergency", "refuse")
ANSWER, EMERGENCY, REFUSE, STATEMENT = "answer", "emergency", "refuse", "statement"


@dataclass(frozen=True)
class Turn:
    text: str
    expect: str  # one of EXPECTATIONS
    answers: Tuple[str, ...] = ()  # verbatim phrases of the passages that answer it (expect: answer)


@dataclass(frozen=True)
class Conversation:
    id: str
    kind: str  # one of KINDS
    language: str  # one of LANGUAGES
    context: str  # one of CONTEXTS
    category: str  # the red-flag category it is (red_flag) or looks like (calm); "" otherwise
    turns: Tuple[Turn, ...]

    @property
    def last(self) -> Turn:
        return self.turns[-1]


def load(name: str) -> List[Conversation]:
    """The conversations of set `name` (dev, test or blind); ValueError names what is malformed."""
    if name not in SETS:
        raise ValueError(f"set must be one of {', '.join(SETS)}, got {name!r}")
    return parse(yaml.safe_load(SETS[name].read_text(encoding="utf-8")), str(SETS[name]))


def parse(data: dict, source: str) -> List[Conversation]:
    conversations = []
    for item in data["conversations"]:
        turns = tuple(
            Turn(str(turn["text"]), str(turn["expect"]), tuple(str(a) for a in turn.get("answers") or ()))
            for turn in item["turns"]
        )
        conversation = Conversation(
            id=str(item["id"]),
            kind=str(item["kind"]),
            language=str(item["language"]),
            context=str(item.get("context") or "none"),
            category=str(item.get("category") or ""),
            turns=turns,
        )
        _check(conversation, source)
        conversations.append(conversation)
    ids = [c.id for c in conversations]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{source}: conversation ids repeat")
    return conversations


def _check(conversation: Conversation, source: str) -> None:
    where = f"{source}:{conversation.id}"
    for field, value, allowed in (
        ("kind", conversation.kind, KINDS),
        ("language", conversation.language, LANGUAGES),
        ("context", conversation.context, CONTEXTS),
    ):
        if value not in allowed:
            raise ValueError(f"{where}: {field} {value!r} is not one of {', '.join(allowed)}")
    if not conversation.turns:
        raise ValueError(f"{where}: no turns")
    for turn in conversation.turns:
        if turn.expect not in EXPECTATIONS:
            raise ValueError(f"{where}: expect {turn.expect!r} is not one of {', '.join(EXPECTATIONS)}")
        if (turn.expect == ANSWER) != bool(turn.answers):
            raise ValueError(f"{where}: an answer turn needs answers, and only an answer turn has them")


def suite_conversations(part: str, path: Path = SUITE_PATH) -> List[Conversation]:
    """The red-flag suite's `part` (dev or test) as one-turn conversations: red flags expect an
    emergency, calm messages only that they are not escalated."""
    if part not in SUITE_PARTS:
        raise ValueError(f"part must be one of {', '.join(SUITE_PARTS)}, got {part!r}")
    suite = yaml.safe_load(path.read_text(encoding="utf-8"))[part]
    conversations = []
    for group, kind, expect in (("red_flags", "red_flag", EMERGENCY), ("calm", "calm", STATEMENT)):
        for category, by_language in suite[group].items():
            for language, texts in by_language.items():
                for number, text in enumerate(texts, start=1):
                    conversations.append(
                        Conversation(
                            f"suite-{part}-{category}-{language}-{number}",
                            kind,
                            language,
                            "none",
                            category,
                            (Turn(str(text), expect),),
                        )
                    )
    for conversation in conversations:
        _check(conversation, str(path))
    return conversations


def texts(conversations: Sequence[Conversation]) -> List[str]:
    """Every turn's text, in order."""
    return [turn.text for conversation in conversations for turn in conversation.turns]
