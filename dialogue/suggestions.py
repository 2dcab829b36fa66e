"""Suggested next questions after an answer: the other aspects of its topic that the documents
answer ("Cara mencegah", "Kapan harus ke dokter", …), each sent as its intent's payload.

A suggestion is only offered when the follow-up it sends would be answered: each candidate is
answered here exactly as the dialogue will answer its payload (their queries embedded in
batches of as many as are still wanted), and kept when the best passage is about that aspect
and not shown yet.

    suggested = suggestions(retriever, reply.focus)  # after an answered turn
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Tuple

from dialogue.answering import answer, query_of
from dialogue.components import Components
from dialogue.focus import Focus, follow_up
from dialogue.intents import ANSWERED, intent_aspect
from dialogue.reading import read

MAX_SUGGESTIONS = 3
# (intent, button title), in the order they are offered.
CANDIDATES: Tuple[Tuple[str, str], ...] = (
    ("ask_treatment", "Cara meredakan"),
    ("ask_prevention", "Cara mencegah"),
    ("ask_cause", "Penyebab"),
    ("ask_when_to_see_doctor", "Kapan harus ke dokter"),
    ("ask_symptoms", "Gejala"),
    ("ask_diagnosis", "Pemeriksaan"),
    ("ask_definition", "Pengertian"),
)


@dataclass(frozen=True)
class Suggestion:
    """A next question offered as a button: its title, and the payload that asks it."""

    intent: str
    title: str

    @property
    def payload(self) -> str:
        return f"/{self.intent}"


def suggestions(components: Components, focus: Focus, limit: int = MAX_SUGGESTIONS) -> Tuple[Suggestion, ...]:
    """At most `limit` follow-ups to the answered `focus`, about aspects other than its own, that
    would each be answered with a passage about their aspect that `focus` has not shown."""
    wordless = read("", (), components.analyzer)
    candidates = [
        Suggestion(intent, title) for intent, title in CANDIDATES if intent_aspect(intent) != focus.aspect
    ]
    kept: List[Suggestion] = []
    checked = 0
    while len(kept) < limit and checked < len(candidates):
        # Only as many as still wanted, embedded in one batch: most answers fill the first.
        batch = candidates[checked : checked + limit - len(kept)]
        checked += len(batch)
        components.embedder.embed_ahead([query_of(follow_up(focus, wordless, c.intent)).text for c in batch])
        kept += [candidate for candidate in batch if _answered_anew(components, focus, candidate)]
    return tuple(kept)


def _answered_anew(components: Components, focus: Focus, candidate: Suggestion) -> bool:
    """Whether the dialogue answers `candidate`'s payload after `focus` with a passage about its
    aspect that `focus` has not shown."""
    reply = answer(components, focus, candidate.intent, (), candidate.payload)
    if reply.status != ANSWERED:
        return False
    best = reply.hits[0].passage
    return best.id not in focus.shown and intent_aspect(candidate.intent) in best.aspects
