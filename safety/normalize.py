"""Chat Indonesian and English brought to one spelling for the safety patterns.

Lower-cased; abbreviations and slang ("gk", "tb2", "sesek", "bgt") become formal words, and
reduplication written with a 2 ("kejang2") is spelled out ("kejang-kejang").
"""

from __future__ import annotations

import re

_REDUPLICATED = re.compile(r"\b([a-z]+)2(?=\b|[a-z])")
_REPEATED_LETTERS = re.compile(r"([a-z])\1{2,}")
_SPACES = re.compile(r"\s+")

# Whole words only; the value may be several words.
_WORDS = {
    "tidak": ("gk", "ga", "gak", "nggak", "ngga", "enggak", "engga", "tdk", "tak", "g", "ndak", "nda", "kagak"),
    "tiba-tiba": ("tb2", "tiba-tiba", "tiba2", "tau-tau", "tau2", "tahu-tahu", "mendadak", "dadakan", "seketika"),
    "sudah": ("udah", "udh", "dah", "sdh", "uda"),
    "belum": ("blm", "blom", "belom"),
    "lebih": ("lbh",),
    "menit": ("mnt", "menitan"),
    "banget": ("bgt", "bngt"),
    "sesak": ("sesek", "sesk"),
    "napas": ("nafas", "nefes"),
    "hangat": ("anget",),
    "hilang": ("ilang",),
    "dari": ("dr",),
    "dan": ("sm", "n", "&"),
    "yang": ("yg",),
    "jadi": ("jd",),
    "bisa": ("bs",),
    "tadi": ("td",),
    "sekarang": ("skrg", "skrang"),
    "seperti": ("kyk", "kayak", "kek"),
    "saya": ("sy", "gw", "gue", "aku", "ak"),
    "kemarin": ("kmrn", "kemaren"),
}
_LOOKUP = {variant: formal for formal, variants in _WORDS.items() for variant in variants}
_TOKEN = re.compile(r"[a-z0-9'&-]+")


def normalize(text: str) -> str:
    """`text` in the spelling the safety patterns are written in."""
    text = text.lower().replace("\u2019", "'")
    text = _REPEATED_LETTERS.sub(r"\1", text)
    text = _TOKEN.sub(_formal, text)  # before reduplication: "tb2" is a word of its own
    text = _TOKEN.sub(_formal, _REDUPLICATED.sub(lambda m: f"{m.group(1)}-{m.group(1)}", text))
    return _SPACES.sub(" ", text).strip()


def _formal(match: "re.Match[str]") -> str:
    word = match.group(0)
    if word in _LOOKUP:
        return _LOOKUP[word]
    return "-".join(_LOOKUP.get(part, part) for part in word.split("-"))
