"""The topic vocabulary: every canonical entity value NLU produces, by entity, with the forms in
which the documents write it (lower-case substrings of a passage's title, heading or text)."""

from __future__ import annotations

from typing import Dict, Mapping, Optional, Tuple

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
    "punggung bawah": ("punggung", "lumbar", "lumbal", "pinggang"),
}
# Body parts NLU recognises so that the bot can say honestly that its articles do not cover them.
UNCOVERED_BODY_PARTS = ("tangan", "lengan", "perut", "kepala", "leher")
CONDITIONS: Mapping[str, Tuple[str, ...]] = {
    "sindrom kompartemen": ("kompartemen", "cecs"),
    "trombosis vena dalam": ("trombosis vena", "dvt"),
    "mioklonus": ("mioklon", "myoclon"),
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
_ENTITY_OF: Dict[str, str] = {value: entity for entity, values in VOCABULARY.items() for value in values}


def entity_of(value: str) -> Optional[str]:
    """The entity a canonical value belongs to (NLU sometimes tags "anak" a body part), or None."""
    return _ENTITY_OF.get(value)


def forms(entity: str, value: str) -> Tuple[str, ...]:
    """How the documents write `value`; a value outside the vocabulary must appear as itself."""
    return VOCABULARY.get(entity, {}).get(value, (value,))
