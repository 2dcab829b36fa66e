"""Retrieval in the process, without Rasa: Retriever.answer_hits per question (query embedding
computed, then cached), the time of each step, and how long the indexes take to build."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Sequence

import faiss

import settings
from embeddings.encoder import Encoder
from embeddings.index import PassageIndex
from embeddings.search import Query, build_retriever
from evaluation.rest_load import Latency
from knowledge.examples import examples_from_jsonl
from knowledge.passages import read_passages


@dataclass(frozen=True)
class RetrievalTiming:
    passages: int
    questions: int
    model_load_s: float
    index_build_s: float  # embed every passage and example question and add them to the FAISS indexes
    lexical_build_s: float  # analyze every passage and build BM25 (at action server start-up)
    answer: Latency  # answer_hits, the query embedding computed
    answer_cached: Latency  # the same questions again: the embedding comes from the cache
    steps: Dict[str, Latency]  # each step alone: embed, dense search, lexical scores


def time_retrieval(config: settings.Settings, questions: Sequence[str]) -> RetrievalTiming:
    """Time the configured index set and model on `questions` (the raw text as the query)."""
    faiss.omp_set_num_threads(config.retrieval_threads)  # as the action server searches
    began = time.perf_counter()
    # Questions embedded as the action server embeds them; index sets are built in float32.
    encoder = Encoder(
        config.embedding_model,
        threads=config.retrieval_threads,
        built_dir=config.models_dir,
        precision=config.embedding_precision,
    )
    encoder.warm_up()
    model_load_s = time.perf_counter() - began
    index = PassageIndex.load(config.index_dir, config.embedding_model)
    examples = examples_from_jsonl(config.examples_path.read_text(encoding="utf-8"))
    builder = Encoder(config.embedding_model, threads=config.retrieval_threads, built_dir=config.models_dir)
    builder.warm_up()
    began = time.perf_counter()
    PassageIndex.build(read_passages(config.passages_path), builder, examples=examples)
    index_build_s = time.perf_counter() - began
    began = time.perf_counter()
    retriever = build_retriever(index, encoder, config)
    lexical_build_s = time.perf_counter() - began

    queries = [Query(text) for text in questions]
    retriever.answer_hits(queries[0])  # first call pays one-off set-up
    fresh = retriever.replaced()  # an empty query-embedding cache
    answer = _timed(fresh.answer_hits, queries)
    answer_cached = _timed(fresh.answer_hits, queries)
    vector = encoder.encode_queries([questions[0]])
    steps = {
        "embed the query": _timed(lambda q: encoder.encode_queries([q.text]), queries),
        "dense search (FAISS)": _timed(lambda q: index.search(vector, config.top_k), queries),
        "lexical scores (analyze + BM25)": _timed(lambda q: retriever.lexical.scores(q.text), queries),
    }
    return RetrievalTiming(
        len(index.passages), len(queries), model_load_s, index_build_s, lexical_build_s, answer, answer_cached, steps
    )


def _timed(call: Callable[[Query], object], queries: Sequence[Query]) -> Latency:
    samples: List[float] = []
    for query in queries:
        began = time.perf_counter()
        call(query)
        samples.append((time.perf_counter() - began) * 1000)
    return Latency.of(samples)
