"""Hybrid search: the question embedded and compared (FAISS) with the passages and with the example
questions they answer, matched lexically (BM25), fused with boosts for the aspect asked and the
terms named and a penalty when it resembles what the documents do not cover; and the choice of
what is good enough to answer with."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

import faiss
import numpy as np

import settings
from embeddings.encoder import Encoder
from embeddings.fusion import Fusion
from embeddings.index import IndexSetError, PassageIndex
from embeddings.indonesian import Analyzer, Glossary
from embeddings.lexical import LexicalIndex, lexical_text
from knowledge.aspects import GENERAL
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
        self._cache_lock = threading.Lock()  # the action server searches from several threads
        self._ahead = threading.local()  # each thread's last embed_ahead batch
        positions = {p.id: pos for pos, p in enumerate(index.passages)}
        self._examples_of: Dict[int, List[int]] = {}
        for number, example in enumerate(index.examples):
            for passage_id in example.passage_ids:
                self._examples_of.setdefault(positions[passage_id], []).append(number)
        self._answered = np.array([e.in_scope for e in index.examples], dtype=bool)

    @property
    def analyzer(self) -> Analyzer:
        return self.lexical.analyzer

    def replaced(self, **changes) -> "Retriever":
        """The same retriever with some constructor arguments changed (for tuning and tests)."""
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

    def search(self, query: Query) -> List[Hit]:
        """The passages not excluded among the `top_k` nearest by each search (the passages, their
        example questions, BM25), best first."""
        vector = self._embed(query.text)
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

    def out_of_scope_gap(self, query: Query) -> float:
        """How much nearer `query` is to its nearest out-of-scope example than to its nearest
        answered one: positive when it looks like what the documents do not cover."""
        return self._out_of_scope_gap(self._example_scores(self._embed(query.text)))

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
        if self._answered.all() or not self._answered.any():
            return 0.0
        return float(example_scores[~self._answered].max() - example_scores[self._answered].max())

    def embed_ahead(self, texts: Sequence[str]) -> None:
        """Embed `texts` in one batch (a batch costs less than its queries one by one) for the
        searches this thread makes next; they are also cached like any query."""
        with self._cache_lock:
            missing = list(dict.fromkeys(text for text in texts if text not in self._embedded))
        vectors = self.encoder.encode_queries(missing) if missing else np.zeros((0, 0), dtype=np.float32)
        self._ahead.vectors = {text: vectors[row : row + 1] for row, text in enumerate(missing)}
        for text, vector in self._ahead.vectors.items():
            self._remember(text, vector)

    def _embed(self, text: str) -> np.ndarray:
        """The query's embedding, shape (1, dimension); a follow-up often repeats a query text, so
        the last `query_cache` are kept."""
        ahead = getattr(self._ahead, "vectors", {}).get(text)
        if ahead is not None:
            return ahead
        with self._cache_lock:
            cached = self._embedded.get(text)
        if cached is not None:
            return cached
        vector = self.encoder.encode_queries([text])
        self._remember(text, vector)
        return vector

    def _remember(self, text: str, vector: np.ndarray) -> None:
        if self.query_cache > 0:
            with self._cache_lock:
                if len(self._embedded) >= self.query_cache:
                    self._embedded.pop(next(iter(self._embedded)))
                self._embedded[text] = vector

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


def load_retriever(config: settings.Settings) -> Retriever:
    """Load the configured model and index set once, checking that they belong together."""
    return retriever_loader(config)(config.index_dir)


def retriever_loader(config: settings.Settings) -> Callable[[Path], Retriever]:
    """What loads the index set in a directory into a Retriever, every one with the same encoder
    (the configured model, loaded on the first call, after its set is checked). One question at a
    time gains nothing from more threads, and on a busy CPU idle threads that spin-wait made HNSW
    searches take up to 16 ms instead of 0.04 ms: RETRIEVAL_THREADS (1)."""
    faiss.omp_set_num_threads(config.retrieval_threads)
    encoder = Encoder(
        config.embedding_model,
        threads=config.retrieval_threads,
        built_dir=config.models_dir,
        precision=config.embedding_precision,
    )

    def load(directory: Path) -> Retriever:
        index = PassageIndex.load(directory, config.embedding_model, encoder.revision)
        encoder.warm_up()
        return build_retriever(index, encoder, config)

    return load
