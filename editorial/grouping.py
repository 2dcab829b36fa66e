"""Questions grouped by meaning: embedded with the project's encoder (as queries, normalized) and
clustered by average-linkage agglomerative clustering, cutting where the average cosine distance
between two groups exceeds a threshold (CONTENT_GROUP_DISTANCE)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Dict, List, Sequence, Tuple

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from embeddings.encoder import Encoder

EXAMPLES_PER_GROUP = 3


@dataclass(frozen=True)
class QuestionGroup:
    """Questions that mean about the same: how many were asked, the most asked wordings first."""

    count: int
    examples: Tuple[str, ...]


def group_questions(questions: Sequence[str], encoder: Encoder, distance: float) -> List[QuestionGroup]:
    """`questions` (repeats included) grouped by meaning, biggest group first; each group's
    examples are its most frequent distinct wordings."""
    wordings = Counter(" ".join(q.split()) for q in questions if q.strip())
    texts = sorted(wordings, key=lambda text: (-wordings[text], text))
    if not texts:
        return []
    labels = cluster_labels(encoder.encode_queries(texts), distance)
    members: Dict[int, List[str]] = {}
    for text, label in zip(texts, labels):
        members.setdefault(int(label), []).append(text)
    groups = [
        QuestionGroup(sum(wordings[text] for text in group), tuple(group[:EXAMPLES_PER_GROUP]))
        for group in members.values()
    ]
    return sorted(groups, key=lambda group: (-group.count, group.examples))


def cluster_labels(vectors: np.ndarray, distance: float) -> np.ndarray:
    """A group number per row of unit `vectors`: rows closer than `distance` (1 - cosine) on
    average end in one group."""
    if len(vectors) < 2:
        return np.zeros(len(vectors), dtype=int)
    clustering = AgglomerativeClustering(
        n_clusters=None, distance_threshold=distance, affinity="cosine", linkage="average"
    )
    return clustering.fit_predict(vectors)
