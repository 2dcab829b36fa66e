"""The conversation's focus, carried from turn to turn: the topic, the aspect asked about, the text
last searched and the passages shown. A follow-up is searched as that topic plus what is new.

A message starts a new focus when it names a complaint of its own (a symptom or condition), or
words of a topic of its own without leaning on the conversation; otherwise ("Bagaimana cara
mencegahnya?", "kalau pas hamil?", "what about at night?", "apakah berbahaya?") it follows up:
its body part or context replaces the previous one, its aspect (else the previous one) is asked.
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


def next_focus(previous: Focus, reading: Reading, intent: str) -> Focus:
    """The focus of a message, given the conversation's focus before it (see the module's doc);
    no focus at all when a message that starts one names nothing to search for."""
    if intent == MORE_INTENT and previous.query and not (reading.terms or reading.subject or reading.aspect):
        return previous  # "yang lain?": the same search, without what was shown
    if intent == OFFER_ACCEPTED_INTENT and previous.has_topic:
        return _follow_up(previous, replace(reading, aspect="", text=""), OFFER_ASPECT)
    if not previous.has_topic or starts_a_topic(reading):
        if not reading.has_something_to_search:
            return Focus()  # "sakit", "kenapa ya?": the bot asks which complaint
        terms = tuple((term.entity, term.value) for term in reading.terms)
        return Focus(reading.subject, terms, reading.aspect or intent_aspect(intent), reading.text)
    if reading.aspect:
        aspect = reading.aspect
    elif reading.opens_follow_up or intent not in ASPECT_OF_INTENT:
        aspect = previous.aspect
    else:
        aspect = intent_aspect(intent) if intent_aspect(intent) != GENERAL else previous.aspect
    return _follow_up(previous, reading, aspect)


def starts_a_topic(reading: Reading) -> bool:
    """A complaint of its own, or words of a topic of its own in a message that does not lean on
    the conversation."""
    return reading.names_a_complaint or (
        reading.has_something_to_search and not (reading.opens_follow_up or reading.points_back)
    )


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
