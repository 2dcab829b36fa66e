"""Retrieval queries built from what NLU understood: the topic's canonical terms, the aspect
asked about, and the question's own content words in formal Indonesian."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Optional, Sequence, Tuple

from embeddings.vocabulary import entity_of, forms
from knowledge.aspects import GENERAL

# The aspect each health intent asks about (knowledge.aspects.ASPECTS).
ASPECT_OF_INTENT: Mapping[str, str] = {
    "ask_cause": "cause",
    "ask_treatment": "treatment",
    "ask_prevention": "prevention",
    "ask_symptoms": "symptoms",
    "ask_definition": "definition",
    "ask_when_to_see_doctor": "see_doctor",
    "ask_diagnosis": "diagnosis",
    "describe_symptom": GENERAL,
}
# Each aspect in the words the documents use for it.
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
TOPIC_ENTITIES = ("symptom", "body_part", "condition", "context")
# The entities a passage must speak about to answer; the context only steers the search.
REQUIRED_ENTITIES = ("symptom", "body_part", "condition")


@dataclass(frozen=True)
class Query:
    """What to search for. `text` is embedded, `keywords` are matched lexically; an answering
    passage must mention one form of every `must_mention` group and not be in `exclude`, and
    one that mentions a form in `context` is preferred."""

    text: str
    keywords: str = ""
    aspect: str = GENERAL
    must_mention: Tuple[Tuple[str, ...], ...] = ()
    exclude: Tuple[str, ...] = ()
    context: Tuple[str, ...] = ()

    @classmethod
    def plain(cls, text: str) -> "Query":
        """The raw text for both searches, nothing required: what an off-the-shelf retriever does."""
        return cls(text=text, keywords=text)


@dataclass(frozen=True)
class Topic:
    """What a question is about, as canonical Indonesian entity values."""

    symptom: Tuple[str, ...] = ()
    body_part: Tuple[str, ...] = ()
    condition: Tuple[str, ...] = ()
    context: Tuple[str, ...] = ()

    @classmethod
    def from_entities(cls, entities: Iterable[Mapping]) -> "Topic":
        """From NLU entities (dicts with `entity` and `value`), lower-cased, in order, once each; a
        known value counts as the entity it belongs to, whatever NLU tagged it."""
        found = {name: [] for name in TOPIC_ENTITIES}
        for entity in entities:
            value = str(entity.get("value") or "").strip().lower()
            name = entity_of(value) or entity.get("entity")
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
        """A symptom, body part or condition; a context alone ("malam") is not a complaint."""
        return any(getattr(self, name) for name in REQUIRED_ENTITIES)

    def terms(self) -> Tuple[str, ...]:
        return tuple(value for name in TOPIC_ENTITIES for value in getattr(self, name))


def build_query(aspect: str, topic: Topic, words: Sequence[str] = (), exclude: Sequence[str] = ()) -> Query:
    """The aspect's words, the topic's canonical terms and the question's content words; each named
    symptom, body part and condition must be mentioned by an answering passage.

    Built from canonical and glossary-translated Indonesian, so an English or informal question
    retrieves like its formal Indonesian equivalent.
    """
    parts = [ASPECT_TERMS.get(aspect, ""), *topic.terms(), *words]
    text = " ".join(dict.fromkeys(part for part in parts if part))
    groups = []
    for name in REQUIRED_ENTITIES:
        group = [form for value in getattr(topic, name) for form in forms(name, value)]
        if group:
            groups.append(tuple(dict.fromkeys(group)))
    context = tuple(dict.fromkeys(form for value in topic.context for form in forms("context", value)))
    aspect = aspect if aspect in ASPECT_TERMS else GENERAL
    return Query(text, text, aspect, tuple(groups), tuple(exclude), context)
