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
TOPIC_ENTITIES = ("symptom", "body_part", "condition", "context")
# The entities a passage must speak about to answer; the context only steers the search.
REQUIRED_ENTITIES = ("symptom", "body_part", "condition")

# How the documents write each canonical entity value (lower-case substrings). A value not listed
# here (a body part the documents do not cover, say) must appear as itself.
TERM_FORMS: Mapping[str, Tuple[str, ...]] = {
    # symptoms
    "kram": ("kram", "kejang", "krump", "crump"),
    "kejang": ("kejang", "spasme", "kram"),
    "kedutan": ("kedut",),
    "kesemutan": ("kesemutan", "menggelenyar"),
    "mati rasa": ("mati rasa", "kebas"),
    "nyeri": ("nyeri",),
    "bengkak": ("bengkak",),
    "lemah": ("lemah", "lemas"),
    # body parts: the articles are about the lower leg, so calf and leg answer for each other
    "betis": ("betis", "gastrocnemius", "kaki", "tungkai"),
    "kaki": ("kaki", "tungkai", "betis", "gastrocnemius"),
    "paha": ("paha",),
    "telapak kaki": ("telapak kaki", "kaki"),
    "jari kaki": ("jari kaki", "jari-jari kaki"),
    "tulang kering": ("tulang kering", "tibia"),
    "punggung bawah": ("punggung", "lumbar", "lumbal", "pinggang"),
    # conditions the articles describe
    "sindrom kompartemen": ("kompartemen", "cecs"),
    "trombosis vena dalam": ("trombosis vena", "dvt"),
    "mioklonus": ("mioklon",),
    "linu panggul": ("linu panggul", "sciatic", "siatik", "skiatik"),
    "stenosis tulang belakang": ("stenosis",),
    "hernia diskus": ("hernia", "prolaps diskus", "cakram"),
    "varises": ("varises",),
    "tromboflebitis": ("tromboflebitis",),
    "penyakit vaskular perifer": ("vaskular perifer", "pembuluh darah perifer", "arteri perifer"),
    "arteriosklerosis": ("arterioskl", "ateroskl"),
    "neuropati": ("neuropati",),
    "diabetes": ("diabetes",),
    "epilepsi": ("epilepsi",),
    "parkinson": ("parkinson",),
    "sindrom kaki gelisah": ("kaki gelisah",),
    "dehidrasi": ("dehidrasi",),
    "kekurangan mineral": ("magnesium", "kalium", "potasium", "kalsium", "mineral", "elektrolit"),
}


@dataclass(frozen=True)
class Query:
    """What to search for, and what an answering passage must mention: one form of every group."""

    text: str
    must_mention: Tuple[Tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Topic:
    """What a question is about, as canonical Indonesian entity values."""

    symptom: Tuple[str, ...] = ()
    body_part: Tuple[str, ...] = ()
    condition: Tuple[str, ...] = ()
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
        """A symptom, body part or condition; a context alone ("malam") is not a complaint."""
        return any(getattr(self, name) for name in REQUIRED_ENTITIES)

    def terms(self) -> Tuple[str, ...]:
        return tuple(value for name in TOPIC_ENTITIES for value in getattr(self, name))


def build_query(aspect_intent: str, topic: Topic) -> Query:
    """The aspect's words, then the topic's canonical terms; each named symptom, body part and
    condition must be mentioned by an answering passage (any one value of each kind).

    Built from canonical Indonesian values only, so an English or informal question retrieves
    like its formal Indonesian equivalent.
    """
    words = [ASPECT_TERMS.get(aspect_intent, ""), *topic.terms()]
    groups = []
    for name in REQUIRED_ENTITIES:
        forms = [form for value in getattr(topic, name) for form in TERM_FORMS.get(value, (value,))]
        if forms:
            groups.append(tuple(dict.fromkeys(forms)))
    return Query(" ".join(word for word in words if word), tuple(groups))
