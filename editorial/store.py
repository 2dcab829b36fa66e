"""Reading Rasa's SQL tracker store (SQLite or PostgreSQL, by SQLAlchemy URL): the `answered` and
`feedback` slot events the answer and feedback actions set (dialogue/records.py), newer than the retention window.

Only what a turn recorded is read back: the question, its status, the passages shown, the vote.
Conversation ids are used to order the events and never leave this module. The slots a new
session carries over (Rasa sets them again after `session_started`, before the next user
message) are not counted a second time.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import List, Optional, Tuple

import sqlalchemy as sa

from dialogue.records import ANSWERED_SLOT, FEEDBACK_SLOT, FEEDBACK_VALUES

SECONDS_PER_DAY = 86400.0


@dataclass(frozen=True)
class Asked:
    """One answer turn: the user's question, its status and the passages shown, best first."""

    question: str
    status: str
    passages: Tuple[str, ...]


@dataclass(frozen=True)
class Feedback:
    """A 👍 ("up") or 👎 ("down") on the answer with `passages` to `question`."""

    value: str
    question: str
    passages: Tuple[str, ...]


@dataclass(frozen=True)
class Conversations:
    asked: Tuple[Asked, ...]
    feedback: Tuple[Feedback, ...]


_EVENTS = sa.text(
    "SELECT sender_id, type_name, data FROM events "
    "WHERE type_name IN ('slot', 'session_started', 'user') AND timestamp >= :since "
    "ORDER BY sender_id, id"
)


def read_conversations(url: str, retention_days: float, now: Optional[float] = None) -> Conversations:
    """The turns and votes in the store at `url` from the last `retention_days` (0: all of them)."""
    since = (time.time() if now is None else now) - retention_days * SECONDS_PER_DAY if retention_days > 0 else 0.0
    asked: List[Asked] = []
    feedback: List[Feedback] = []
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                return Conversations((), ())
            conversation, carried_over = None, False
            for sender_id, type_name, data in connection.execute(_EVENTS, {"since": since}):
                if sender_id != conversation:
                    conversation, carried_over = sender_id, False
                if type_name != "slot":
                    carried_over = type_name == "session_started"
                    continue
                if carried_over:
                    continue
                event = json.loads(data)
                value = event.get("value")
                if not isinstance(value, dict):
                    continue
                if event.get("name") == ANSWERED_SLOT:
                    asked.append(Asked(str(value.get("question", "")), str(value.get("status", "")), _ids(value)))
                elif event.get("name") == FEEDBACK_SLOT and value.get("value") in FEEDBACK_VALUES:
                    feedback.append(Feedback(value["value"], str(value.get("question", "")), _ids(value)))
    finally:
        engine.dispose()
    return Conversations(tuple(asked), tuple(feedback))


def _ids(value: dict) -> Tuple[str, ...]:
    return tuple(str(pid) for pid in value.get("passages") or ())
