"""What a message asks about (cause, treatment, prevention, …), read by meaning: the vote of the
labelled example questions nearest to its embedding, each weighted by its cosine. Cue words
(knowledge.aspects) and NLU's intent help where the vote is unsure (dialogue.answering).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Sequence

import numpy as np

from knowledge.examples import ANSWERED, Example

# Labelled questions that vote, and the share of their weight that makes the vote the decision
# (else the cue words, else NLU's intent): on the dev split's aspects the vote alone was right for
# 0.74, the cue words for 0.70, the vote when sure and the cue words otherwise for 0.87.
NEIGHBOURS = 15
SURE_SHARE = 0.6


@dataclass(frozen=True)
class AspectVote:
    aspect: str  # knowledge.aspects.ASPECTS; "" when no labelled question is near
    share: float  # of the vote's weight, 0-1

    @property
    def sure(self) -> bool:
        return bool(self.aspect) and self.share >= SURE_SHARE


class AspectReader:
    """Votes of the answered `examples` labelled with an aspect, by their embeddings `vectors`."""

    def __init__(self, examples: Sequence[Example], vectors: np.ndarray, neighbours: int = NEIGHBOURS) -> None:
        if len(examples) != len(vectors):
            raise ValueError(f"{len(examples)} examples but {len(vectors)} vectors")
        labelled = [row for row, e in enumerate(examples) if e.kind == ANSWERED and e.aspect]
        self._vectors = vectors[labelled]
        self._aspects = [examples[row].aspect for row in labelled]
        self.neighbours = neighbours

    def vote(self, vector: np.ndarray) -> AspectVote:
        """The aspect the nearest labelled questions ask about, and its share of their weight."""
        if not self._aspects:
            return AspectVote("", 0.0)
        similarity = self._vectors @ np.ravel(vector)
        nearest = np.argsort(-similarity)[: self.neighbours]
        weights: Dict[str, float] = {}
        for row in nearest:
            weights[self._aspects[row]] = weights.get(self._aspects[row], 0.0) + max(float(similarity[row]), 0.0)
        total = sum(weights.values())
        if total <= 0:
            return AspectVote("", 0.0)
        best = max(weights, key=lambda aspect: weights[aspect])
        return AspectVote(best, weights[best] / total)
