"""A question in its conversation: the focus (topic, aspect, words and passages shown) carried
from turn to turn, so that "Bagaimana cara mencegahnya?" asks about the complaint just discussed.

    reply = answer(retriever, previous_focus, intent, entities, text)
    reply.status, reply.hits, reply.focus  # what to say, and the focus to keep
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Mapping, Tuple

from embeddings.indonesian import Analyzer
from embeddings.query import ASPECT_OF_INTENT, REQUIRED_ENTITIES, Query, Topic, build_query
from embeddings.search import Hit, Retriever
from embeddings.vocabulary import BODY_PARTS, entity_of
from knowledge.aspects import GENERAL, question_aspect

MORE_INTENT = "ask_more"  # "yang lain?": the next passage for the same question
OFFER_ACCEPTED_INTENT = "affirm"  # "ya" to the offer of relief tips (the rules route it only then)
OFFER_ASPECT = "treatment"
FALLBACK_INTENT = "nlu_fallback"  # intent unclear: answered when the message names a complaint
# How much of a drug to take, or which to buy: the rules refuse, then the documents' relief advice.
DOSE_INTENT, DOSE_ASPECT = "ask_dose", "treatment"
# The intents action_answer_question is run for (the rules route exactly these to it).
ANSWERING_INTENTS = frozenset({*ASPECT_OF_INTENT, MORE_INTENT, OFFER_ACCEPTED_INTENT, FALLBACK_INTENT, DOSE_INTENT})
# What an answer turn ends in; the rules branch on it (slot answer_status).
ANSWERED, NO_TOPIC, NOT_UNDERSTOOD, NOT_FOUND, NO_MORE = "answered", "no_topic", "not_understood", "not_found", "no_more"


@dataclass(frozen=True)
class Focus:
    """What the conversation is about: the last question's topic, aspect and content words, and
    the passages already shown for it."""

    topic: Topic = Topic()
    aspect: str = GENERAL
    words: Tuple[str, ...] = ()
    shown: Tuple[str, ...] = ()

    def query(self) -> Query:
        return build_query(self.aspect, self.topic, self.words, exclude=self.shown)

    def showing(self, hits: Iterable[Hit]) -> "Focus":
        """The same focus, with the passages of `hits` marked as shown."""
        return replace(self, shown=tuple(dict.fromkeys([*self.shown, *(hit.passage.id for hit in hits)])))


@dataclass(frozen=True)
class Answer:
    """One answer turn: its status, the passages to show (best first), every passage that was
    eligible (ranked, for evaluation), and the focus to keep for the next turn."""

    status: str
    hits: Tuple[Hit, ...]
    ranked: Tuple[Hit, ...]
    focus: Focus


def answer(
    retriever: Retriever, previous: Focus, intent: str, entities: Iterable[Mapping], text: str
) -> Answer:
    """Answer a message routed to the bot's documents, in the conversation whose focus was `previous`.

    no_topic: no complaint named, now or before, so nothing was searched (not_understood when NLU
    was unsure of the intent too); not_found: nothing good enough; no_more: "yang lain?" found
    nothing not shown yet; answered: `hits` are to be shown.
    """
    focus = next_focus(previous, intent, entities, text, retriever.analyzer)
    if not focus.topic.names_a_complaint:
        return Answer(NOT_UNDERSTOOD if intent == FALLBACK_INTENT else NO_TOPIC, (), (), focus)
    if focus.topic.body_part and not any(part in BODY_PARTS for part in focus.topic.body_part):
        return Answer(NOT_FOUND, (), (), focus)  # the stomach, the hands: not what the articles are about
    ranked = tuple(retriever.search(focus.query()))
    hits = tuple(retriever.select(ranked))
    if not hits:
        return Answer(NO_MORE if intent == MORE_INTENT else NOT_FOUND, (), ranked, focus)
    return Answer(ANSWERED, hits, ranked, focus.showing(hits))


def next_focus(previous: Focus, intent: str, entities: Iterable[Mapping], text: str, analyzer: Analyzer) -> Focus:
    """The focus of a message, given the conversation's focus before it.

    - "yang lain?" keeps everything, so the next passage not shown yet is found ("kalau pas
      hamil?", which names something, is a follow-up as below);
    - "ya" to the offer asks for relief of the current topic;
    - a message naming a complaint (symptom, body part or condition) starts a new topic;
    - a message naming only a context ("kalau saat berlari?") keeps the complaint in that context;
    - a message naming nothing keeps the topic ("Bagaimana cara mencegahnya?").
    A follow-up asks about the aspect its own words name, else the one asked before; a new
    question asks about its intent's aspect.
    """
    said = Topic.from_entities(understood_entities(entities, analyzer))
    if intent == MORE_INTENT and not said.terms():
        return previous
    if intent == OFFER_ACCEPTED_INTENT:
        return Focus(previous.topic, OFFER_ASPECT)
    cue = question_aspect(" ".join(analyzer.formal_words(text)))
    words = analyzer.content_words(text)
    if said.names_a_complaint or not previous.topic.names_a_complaint:
        return Focus(said, _question_aspect(intent, cue), words)
    topic = replace(previous.topic, context=said.context) if said.context else previous.topic
    return Focus(topic, cue or previous.aspect, words)


def understood_entities(entities: Iterable[Mapping], analyzer: Analyzer) -> Iterable[Mapping]:
    """The entities with their values in formal Indonesian ("malem2" is "malam"), keeping a value
    outside the vocabulary only where it names a complaint in real words: "gatal" stays (and
    finds no passage), a stray "from" tagged a condition goes."""
    for entity in entities:
        value = analyzer.formal_phrase(str(entity.get("value") or ""))
        name = entity_of(value) or entity.get("entity")
        if entity_of(value) or (name in REQUIRED_ENTITIES and analyzer.names_something(value)):
            yield {"entity": name, "value": value}


def _question_aspect(intent: str, cue: str) -> str:
    aspect = DOSE_ASPECT if intent == DOSE_INTENT else ASPECT_OF_INTENT.get(intent, GENERAL)
    return cue if aspect == GENERAL and cue else aspect


def focus_from_slots(slots: Mapping[str, object]) -> Focus:
    """The focus stored in the tracker's slots (see `focus_slots`)."""
    return Focus(
        Topic.from_values(slots),  # type: ignore[arg-type]
        str(slots.get("aspect") or GENERAL),
        tuple(slots.get("question_words") or ()),  # type: ignore[arg-type]
        tuple(slots.get("shown_passages") or ()),  # type: ignore[arg-type]
    )


def focus_slots(focus: Focus) -> Mapping[str, object]:
    """Slot values that store `focus`; empty values are None, as Rasa resets them."""
    values: dict = {name: list(values) or None for name, values in focus.topic.as_values().items()}
    values.update(
        aspect=focus.aspect,
        question_words=list(focus.words) or None,
        shown_passages=list(focus.shown) or None,
    )
    return values

