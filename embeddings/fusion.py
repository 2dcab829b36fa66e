"""Fusion: one relevance score per passage from its dense evidence (the question's cosine with the
passage and with the passage's nearest example question), its lexical (BM25) evidence, whether it
is about the aspect asked, how many of the question's named terms it mentions, and a penalty for a
question nearer to what the documents do not cover than to anything they answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Sequence


@dataclass(frozen=True)
class Fusion:
    """dense_weight * cosine with the passage + example_weight * cosine with its nearest example
    + lexical_weight * bm25 / (bm25 + lexical_half)
    + aspect_boost * aspect match (1 main aspect, 0.5 another of its aspects)
    + term_boost * share of the question's named terms the passage mentions
    - scope_penalty * how much nearer the question is to an out-of-scope example than to an answered one.

    Each part is bounded and means the same for every query, so a threshold on the sum can be
    calibrated. Build one from the settings (`search.build_retriever`), which hold the defaults.
    """

    dense_weight: float
    example_weight: float
    lexical_weight: float
    lexical_half: float
    aspect_boost: float
    term_boost: float
    scope_penalty: float

    def __post_init__(self) -> None:
        if self.lexical_half <= 0:
            raise ValueError(f"lexical_half must be positive, got {self.lexical_half}")
        weights = (
            self.dense_weight,
            self.example_weight,
            self.lexical_weight,
            self.aspect_boost,
            self.term_boost,
            self.scope_penalty,
        )
        if min(weights) < 0:
            raise ValueError(f"fusion weights must not be negative: {self}")

    def scores(
        self,
        dense: Sequence[float],
        example: Sequence[float],
        lexical: Sequence[float],
        aspect: Sequence[float],
        terms: Sequence[float],
        out_of_scope_gap: float = 0.0,
    ) -> List[float]:
        """One fused score per candidate; the sequences are aligned by candidate, the gap is the
        question's (out-of-scope cosine minus answered cosine, if positive)."""
        if not len(dense) == len(example) == len(lexical) == len(aspect) == len(terms):
            raise ValueError("dense, example, lexical, aspect and term evidence must have one value per candidate")
        penalty = self.scope_penalty * max(out_of_scope_gap, 0.0)
        return [
            self.dense_weight * d
            + self.example_weight * e
            + self.lexical_weight * saturate(b, self.lexical_half)
            + self.aspect_boost * a
            + self.term_boost * t
            - penalty
            for d, e, b, a, t in zip(dense, example, lexical, aspect, terms)
        ]


def saturate(score: float, half: float) -> float:
    """Map a non-negative BM25 score into [0, 1): `half` maps to 0.5."""
    score = max(float(score), 0.0)
    return score / (score + half)
