"""The topic vocabulary: every canonical entity value, by entity, with the forms in which the
documents write it, and the variants users type (Rasa's entity synonyms in bot/data/nlu/entities.yml,
the one list of them), found in a message by `terms_in`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from embeddings.indonesian import synonym_table

MAX_TERM_WORDS = 4

SYMPTOMS: Mapping[str, Tuple[str, ...]] = {
    "kram": ("kram", "kejang", "krump", "crump", "spasme"),
    "kejang": ("kejang", "spasme", "kram"),
    "kedutan": ("kedut",),
    "kesemutan": ("kesemutan", "menggelenyar"),
    "mati rasa": ("mati rasa", "kebas"),
    "nyeri": ("nyeri", "sakit"),
    "bengkak": ("bengkak",),
    "lemah": ("lemah", "lemas"),
}
# The articles are about the lower leg, so calf and leg answer for each other.
BODY_PARTS: Mapping[str, Tuple[str, ...]] = {
    "betis": ("betis", "gastrocnemius", "kaki", "tungkai"),
    "kaki": ("kaki", "tungkai", "betis", "gastrocnemius"),
    "paha": ("paha",),
    "telapak kaki": ("telapak kaki", "kaki"),
    "jari kaki": ("jari kaki", "jari-jari kaki"),
    "tulang kering": ("tulang kering", "tibia"),
}
# Body parts recognised so that the bot can say honestly that its articles do not cover them (the
# lower back only as a cause of what the legs feel: a question naming it alone is about the back).
UNCOVERED_BODY_PARTS = (
    "punggung bawah",
    "tangan",
    "jari tangan",
    "lengan",
    "bahu",
    "perut",
    "dada",
    "kepala",
    "mata",
    "gigi",
    "rahang",
    "leher",
)
CONDITIONS: Mapping[str, Tuple[str, ...]] = {
    "sindrom kompartemen": ("kompartemen", "cecs"),
    "trombosis vena dalam": ("trombosis vena", "dvt"),
    "mioklonus": ("mioklon", "myoclon"),
    "linu panggul": ("linu panggul", "sciatic", "siatik", "skiatik"),
    "radikulopati lumbar": ("radikulopati",),
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
# Contexts steer the search (a passage that speaks of them is preferred) but are not required.
CONTEXTS: Mapping[str, Tuple[str, ...]] = {
    "malam": ("malam", "tidur", "mimpi"),
    "berlari": ("berlari", "lari", "pelari", "jogging"),
    "olahraga": ("olahraga", "latihan", "aktivitas fisik", "atlet"),
    "setelah olahraga": ("olahraga", "latihan", "aktivitas fisik", "atlet"),
    "kehamilan": ("hamil", "kehamilan", "trimester"),
    "usia lanjut": ("orang tua", "usia tua", "lanjut usia", "lansia", "usia menengah"),
    "anak": ("anak-anak", "anak,", "bayi", "pada anak"),
}
VOCABULARY: Mapping[str, Mapping[str, Tuple[str, ...]]] = {
    "symptom": SYMPTOMS,
    "body_part": {**BODY_PARTS, **{part: (part,) for part in UNCOVERED_BODY_PARTS}},
    "condition": CONDITIONS,
    "context": CONTEXTS,
}
ENTITIES = tuple(VOCABULARY)  # symptom, body_part, condition, context
_ENTITY_OF: Dict[str, str] = {value: entity for entity, values in VOCABULARY.items() for value in values}


@dataclass(frozen=True)
class Term:
    """A vocabulary value found in a message: its entity, canonical value and word span."""

    entity: str
    value: str
    start: int  # first word
    end: int  # after the last word


def entity_of(value: str) -> Optional[str]:
    """The entity a canonical value belongs to (NLU sometimes tags "anak" a body part), or None."""
    return _ENTITY_OF.get(value)


def forms(entity: str, value: str) -> Tuple[str, ...]:
    """How the documents write `value`; a value outside the vocabulary must appear as itself."""
    return VOCABULARY.get(entity, {}).get(value, (value,))


def is_covered(body_part: str) -> bool:
    """Whether the articles speak about `body_part` (the lower leg and what it hangs on)."""
    return body_part in BODY_PARTS


@lru_cache(maxsize=1)
def variants() -> Mapping[str, str]:
    """What users type -> canonical value: every canonical value itself, and Rasa's entity
    synonyms of them, as space-joined lower-case words."""
    table = {value: value for value in _ENTITY_OF}
    for variant, canonical in synonym_table().items():
        if canonical in _ENTITY_OF:
            table.setdefault(variant, canonical)
    return table


def terms_in(tokens: Sequence[str]) -> List[Term]:
    """The vocabulary values named by `tokens` (lower-case words), longest match first, left to
    right; "kram malam hari" names kram and malam."""
    table = variants()
    found: List[Term] = []
    position = 0
    while position < len(tokens):
        for size in range(min(MAX_TERM_WORDS, len(tokens) - position), 0, -1):
            value = table.get(" ".join(tokens[position : position + size]))
            if value:
                found.append(Term(_ENTITY_OF[value], value, position, position + size))
                position += size
                break
        else:
            position += 1
    return found
