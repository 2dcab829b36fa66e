"""The conversation's focus, carried from turn to turn: the topic, the aspect asked about, the text
last searched and the passages shown. A follow-up is searched as that topic plus what is new.

A message can be read two ways (`readings`): on its own, a new focus (keeping what the person
said about themselves: a pregnancy, their age, a child, diabetes), or as the previous focus
continued ("Bagaimana cara mencegahnya?", "kalau pas hamil?", "udah seminggu", "what should I eat
more of?"): its body part or context replaces the previous one, its aspect (else the previous
one) is asked, and statements add their words to the topic. The answer turn searches both and
keeps the one whose best passage scores higher (dialogue.answering): on the dev conversations no
margin for a complaint of its own or a follow-up cue ("kalau …", "-nya") did better.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable, Mapping, Optional, Tuple

from dialogue.intents import ASPECT_OF_INTENT, MORE_INTENT, OFFER_ACCEPTED_INTENT, OFFER_ASPECT, intent_aspect
from dialogue.reading import Reading
from knowledge.aspects import ASPECTS, GENERAL

# Each aspect in the words the documents use for it: what a follow-up without a question of its
# own ("kalau pas hamil?") asks again about the topic.
ASPECT_TERMS: Mapping[str, str] = {
    "cause": "penyebab",
    "treatment": "cara mengatasi dan meredakan",
    "prevention": "cara mencegah",
    "symptoms": "gejala dan tanda",
    "definition": "apa itu",
    "see_doctor": "kapan harus ke dokter",
    "diagnosis": "diagnosis dan pemeriksaan",
    GENERAL: "",
}
REPLACEABLE = ("body_part", "context")  # a follow-up naming one of these replaces the previous one
# What a person says about themselves, which stays with a conversation's new topics until they
# speak of someone else ("saya hamil 34 minggu" ... "kaki saya kesemutan, kenapa?").
PERSON_TERMS = frozenset(
    {("context", "kehamilan"), ("context", "usia lanjut"), ("context", "anak"), ("condition", "diabetes")}
)


@dataclass(frozen=True)
class Focus:
    """What the conversation is about: the topic (its words and vocabulary terms), the aspect
    asked, the text last searched for it, and the passages already shown for that text."""

    subject: Tuple[str, ...] = ()  # the topic's own words, formal Indonesian, contexts excluded
    terms: Tuple[Tuple[str, str], ...] = ()  # (entity, canonical value) of the topic, contexts included
    aspect: str = GENERAL
    query: str = ""
    shown: Tuple[str, ...] = ()

    @property
    def has_topic(self) -> bool:
        return bool(self.subject or self.terms)

    def values(self, entity: str) -> Tuple[str, ...]:
        return tuple(value for name, value in self.terms if name == entity)

    def showing(self, passage_ids: Iterable[str]) -> "Focus":
        return replace(self, shown=tuple(dict.fromkeys([*self.shown, *passage_ids])))

    def to_slot(self) -> Optional[dict]:
        """The focus as a JSON-friendly slot value (None when there is none)."""
        if not (self.has_topic or self.query):
            return None
        return {
            "subject": list(self.subject),
            "terms": [list(term) for term in self.terms],
            "aspect": self.aspect,
            "query": self.query,
            "shown": list(self.shown),
        }

    @classmethod
    def from_slot(cls, value: object) -> "Focus":
        """The focus kept in a slot by `to_slot`; anything else is no focus."""
        if not isinstance(value, Mapping):
            return cls()
        aspect = str(value.get("aspect") or GENERAL)
        return cls(
            subject=tuple(str(word) for word in value.get("subject") or ()),
            terms=tuple((str(term[0]), str(term[1])) for term in value.get("terms") or () if len(term) == 2),
            aspect=aspect if aspect in ASPECTS else GENERAL,
            query=str(value.get("query") or ""),
            shown=tuple(str(passage) for passage in value.get("shown") or ()),
        )


@dataclass(frozen=True)
class Readings:
    """The foci a message can be read as: on its own (None when it names nothing to search for)
    and as the previous focus continued (None without a previous topic)."""

    own: Optional[Focus]
    continued: Optional[Focus]

    @property
    def candidates(self) -> Tuple[Focus, ...]:
        return tuple(focus for focus in (self.own, self.continued) if focus is not None)

    def asking(self, aspect: str) -> "Readings":
        """The same readings asking `aspect` (what the message's meaning says it asks)."""
        return Readings(
            None if self.own is None else replace(self.own, aspect=aspect),
            None if self.continued is None else replace(self.continued, aspect=aspect),
        )

    def alone(self) -> "Readings":
        """Only the message's own reading: what it says is not about the conversation's topic."""
        return Readings(self.own, None)


def readings(previous: Focus, reading: Reading, intent: str) -> Readings:
    """How a message (`reading`, classified as `intent`) can be read after the focus `previous`."""
    if intent == MORE_INTENT and previous.query and not (reading.terms or reading.subject or reading.aspect):
        return Readings(None, previous)  # "yang lain?": the same search, without what was shown
    if intent == OFFER_ACCEPTED_INTENT and previous.has_topic:
        return Readings(None, _follow_up(previous, replace(reading, aspect="", text=""), OFFER_ASPECT))
    own = _own(previous, reading, intent) if reading.has_something_to_search else None
    if not previous.has_topic:
        return Readings(own, None)
    return Readings(own, _follow_up(previous, reading, _follow_up_aspect(previous, reading, intent)))


def follow_up(previous: Focus, reading: Reading, intent: str) -> Focus:
    """`previous` continued by a message with no words of its own asking `intent` (a button's payload)."""
    return _follow_up(previous, reading, _follow_up_aspect(previous, reading, intent))


def _own(previous: Focus, reading: Reading, intent: str) -> Focus:
    """The message as a new focus, with what the person said of themselves before, unless it
    speaks of another person."""
    terms = tuple((term.entity, term.value) for term in reading.terms)
    carried = () if any(term in PERSON_TERMS for term in terms) else tuple(
        term for term in previous.terms if term in PERSON_TERMS
    )
    query = " ".join([reading.text, *(value for _, value in carried)])
    return Focus(reading.subject, terms + carried, reading.aspect or intent_aspect(intent), query)


def _follow_up_aspect(previous: Focus, reading: Reading, intent: str) -> str:
    if reading.aspect:
        return reading.aspect
    if reading.opens_follow_up or intent not in ASPECT_OF_INTENT:
        return previous.aspect
    return intent_aspect(intent) if intent_aspect(intent) != GENERAL else previous.aspect


def _follow_up(previous: Focus, reading: Reading, aspect: str) -> Focus:
    """The previous topic with what `reading` adds; searched as the message, the aspect's words
    when the message names none, the topic's words and its contexts."""
    replaced = {entity for entity in REPLACEABLE if reading.values(entity)}
    dropped = {word for entity, value in previous.terms if entity in replaced for word in value.split()}
    terms = tuple(term for term in previous.terms if term[0] not in replaced)
    terms += tuple((term.entity, term.value) for term in reading.terms if (term.entity, term.value) not in terms)
    subject = tuple(dict.fromkeys([*(w for w in previous.subject if w not in dropped), *reading.subject]))
    contexts = [value for entity, value in terms if entity == "context"]
    asked = "" if reading.aspect else ASPECT_TERMS.get(aspect, "")
    query = " ".join(part for part in (reading.text, asked, " ".join(subject), " ".join(contexts)) if part)
    return Focus(subject, terms, aspect, query)
