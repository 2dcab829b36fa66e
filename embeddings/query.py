"""Retrieval queries built from what NLU understood: the topic's canonical terms, the aspect
asked about, and the question's own content words in formal Indonesian."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Optional, Sequence, Tuple

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
    """What to search for. `text` is embedded, `keywords` are matched lexically; an answering
    passage must mention one form of every `must_mention` group and not be in `exclude`."""

    text: str
    keywords: str = ""
    aspect: str = GENERAL
    must_mention: Tuple[Tuple[str, ...], ...] = ()
    exclude: Tuple[str, ...] = ()

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
        forms = [form for value in getattr(topic, name) for form in TERM_FORMS.get(value, (value,))]
        if forms:
            groups.append(tuple(dict.fromkeys(forms)))
    return Query(text, text, aspect if aspect in ASPECT_TERMS else GENERAL, tuple(groups), tuple(exclude))
