"""Fusion: one relevance score per passage from its dense (cosine) and lexical (BM25) evidence
and whether it is about the aspect asked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, List, Sequence

METHODS = ("weighted", "rrf")


@dataclass(frozen=True)
class Fusion:
    """How the evidence adds up.

    weighted: dense_weight * cosine + lexical_weight * bm25 / (bm25 + lexical_half)
              + aspect_boost * aspect match (1 main aspect, 0.5 another of its aspects)
              + context_boost * context match (1 if it speaks of the question's context).
              Each part is bounded and means the same for every query, so a threshold on the
              sum can be calibrated.
    rrf:      reciprocal rank fusion: dense_weight / (rrf_k + dense rank) + lexical_weight /
              (rrf_k + lexical rank), plus both boosts divided by rrf_k. Rank-based: robust to
              score scales, but its scores say nothing about absolute relevance.
    """

    method: str = "weighted"
    dense_weight: float = 0.5
    lexical_weight: float = 0.5
    lexical_half: float = 2.0
    aspect_boost: float = 0.1
    context_boost: float = 0.05
    rrf_k: int = 60

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"fusion method must be one of {METHODS}, got {self.method!r}")
        if self.lexical_half <= 0:
            raise ValueError(f"lexical_half must be positive, got {self.lexical_half}")
        if self.rrf_k < 1:
            raise ValueError(f"rrf_k must be at least 1, got {self.rrf_k}")

    def scores(
        self, dense: Sequence[float], lexical: Sequence[float], aspect: Sequence[float], context: Sequence[float]
    ) -> List[float]:
        """One fused score per candidate; the four sequences are aligned by candidate."""
        if not len(dense) == len(lexical) == len(aspect) == len(context):
            raise ValueError("dense, lexical, aspect and context evidence must have one value per candidate")
        boosts = [self.aspect_boost * a + self.context_boost * c for a, c in zip(aspect, context)]
        if self.method == "rrf":
            dense_rank, lexical_rank = ranks(dense), ranks(lexical)
            return [
                self.dense_weight / (self.rrf_k + d) + self.lexical_weight / (self.rrf_k + l) + b / self.rrf_k
                for d, l, b in zip(dense_rank, lexical_rank, boosts)
            ]
        return [
            self.dense_weight * d + self.lexical_weight * saturate(l, self.lexical_half) + b
            for d, l, b in zip(dense, lexical, boosts)
        ]


def saturate(score: float, half: float) -> float:
    """Map a non-negative BM25 score into [0, 1): `half` maps to 0.5."""
    score = max(float(score), 0.0)
    return score / (score + half)


def ranks(values: Sequence[float], key: Callable[[float], float] = float) -> List[int]:
    """1-based rank of each value, highest first; ties keep their order."""
    order = sorted(range(len(values)), key=lambda i: -key(values[i]))
    result = [0] * len(values)
    for rank, i in enumerate(order, start=1):
        result[i] = rank
    return result
