"""Red flags by meaning: a message's embedding weighed against labelled emergencies and what is not
an emergency, so that signs no rule names ("sikile adhem lan biru", "he's talking nonsense after
the race") are still escalated.

A logistic regression on the encoder's embeddings, fitted when an index set loads, on its
examples (knowledge.examples): the emergencies of every red-flag category against their calm
look-alikes and, weighted less, the ordinary questions of the example set (answered and out of
scope). An alarm's category is that of the emergencies nearest the message. It runs beside the
rules (safety.red_flags): either one raises the alarm. Measured against nearest neighbours alone
in reports/safety.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np

from knowledge.examples import ANSWERED, CALM, EMERGENCY, OUT_OF_SCOPE, Example

# Weight of an ordinary question against an exemplar, and the regression's inverse regularisation,
# chosen on the dev parts (suite and conversations, 90 emergencies, 262 other turns): alone, at the
# threshold 0.8 (TRIAGE_MEANING_THRESHOLD), it found 74 emergencies with 1 false alarm; weight 0.5
# and C 4 found 69 with 2, weight 2 and C 16 69 with 1 (make safety-report-dev).
ORDINARY_WEIGHT = 1.0
REGULARISATION = 16.0
NEAREST = 3  # emergencies whose mean cosine names a category


@dataclass(frozen=True)
class Alarm:
    category: str  # safety.red_flags.CATEGORIES
    probability: float  # that the message is an emergency


class MeaningTriage:
    """Fitted on `examples` and their embeddings `vectors` (one row each, normalized); raises an
    alarm for a message whose probability of being an emergency is at least `threshold`."""

    def __init__(self, examples: Sequence[Example], vectors: np.ndarray, threshold: float) -> None:
        if len(examples) != len(vectors):
            raise ValueError(f"{len(examples)} examples but {len(vectors)} vectors")
        if not 0.0 < threshold < 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
        kinds = np.array([example.kind for example in examples])
        emergency = kinds == EMERGENCY
        if not emergency.any() or not (kinds == CALM).any():
            raise ValueError("triage by meaning needs emergency and calm examples (safety/exemplars.yml)")
        used = emergency | np.isin(kinds, (CALM, ANSWERED, OUT_OF_SCOPE))
        weights = np.where(np.isin(kinds, (ANSWERED, OUT_OF_SCOPE)), ORDINARY_WEIGHT, 1.0)[used]
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=REGULARISATION, class_weight="balanced", max_iter=5000)
        model.fit(vectors[used], emergency[used].astype(int), sample_weight=weights)
        self._weights = model.coef_[0].astype(np.float32)
        self._bias = float(model.intercept_[0])
        self._emergencies = vectors[emergency]
        self._categories = np.array([example.category for example in examples])[emergency]
        self.threshold = threshold

    def probability(self, vector: np.ndarray) -> float:
        """How likely the message embedded as `vector` (shape (dimension,) or (1, dimension)) is an emergency."""
        return float(1.0 / (1.0 + np.exp(-(float(np.ravel(vector) @ self._weights) + self._bias))))

    def assess(self, vector: np.ndarray) -> Optional[Alarm]:
        """An alarm when the message embedded as `vector` reads as an emergency, else None."""
        probability = self.probability(vector)
        if probability < self.threshold:
            return None
        return Alarm(self.nearest_category(vector), probability)

    def nearest_category(self, vector: np.ndarray) -> str:
        """The category whose NEAREST emergencies are, on average, the most like the message."""
        similarity = self._emergencies @ np.ravel(vector)
        best, best_score = "", -np.inf
        for category in dict.fromkeys(self._categories):
            nearest = np.sort(similarity[self._categories == category])[-NEAREST:]
            if nearest.mean() > best_score:
                best, best_score = category, float(nearest.mean())
        return best
