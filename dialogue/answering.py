"""One answer turn: the message read in its conversation, searched, and what to say.

    reply = answer(retriever, previous_focus, intent, entities, text)
    reply.status, reply.hits, reply.focus  # what to say, and the focus to keep
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Tuple

from dialogue.focus import Focus, next_focus
from dialogue.intents import (
    ANSWERED,
    FALLBACK_INTENT,
    MORE_INTENT,
    NO_MORE,
    NO_TOPIC,
    NOT_FOUND,
    NOT_UNDERSTOOD,
    OUT_OF_SCOPE,
    OUT_OF_SCOPE_INTENT,
    is_payload,
)
from dialogue.reading import read
from dialogue.vocabulary import forms, is_covered
from embeddings.search import Hit, Query, Retriever


@dataclass(frozen=True)
class Answer:
    """One answer turn: its status, the passages to show (best first), every passage ranked (for
    evaluation), the focus to keep for the next turn (the previous one unless answered), and the
    question as asked: the message, or for a button's payload the text searched for it."""

    status: str
    hits: Tuple[Hit, ...]
    ranked: Tuple[Hit, ...]
    focus: Focus
    question: str


def answer(retriever: Retriever, previous: Focus, intent: str, entities: Iterable[Mapping], text: str) -> Answer:
    """Answer a message routed to the documents, in the conversation whose focus was `previous`.

    no_topic: nothing to search for, now or before (not_understood when NLU was unsure of the
    intent too); out_of_scope: a request for a service (a price, a hospital, insurance), about a
    body part the articles do not cover, or nothing good enough
    for a question nearer to what they do not cover (or that NLU took for that); not_found:
    nothing good enough otherwise; no_more: "yang lain?" found nothing not shown yet; answered:
    `hits` are to be shown. A button's payload ("/ask_prevention") is a follow-up with no words
    of its own.
    """
    own_text = "" if is_payload(text) else text
    reading = read(own_text, entities, retriever.analyzer)
    focus = next_focus(previous, reading, intent)
    question = " ".join(own_text.split()) or focus.query
    if not focus.has_topic:
        status = (
            OUT_OF_SCOPE if intent == OUT_OF_SCOPE_INTENT else NOT_UNDERSTOOD if intent == FALLBACK_INTENT else NO_TOPIC
        )
        return Answer(status, (), (), previous, question)
    body_parts = focus.values("body_part")
    if reading.asks_for_a_service or (body_parts and not any(is_covered(part) for part in body_parts)):
        # A price or a hospital's name; the stomach, the hands: not what the articles are about.
        return Answer(OUT_OF_SCOPE, (), (), previous, question)
    query = query_of(focus)
    ranked = tuple(retriever.search(query))
    hits = tuple(retriever.select(ranked))
    if hits:
        return Answer(ANSWERED, hits, ranked, focus.showing(hit.passage.id for hit in hits), question)
    if intent == MORE_INTENT and focus is previous:
        return Answer(NO_MORE, (), ranked, previous, question)
    elsewhere = intent == OUT_OF_SCOPE_INTENT or retriever.out_of_scope_gap(query) > 0
    return Answer(OUT_OF_SCOPE if elsewhere else NOT_FOUND, (), ranked, previous, question)


def query_of(focus: Focus) -> Query:
    """The search for `focus`: its text, its aspect, the forms of the terms it names, and no
    passage already shown."""
    mentions = tuple(forms(entity, value) for entity, value in focus.terms)
    return Query(focus.query, focus.aspect, mentions, focus.shown)
