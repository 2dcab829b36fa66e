"""The dose guard: questions about how much of a drug or supplement to take, or which one to buy.

The bot never answers them from the documents; it refers to a doctor or pharmacist.
"""

from __future__ import annotations

import re

from safety.normalize import normalize

_SUBSTANCE = (
    r"obat\w*|magnesium|kalsium|kalium|potasium|vitamin\w*|b12|b6|d3|suplemen\w*|tablet\w*|pil|kapsul\w*|kina|kuinin"
    r"|quinine|ibuprofen|parasetamol|paracetamol|asam mefenamat|relaksan otot|muscle relaxant\w*|calcium|potassium"
    r"|supplements?|pills?|medicines?|medications?|drugs?|painkillers?|mg"
)
_PATTERNS = tuple(
    re.compile(pattern)
    for pattern in (
        r"\b(dosis|dosisnya|takaran\w*|dose|doses|dosage)\b",
        r"\b\d+\s*(mg|mcg|iu|miligram)\b",
        rf"\bberapa\b.*\b({_SUBSTANCE})\b|\b({_SUBSTANCE})\b.*\bberapa\b",
        rf"\bhow (much|many|often)\b.*\b({_SUBSTANCE})\b",
        r"\b(obat|suplemen|vitamin)\w*( [\w-]+){0,5} (apa|yang (paling )?(bagus|ampuh|manjur|cocok|efektif|aman))\b",
        r"\b(minum|konsumsi|mengonsumsi)( obat)? apa\b|\bwhat (should|can|do) i take\b",
        rf"\b(merk|merek|brand)\w* (apa|yang)\b|\b(beli|membeli|tebus)\b.*\b({_SUBSTANCE})\b",
        rf"\b(what|which)\b.*\b({_SUBSTANCE})\b.*\b(take|buy|use|get)\b",
        r"\b(resepkan|resepin|meresepkan|prescribe)\b",
    )
)


def asks_for_dose(text: str) -> bool:
    """Whether `text` asks how much of a drug or supplement to take, or which drug to take or buy."""
    normalized = normalize(text)
    return any(pattern.search(normalized) for pattern in _PATTERNS)
