"""Retrieval queries built from what NLU understood: the topic's canonical terms and the intent's aspect."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Optional, Sequence, Tuple

# What each intent asks about, in the words the documents use for it.
ASPECT_TERMS: Mapping[str, str] = {
    "ask_cause": "penyebab",
    "ask_treatment": "cara mengatasi dan meredakan",
    "ask_prevention": "cara mencegah",
    "ask_definition": "apa itu",
    "ask_when_to_see_doctor": "kapan harus ke dokter",
    "ask_diagnosis": "diagnosis dan pemeriksaan",
    "describe_symptom": "",
}
TOPIC_ENTITIES = ("symptom", "body_part", "context")

# How the documents write each canonical symptom (lower-case substrings). A passage that answers
# a question about a symptom must mention it in one of these forms.
SYMPTOM_FORMS: Mapping[str, Tuple[str, ...]] = {
    "kram": ("kram", "kejang", "krump", "crump"),
    "kejang": ("kejang", "spasme", "kram"),
    "kedutan": ("kedut",),
    "kesemutan": ("kesemutan", "menggelenyar"),
    "mati rasa": ("mati rasa", "kebas"),
    "nyeri": ("nyeri", "sakit"),
    "bengkak": ("bengkak",),
    "lemah": ("lemah", "lemas"),
}


@dataclass(frozen=True)
class Query:
    """What to search for, and what an answering passage must mention (any one of `must_mention`)."""

    text: str
    must_mention: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Topic:
    """What a question is about, as canonical Indonesian entity values."""

    symptom: Tuple[str, ...] = ()
    body_part: Tuple[str, ...] = ()
    context: Tuple[str, ...] = ()

    @classmethod
    def from_entities(cls, entities: Iterable[Mapping]) -> "Topic":
        """From NLU entities (dicts with `entity` and `value`), lower-cased, in order, once each."""
        found = {name: [] for name in TOPIC_ENTITIES}
        for entity in entities:
            name, value = entity.get("entity"), str(entity.get("value") or "").strip().lower()
            if name in found and value and value not in found[name]:
                found[name].append(value)
        return cls(**{name: tuple(values) for name, values in found.items()})

    @classmethod
    def from_values(cls, values: Mapping[str, Optional[Sequence[str]]]) -> "Topic":
        """From stored lists per entity name, e.g. the tracker's slots."""
        return cls(**{name: tuple(values.get(name) or ()) for name in TOPIC_ENTITIES})

    def as_values(self) -> Mapping[str, list]:
        return {name: list(getattr(self, name)) for name in TOPIC_ENTITIES}

    @property
    def names_a_complaint(self) -> bool:
        """A symptom or a body part; a context alone ("malam") is not a complaint."""
        return bool(self.symptom or self.body_part)

    def terms(self) -> Tuple[str, ...]:
        return self.symptom + self.body_part + self.context


def build_query(aspect_intent: str, topic: Topic) -> Query:
    """The aspect's words, then the topic's canonical terms; the topic's symptoms must be mentioned.

    Built from canonical Indonesian values only, so an English or informal question retrieves
    like its formal Indonesian equivalent.
    """
    words = [ASPECT_TERMS.get(aspect_intent, ""), *topic.terms()]
    forms = [form for symptom in topic.symptom for form in SYMPTOM_FORMS.get(symptom, (symptom,))]
    return Query(" ".join(word for word in words if word), tuple(dict.fromkeys(forms)))
