"""Hybrid search: the question embedded and compared (FAISS) with the passages and with the example
questions they answer, matched lexically (BM25), fused with boosts for the aspect asked and the
terms named and a penalty when it resembles what the documents do not cover; and the choice of
what is good enough to answer with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

import settings
from embeddings.encoder import Encoder
from embeddings.fusion import Fusion
from embeddings.index import IndexSetError, PassageIndex
from embeddings.indonesian import Analyzer, Glossary
from embeddings.lexical import LexicalIndex, lexical_text
from embeddings.query_embedding import QueryEmbedder
from knowledge.aspects import GENERAL
from knowledge.examples import ANSWERED, OUT_OF_SCOPE
from knowledge.passages import Passage


@dataclass(frozen=True)
class Query:
    """What to search for: `text` is embedded and, analysed, matched by BM25; a passage about
    `aspect` and one that mentions a form of each `mentions` group score higher; none of
    `exclude` (passage ids) is returned."""

    text: str
    aspect: str = GENERAL
    mentions: Tuple[Tuple[str, ...], ...] = ()
    exclude: Tuple[str, ...] = ()


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # fused relevance, comparable across queries: the abstention threshold applies to it
    rank: int  # 1-based
    dense: float = 0.0  # cosine similarity of query and passage embeddings
    example: float = 0.0  # cosine with the nearest example question the passage answers
    lexical: float = 0.0  # BM25 score of the query's terms


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
        embedder: Optional[QueryEmbedder] = None,
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
        self.embedder = embedder if embedder is not None else QueryEmbedder(encoder, query_cache)
        positions = {p.id: pos for pos, p in enumerate(index.passages)}
        self._examples_of: Dict[int, List[int]] = {}
        for number, example in enumerate(index.examples):
            for passage_id in example.passage_ids:
                self._examples_of.setdefault(positions[passage_id], []).append(number)
        self._answered = np.array([e.kind == ANSWERED for e in index.examples], dtype=bool)
        self._out_of_scope = np.array([e.kind == OUT_OF_SCOPE for e in index.examples], dtype=bool)

    @property
    def analyzer(self) -> Analyzer:
        return self.lexical.analyzer

    def replaced(self, **changes) -> "Retriever":
        """The same retriever with some constructor arguments changed (for tuning and tests); it
        shares this one's query embeddings unless the encoder or the cache changes."""
        if not {"encoder", "query_cache"} & set(changes):
            changes.setdefault("embedder", self.embedder)
        names = (
            "index",
            "encoder",
            "lexical",
            "fusion",
            "top_k",
            "min_score",
            "second_margin",
            "max_chars",
            "query_cache",
        )
        return Retriever(**{name: changes.pop(name, getattr(self, name)) for name in names}, **changes)

    def search(self, query: Query, vector: Optional[np.ndarray] = None) -> List[Hit]:
        """The passages not excluded among the `top_k` nearest by each search (the passages, their
        example questions, BM25), best first; `vector` is the query's embedding when it is known."""
        vector = self.embedder.embed([query.text]) if vector is None else np.reshape(vector, (1, -1))
        dense_ranked = self.index.search(vector, self.top_k)[0]
        example_scores = self._example_scores(vector)
        lexical_scores = self.lexical.scores(query.text)
        lexical_ranked = [
            int(p) for p in np.argsort(-lexical_scores, kind="stable")[: self.top_k] if lexical_scores[p] > 0
        ]
        nearest_examples = [
            int(n) for n in np.argsort(-np.where(self._answered, example_scores, -np.inf))[: self.top_k]
        ]
        example_ranked = [pos for pos, numbers in self._examples_of.items() if set(numbers) & set(nearest_examples)]
        dense_scores = dict(dense_ranked)
        excluded = set(query.exclude)
        candidates = [
            pos
            for pos in dict.fromkeys([pos for pos, _ in dense_ranked] + example_ranked + lexical_ranked)
            if self.index.passages[pos].id not in excluded
        ]
        for pos in candidates:
            if pos not in dense_scores:
                dense_scores[pos] = float(self.index.index.reconstruct(pos) @ vector[0])
        example_best = {
            pos: float(example_scores[self._examples_of[pos]].max()) if pos in self._examples_of else dense_scores[pos]
            for pos in candidates
        }
        passages = [self.index.passages[pos] for pos in candidates]
        fused = self.fusion.scores(
            [dense_scores[pos] for pos in candidates],
            [example_best[pos] for pos in candidates],
            [float(lexical_scores[pos]) for pos in candidates],
            [aspect_match(passage, query.aspect) for passage in passages],
            [mentioned_share(passage, query.mentions) for passage in passages],
            self._out_of_scope_gap(example_scores),
        )
        order = sorted(range(len(candidates)), key=lambda i: -fused[i])
        return [
            Hit(passages[i], fused[i], rank, dense_scores[pos], example_best[pos], float(lexical_scores[pos]))
            for rank, i in enumerate(order, start=1)
            for pos in (candidates[i],)
        ]

    def out_of_scope_gap(self, query: Query, vector: Optional[np.ndarray] = None) -> float:
        """How much nearer `query` is to its nearest out-of-scope example than to its nearest
        answered one: positive when it looks like what the documents do not cover."""
        vector = self.embedder.embed([query.text]) if vector is None else np.reshape(vector, (1, -1))
        return self._out_of_scope_gap(self._example_scores(vector))

    def _example_scores(self, vector: np.ndarray) -> np.ndarray:
        """The query's cosine with every example question, by example number."""
        count = self.index.example_index.ntotal
        scores = np.full(count, -1.0, dtype=np.float32)
        if count:
            found, numbers = self.index.example_index.search(vector, count)
            scores[numbers[0]] = found[0]
        return scores

    def _out_of_scope_gap(self, example_scores: np.ndarray) -> float:
        """How much nearer the query is to its nearest out-of-scope example than to its nearest
        answered one (0 without both kinds of examples)."""
        if not (self._out_of_scope.any() and self._answered.any()):
            return 0.0
        return float(example_scores[self._out_of_scope].max() - example_scores[self._answered].max())

    def embed_ahead(self, texts: Sequence[str]) -> None:
        """Embed `texts` in one batch (a batch costs less than its queries one by one) for the
        searches this thread makes next; they are also cached like any query."""
        self.embedder.embed_ahead(texts)

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


def mentioned_share(passage: Passage, groups: Sequence[Sequence[str]]) -> float:
    """The share of `groups` of which the passage's title, heading or text contains a form (a
    passage of "Kaki bagian bawah mati rasa saat berlari" speaks of the leg); 0 with no groups."""
    if not groups:
        return 0.0
    text = lexical_text(passage).lower()
    return sum(any(form in text for form in forms) for forms in groups) / len(groups)


def configured_fusion(config: settings.Settings) -> Fusion:
    """The fusion the settings name."""
    return Fusion(
        dense_weight=config.dense_weight,
        example_weight=config.example_weight,
        lexical_weight=config.lexical_weight,
        lexical_half=config.lexical_half,
        aspect_boost=config.aspect_boost,
        term_boost=config.term_boost,
        scope_penalty=config.scope_penalty,
    )


def build_retriever(index: PassageIndex, encoder: Encoder, config: settings.Settings) -> Retriever:
    """A retriever over `index` with the lexical index and fusion that `config` names."""
    lexical = LexicalIndex(index.passages, Analyzer(Glossary.load(), stemming=config.stemming))
    return Retriever(
        index,
        encoder,
        lexical,
        configured_fusion(config),
        config.top_k,
        config.min_score,
        config.second_passage_margin,
        config.max_answer_chars,
        config.query_cache,
    )
