"""Aspects: what a passage (or a question) is about — cause, treatment, prevention, symptoms,
diagnosis, when to see a doctor, definition — found from cue words in its heading and text.

A passage's heading says what its section is about, but these articles often change subject
inside a section ("Disarankan untuk tujuan pencegahan:" under "Bantuan segera"), so the opening
sentence and the body count too. A passage can have several aspects; the strongest comes first.
"""

from __future__ import annotations

import re
from typing import Dict, Mapping, Pattern, Tuple

GENERAL = "general"
ASPECTS = ("cause", "treatment", "prevention", "symptoms", "diagnosis", "see_doctor", "definition", GENERAL)

# Lower-case cues in Indonesian and English. A cue matches a whole word, optionally with a
# suffix (-nya, -kan, -an, -i, -lah, -s) or a reduplication ("obat-obatan"); prefixed forms
# are listed where the documents use them.
_CUES: Mapping[str, Tuple[str, ...]] = {
    "cause": (
        "penyebab", "menyebabkan", "disebabkan", "sebab", "memicu", "dipicu", "pemicu", "alasan",
        "faktor", "akibat", "mengapa", "kenapa", "karena", "cause", "why",
    ),
    "treatment": (
        "pengobatan", "mengobati", "diobati", "obat", "perawatan", "merawat", "terapi", "mengatasi",
        "diatasi", "atasi", "meredakan", "redakan", "reda", "menghilangkan", "dihilangkan", "bantuan",
        "pertolongan", "pijat", "gosok", "menggosok", "meregangkan", "regangkan", "kompres",
        "menyembuhkan", "sembuh", "dilakukan", "lakukan", "treat", "treatment", "relieve", "relief", "help", "stop",
        "do about", "what to do",
    ),
    "prevention": (
        "pencegahan", "mencegah", "dicegah", "cegah", "preventif", "profilaksis", "menghindari",
        "hindari", "agar tidak", "supaya tidak", "tidak berulang", "prevent", "prevention", "avoid",
    ),
    "symptoms": ("gejala", "tanda", "ciri", "disertai", "keluhan", "symptom", "sign"),
    "diagnosis": (
        "diagnosis", "diagnosa", "diagnostik", "mendiagnosis", "didiagnosis", "pemeriksaan",
        "memeriksa", "diperiksa", "tes", "uji", "mri", "usg", "doppler", "pencitraan", "rontgen",
        "elektromiografi", "analisis darah", "cek", "diagnose", "diagnosed", "test", "exam",
    ),
    "see_doctor": (
        "ke dokter", "berkonsultasi", "konsultasi", "menghubungi dokter", "hubungi dokter",
        "periksakan", "diperiksa oleh dokter", "perhatian medis", "bantuan medis", "berbahaya",
        "bahaya", "serius", "see a doctor", "dangerous", "serious", "worry",
    ),
    "definition": (
        "apa itu", "yang dimaksud", "disebut", "mengacu", "pengertian", "definisi", "jenis",
        "arti", "what is", "what are", "mean", "meaning",
    ),
}
# "X adalah ..." defines X when it opens a passage; elsewhere it is just a verb.
_OPENING_CUES: Mapping[str, Tuple[str, ...]] = {"definition": ("adalah", "merupakan")}


def _pattern(cues: Tuple[str, ...]) -> Pattern[str]:
    alternatives = "|".join(re.escape(cue) for cue in sorted(cues, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?:nya|kan|an|i|lah|s|-\w+)?(?![\w-])")


_PATTERNS: Mapping[str, Pattern[str]] = {aspect: _pattern(cues) for aspect, cues in _CUES.items()}
_OPENING_PATTERNS: Mapping[str, Pattern[str]] = {
    aspect: _pattern(cues + _OPENING_CUES.get(aspect, ())) for aspect, cues in _CUES.items()
}
_FIRST_SENTENCE = re.compile(r"^.*?(?:[.!?:](?=\s)|$)", re.DOTALL)

HEADING_WEIGHT = 3.0
OPENING_WEIGHT = 2.0
BODY_WEIGHT = 0.5
BODY_CAP = 2.0  # the body alone cannot outweigh a heading
MIN_SCORE = 2.0  # a passage has an aspect when its cues add up to this


def cue_counts(text: str, patterns: Mapping[str, Pattern[str]] = _PATTERNS) -> Dict[str, int]:
    """How many cues of each aspect occur in `text` (lower-cased)."""
    lowered = text.lower()
    return {aspect: len(pattern.findall(lowered)) for aspect, pattern in patterns.items()}


def passage_aspects(heading: str, content: str) -> Tuple[str, ...]:
    """The aspects of a passage, strongest first; `("general",)` when no cue is strong enough."""
    opening = _FIRST_SENTENCE.match(content.strip())
    heading_counts = cue_counts(heading)
    opening_counts = cue_counts(opening.group(0) if opening else "", _OPENING_PATTERNS)
    body_counts = cue_counts(content)
    scores = {
        aspect: HEADING_WEIGHT * min(heading_counts[aspect], 1)
        + OPENING_WEIGHT * min(opening_counts[aspect], 1)
        + min(BODY_WEIGHT * body_counts[aspect], BODY_CAP)
        for aspect in _CUES
    }
    ranked = sorted((aspect for aspect in _CUES if scores[aspect] >= MIN_SCORE), key=lambda a: -scores[a])
    return tuple(ranked) or (GENERAL,)


def without_cues(text: str) -> str:
    """`text` (lower-cased) with every aspect cue removed: what a question asks about, not how."""
    lowered = text.lower()
    for pattern in _PATTERNS.values():
        lowered = pattern.sub(" ", lowered)
    return " ".join(lowered.split())


def question_aspect(text: str) -> str:
    """The aspect a question's own words ask about ("" if none): the cue that occurs most, and on
    a tie the one said first ("Bagaimana meredakan kejang akibat stenosis?" asks for relief)."""
    lowered = text.lower()
    counts = cue_counts(lowered)
    first = {
        aspect: (m.start() if (m := pattern.search(lowered)) else len(lowered)) for aspect, pattern in _PATTERNS.items()
    }
    best = max(_CUES, key=lambda aspect: (counts[aspect], -first[aspect]))
    return best if counts[best] else ""
