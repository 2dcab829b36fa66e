"""Search: a query in, scored passages out, and the choice of what is good enough to answer with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence

import settings
from embeddings.encoder import Encoder
from embeddings.index import IndexSetError, PassageIndex
from embeddings.query import Query
from knowledge.passages import Passage


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # cosine similarity of query and passage
    rank: int  # 1-based


class Retriever:
    """Dense search over a PassageIndex; answers only with hits above `min_score`."""

    def __init__(
        self, index: PassageIndex, encoder: Encoder, top_k: int, min_score: float, second_margin: float
    ) -> None:
        if encoder.model_name != index.manifest.model:
            raise IndexSetError(
                f"Encoder model {encoder.model_name!r} differs from the index's {index.manifest.model!r}."
            )
        if top_k < 1:
            raise ValueError(f"top_k must be positive, got {top_k}")
        self.index = index
        self.encoder = encoder
        self.top_k = top_k
        self.min_score = min_score
        self.second_margin = second_margin

    def search(self, query: str, top_k: Optional[int] = None) -> List[Hit]:
        """The `top_k` passages nearest to `query`, best first."""
        vectors = self.encoder.encode([query])
        ranked = self.index.search(vectors, top_k or self.top_k)[0]
        return [Hit(self.index.passages[pos], score, rank) for rank, (pos, score) in enumerate(ranked, start=1)]

    def answer_hits(self, query: Query, max_passages: int = 2) -> List[Hit]:
        """The passages to answer with: among the hits that mention what the query requires, the
        best if it clears `min_score`, plus runners-up within `second_margin` of it. Empty when
        nothing is good enough."""
        hits = [hit for hit in self.search(query.text) if mentions_all(hit.passage, query.must_mention)]
        if not hits or hits[0].score < self.min_score:
            return []
        floor = max(self.min_score, hits[0].score - self.second_margin)
        return [hit for hit in hits[:max_passages] if hit.score >= floor]


def mentions_all(passage: Passage, groups: Sequence[Sequence[str]]) -> bool:
    """True if the passage's heading or content contains a form of every group."""
    text = f"{passage.section}\n{passage.content}".lower()
    return all(any(form in text for form in forms) for forms in groups)


def load_retriever(config: settings.Settings) -> Retriever:
    """Load the configured model and index set once, checking that they belong together."""
    encoder = Encoder(config.embedding_model)
    index = PassageIndex.load(config.index_dir, config.embedding_model)
    encoder.warm_up()
    return Retriever(index, encoder, config.top_k, config.min_score, config.second_passage_margin)
