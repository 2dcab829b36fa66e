"""One answer turn: the message read in its conversation, triaged by meaning, searched, and what to say.

    reply = answer(components, previous_focus, intent, entities, text)
    reply.status, reply.hits, reply.focus, reply.red_flag  # what to say, and the focus to keep

The message is embedded once, without the signs it denies ("tidak ada bengkak, cuma kram" is
read as "cuma kram") and with its Javanese and Sundanese words in Indonesian, in one encoder call
with its reading as the previous focus continued; that embedding is read for red flags first,
then for the aspect it asks (dialogue.asking), then both readings are searched and the better supported one is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Tuple

import numpy as np

from dialogue.components import Components
from dialogue.focus import Focus, readings
from dialogue.intents import (
    ANSWERED,
    EMERGENCY,
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
from embeddings.indonesian import question_text
from embeddings.search import Hit, Query
from safety.red_flags import triage


@dataclass(frozen=True)
class Answer:
    """One answer turn: its status, the passages to show (best first), every passage ranked (for
    evaluation), the focus to keep for the next turn (its own when answered or when it named the
    bot's topics without an answer, else the previous one), the
    question as asked (the message, or for a button's payload the text searched for it), and
    for an emergency its red-flag category."""

    status: str
    hits: Tuple[Hit, ...]
    ranked: Tuple[Hit, ...]
    focus: Focus
    question: str
    red_flag: str = ""


@dataclass(frozen=True)
class _Searched:
    focus: Focus
    query: Query
    vector: np.ndarray
    ranked: Tuple[Hit, ...]

    @property
    def best(self) -> float:
        return self.ranked[0].score if self.ranked else float("-inf")


def answer(components: Components, previous: Focus, intent: str, entities: Iterable[Mapping], text: str) -> Answer:
    """Answer a message routed to the documents, in the conversation whose focus was `previous`.

    emergency: it reads as a red flag (`red_flag` says which); no_topic: nothing to search for,
    now or before (not_understood when NLU was unsure of the intent too); out_of_scope: a request
    for a service (a price, a brand, a hospital) or a topic no article treats (contagion,
    acupuncture, menstruation), about a body part the articles do not cover,
    or nothing good enough for a question nearer to what they do not cover (or that NLU took for
    that); not_found: nothing good enough otherwise; no_more: "yang lain?" found nothing not
    shown yet; answered: `hits` are to be shown. A button's payload ("/ask_prevention") is a
    follow-up with no words of its own.
    """
    own_text = "" if is_payload(text) else " ".join(text.split())
    # What it says is there, with its Javanese and Sundanese words in Indonesian: what is embedded.
    said = question_text(triage(own_text).affirmed or own_text)
    reading = read(said, entities, components.analyzer)
    options = readings(previous, reading, intent)
    question = own_text or (options.continued.query if options.continued else "")
    if not options.candidates:
        status = (
            OUT_OF_SCOPE if intent == OUT_OF_SCOPE_INTENT else NOT_UNDERSTOOD if intent == FALLBACK_INTENT else NO_TOPIC
        )
        return Answer(status, (), (), previous, question)
    texts = list(dict.fromkeys(focus.query for focus in options.candidates))
    by_text = dict(zip(texts, components.embedder.embed(texts)))  # one encoder call for the turn
    own = options.own
    if own is not None:
        said_vector = by_text[own.query]
        alarm = components.triage.assess(said_vector)
        if alarm is not None:
            return Answer(EMERGENCY, (), (), previous, question, alarm.category)
        vote = components.aspects.vote(said_vector)
        if vote.sure:  # what it asks, by meaning; the cue words and the intent only when unsure
            options = options.asking(vote.aspect)
        # "How do I cook rendang?" does not become a question about cramps by following one.
        if options.continued and not reading.terms and _reads_out_of_scope(components, own, said_vector):
            options = options.alone()
    queries = [query_of(focus) for focus in options.candidates]
    if reading.asks_outside_the_articles:
        return Answer(OUT_OF_SCOPE, (), (), previous, question)
    searched = [
        _Searched(focus, query, by_text[query.text], tuple(components.retriever.search(query, by_text[query.text])))
        for focus, query in zip(options.candidates, queries)
        if not _names_only_uncovered_parts(focus)
    ]
    if not searched:  # the stomach, the hands: not what the articles are about
        return Answer(OUT_OF_SCOPE, (), (), previous, question)
    chosen = max(searched, key=lambda reading_searched: reading_searched.best)  # the better supported reading
    hits = tuple(components.retriever.select(chosen.ranked))
    if hits:
        return Answer(ANSWERED, hits, chosen.ranked, chosen.focus.showing(hit.passage.id for hit in hits), question)
    if intent == MORE_INTENT and chosen.focus is previous:
        return Answer(NO_MORE, (), chosen.ranked, previous, question)
    elsewhere = intent == OUT_OF_SCOPE_INTENT or components.retriever.out_of_scope_gap(chosen.query, chosen.vector) > 0
    # Nothing to show, but a message naming the bot's topics ("saya diabetes", "kaki kebas kalau lari") is
    # still what the conversation is about now: the next question is read with it.
    kept = chosen.focus if reading.terms else previous
    return Answer(OUT_OF_SCOPE if elsewhere else NOT_FOUND, (), chosen.ranked, kept, question)


def _reads_out_of_scope(components: Components, own: Focus, vector: np.ndarray) -> bool:
    """The message alone is clearly nearer to a question the articles do not answer than to one they
    do. On the dev conversations follow-ups with no words of the topic ("What can help him?", "emang
    ngaruh ya?") were up to 0.10 nearer, "Cara ganti ban motor?" 0.25."""
    return components.retriever.out_of_scope_gap(query_of(own), vector) > components.off_topic_gap


def _names_only_uncovered_parts(focus: Focus) -> bool:
    body_parts = focus.values("body_part")
    return bool(body_parts) and not any(is_covered(part) for part in body_parts)


def query_of(focus: Focus) -> Query:
    """The search for `focus`: its text, its aspect, the forms of the terms it names, and no
    passage already shown."""
    mentions = tuple(forms(entity, value) for entity, value in focus.terms)
    return Query(focus.query, focus.aspect, mentions, focus.shown)

