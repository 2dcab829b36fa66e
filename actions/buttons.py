"""The buttons under an answer, as Rasa buttons (title, payload) that every channel renders: the
suggested next questions, then 👍 / 👎, whose payloads any channel, REST included, can send."""

from __future__ import annotations

import json
from typing import Dict, List, Sequence

from dialogue.records import DOWN, UP
from dialogue.suggestions import Suggestion

FEEDBACK_INTENT = "feedback"
FEEDBACK_TITLES = {UP: "👍 Membantu", DOWN: "👎 Tidak membantu"}


def feedback_payload(value: str) -> str:
    """Rasa's payload for feedback `value`: /feedback{"value":"up"}."""
    return f"/{FEEDBACK_INTENT}{json.dumps({'value': value}, separators=(',', ':'))}"


def answer_buttons(suggested: Sequence[Suggestion]) -> List[Dict[str, str]]:
    """The suggestions' buttons, then the feedback buttons."""
    return [{"title": s.title, "payload": s.payload} for s in suggested] + [
        {"title": title, "payload": feedback_payload(value)} for value, title in FEEDBACK_TITLES.items()
    ]
