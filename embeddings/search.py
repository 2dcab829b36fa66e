"""Hybrid search: dense (FAISS) and lexical (BM25) scores fused with the query's aspect, and the
choice of what is good enough to answer with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Sequence

import faiss
import numpy as np

import settings
from embeddings.encoder import Encoder
from embeddings.fusion import Fusion
from embeddings.index import IndexSetError, PassageIndex
from embeddings.indonesian import Analyzer, Glossary
from embeddings.lexical import LexicalIndex
from embeddings.query import Query
from knowledge.aspects import GENERAL
from knowledge.passages import Passage


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # fused relevance, comparable across queries: the abstention threshold applies to it
    rank: int  # 1-based
    dense: float = 0.0  # cosine similarity of query and passage embeddings
    lexical: float = 0.0  # BM25 score of the query's keywords


# A second passage is only worth showing with at least this much of the answer's room left.
MIN_SECOND_PASSAGE_CHARS = 200


class Retriever:
    """Dense and lexical search over one index set; answers only with hits above `min_score`,
    within `max_chars` of passage text."""

    def __init__(
        self,
        index: PassageIndex,
        encoder: Encoder,
        lexical: LexicalIndex,
        fusion: Fusion,
        top_k: int,
        min_score: float,
        second_margin: float,
        max_chars: int,
        query_cache: int = 1024,
    ) -> None:
        if encoder.model_name != index.manifest.model:
            raise IndexSetError(
                f"Encoder model {encoder.model_name!r} differs from the index's {index.manifest.model!r}."
            )
        if top_k < 1:
            raise ValueError(f"top_k must be positive, got {top_k}")
        self.index = index
        self.encoder = encoder
        self.lexical = lexical
        self.fusion = fusion
        self.top_k = top_k
        self.min_score = min_score
        self.second_margin = second_margin
        self.max_chars = max_chars
        self.query_cache = query_cache
        self._embedded: Dict[str, np.ndarray] = {}

    @property
    def analyzer(self) -> Analyzer:
        return self.lexical.analyzer

    def replaced(self, **changes) -> "Retriever":
        """The same retriever with some constructor arguments changed (for tuning and tests)."""
        names = ("index", "encoder", "lexical", "fusion", "top_k", "min_score", "second_margin", "max_chars", "query_cache")
        return Retriever(**{name: changes.pop(name, getattr(self, name)) for name in names}, **changes)

    def search(self, query: Query) -> List[Hit]:
        """The passages that may answer `query` (they mention what it requires and were not shown
        yet), among the `top_k` nearest by each search, best first."""
        vector = self._embed(query.text)
        dense_ranked = self.index.search(vector, self.top_k)[0]
        lexical_scores = self.lexical.scores(query.keywords)
        lexical_ranked = [int(p) for p in np.argsort(-lexical_scores, kind="stable")[: self.top_k] if lexical_scores[p] > 0]
        candidates = dict.fromkeys([pos for pos, _ in dense_ranked] + lexical_ranked)
        dense_scores = {pos: score for pos, score in dense_ranked}
        for pos in candidates:
            if pos not in dense_scores:
                dense_scores[pos] = float(self.index.index.reconstruct(pos) @ vector[0])
        excluded = set(query.exclude)
        eligible = [
            pos
            for pos in candidates
            if self.index.passages[pos].id not in excluded and mentions_all(self.index.passages[pos], query.must_mention)
        ]
        passages = [self.index.passages[pos] for pos in eligible]
        fused = self.fusion.scores(
            [dense_scores[pos] for pos in eligible],
            [float(lexical_scores[pos]) for pos in eligible],
            [aspect_match(passage, query.aspect) for passage in passages],
            [float(bool(query.context) and mentions_all(passage, (query.context,))) for passage in passages],
        )
        scores = dict(zip(eligible, fused))
        ranked = sorted(eligible, key=lambda pos: -scores[pos])
        return [
            Hit(self.index.passages[pos], scores[pos], rank, dense_scores[pos], float(lexical_scores[pos]))
            for rank, pos in enumerate(ranked, start=1)
        ]

    def _embed(self, text: str) -> np.ndarray:
        """The query's embedding, shape (1, dimension); a follow-up often repeats a query text, so
        the last `query_cache` are kept."""
        if text in self._embedded:
            return self._embedded[text]
        vector = self.encoder.encode([text])
        if self.query_cache > 0:
            if len(self._embedded) >= self.query_cache:
                self._embedded.pop(next(iter(self._embedded)))
            self._embedded[text] = vector
        return vector

    def answer_hits(self, query: Query, max_passages: int = 2) -> List[Hit]:
        """The passages to answer `query` with; empty when nothing is good enough."""
        return self.select(self.search(query), max_passages)

    def select(self, hits: Sequence[Hit], max_passages: int = 2) -> List[Hit]:
        """Of ranked `hits`, the best if it clears `min_score`, plus runners-up within
        `second_margin` of it while the first leaves room for them, at most `max_passages`."""
        if not hits or hits[0].score < self.min_score:
            return []
        floor = max(self.min_score, hits[0].score - self.second_margin)
        if len(hits[0].passage.content) > self.max_chars - MIN_SECOND_PASSAGE_CHARS:
            max_passages = 1
        return [hit for hit in hits[:max_passages] if hit.score >= floor]


def aspect_match(passage: Passage, aspect: str) -> float:
    """1 if `aspect` is the passage's main aspect, 0.5 if it is another of its aspects, else 0
    (always 0 for a general question)."""
    if aspect == GENERAL or aspect not in passage.aspects:
        return 0.0
    return 1.0 if passage.aspects[0] == aspect else 0.5


def mentions_all(passage: Passage, groups: Sequence[Sequence[str]]) -> bool:
    """True if the passage's document title, heading or content contains a form of every group
    (a passage of "Kaki bagian bawah mati rasa saat berlari" speaks of the leg)."""
    text = f"{passage.doc_title}\n{passage.section}\n{passage.content}".lower()
    return all(any(form in text for form in forms) for forms in groups)


def build_retriever(index: PassageIndex, encoder: Encoder, config: settings.Settings) -> Retriever:
    """A retriever over `index` with the lexical index and fusion that `config` names."""
    lexical = LexicalIndex(index.passages, Analyzer(Glossary.load(), stemming=config.stemming))
    fusion = Fusion(
        method=config.fusion_method,
        dense_weight=config.dense_weight,
        lexical_weight=config.lexical_weight,
        lexical_half=config.lexical_half,
        aspect_boost=config.aspect_boost,
        context_boost=config.context_boost,
    )
    return Retriever(
        index,
        encoder,
        lexical,
        fusion,
        config.top_k,
        config.min_score,
        config.second_passage_margin,
        config.max_answer_chars,
        config.query_cache,
    )


def load_retriever(config: settings.Settings) -> Retriever:
    """Load the configured model and index set once, checking that they belong together. One
    question at a time gains nothing from more threads, and on a busy CPU idle threads that
    spin-wait made HNSW searches take up to 16 ms instead of 0.04 ms: RETRIEVAL_THREADS (1)."""
    faiss.omp_set_num_threads(config.retrieval_threads)
    encoder = Encoder(config.embedding_model, threads=config.retrieval_threads)
    index = PassageIndex.load(config.index_dir, config.embedding_model)
    encoder.warm_up()
    return build_retriever(index, encoder, config)
