"""What an answer turn reads and searches with, over one index set, built in one place: the query
embedder, retrieval (passages, example questions, BM25, fusion, selection), the triage by
meaning fitted on the set's exemplars, the aspects read from its labelled example questions, and
the text analyzer of the set's lexical index.

    components = build_components(index, encoder, settings.load())
    reply = answering.answer(components, focus, intent, entities, text)
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import faiss
import numpy as np

import settings
from dialogue.asking import AspectReader
from embeddings.encoder import Encoder
from embeddings.index import PassageIndex
from embeddings.indonesian import Analyzer
from embeddings.query_embedding import QueryEmbedder
from embeddings.search import Retriever, build_retriever
from safety.meaning import MeaningTriage


@dataclass(frozen=True)
class Components:
    retriever: Retriever
    triage: MeaningTriage
    aspects: AspectReader
    # How much nearer to an out-of-scope example than to an answered one a message is when it is
    # not read as the conversation continued (OFF_TOPIC_GAP).
    off_topic_gap: float

    @property
    def embedder(self) -> QueryEmbedder:
        return self.retriever.embedder

    @property
    def analyzer(self) -> Analyzer:
        return self.retriever.analyzer

    @property
    def index(self) -> PassageIndex:
        return self.retriever.index


def build_components(index: PassageIndex, encoder: Encoder, config: settings.Settings) -> Components:
    """The components over `index`, embedding queries with `encoder`, as `config` sets them."""
    vectors = example_vectors(index)
    return Components(
        build_retriever(index, encoder, config),
        MeaningTriage(index.examples, vectors, config.triage_threshold),
        AspectReader(index.examples, vectors),
        config.off_topic_gap,
    )


def with_retriever(components: Components, retriever: Retriever) -> Components:
    """`components` searching with `retriever` instead (a variant, for tuning); the triage is
    fitted again when the variant has another index set (another model's embeddings)."""
    if retriever.index is components.index:
        return replace(components, retriever=retriever)
    vectors = example_vectors(retriever.index)
    return Components(
        retriever,
        MeaningTriage(retriever.index.examples, vectors, components.triage.threshold),
        AspectReader(retriever.index.examples, vectors, components.aspects.neighbours),
        components.off_topic_gap,
    )


def example_vectors(index: PassageIndex) -> np.ndarray:
    """The embeddings of the examples of `index`, one row each."""
    return index.example_index.reconstruct_n(0, index.example_index.ntotal)


def components_loader(config: settings.Settings) -> Callable[[Path], Components]:
    """What loads the index set in a directory into Components, every set with the same encoder
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

    def load(directory: Path) -> Components:
        index = PassageIndex.load(directory, config.embedding_model, encoder.revision)
        encoder.warm_up()
        return build_components(index, encoder, config)

    return load


def load_components(config: settings.Settings) -> Components:
    """The configured model and index set, loaded once and checked to belong together."""
    return components_loader(config)(config.index_dir)
