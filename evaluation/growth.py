"""How retrieval grows with the corpus: ×1, ×10 and ×100 the passages (perturbed copies) in a flat,
an IVF and an HNSW index (build time, size, search latency, recall@10 against flat), and the whole
Retriever (FAISS and BM25) per question at each size.

    python -m evaluation.growth   # `make bench-growth` -> reports/bench-growth.md, .png
"""

from __future__ import annotations

import argparse
import math
import os
import time
from dataclasses import dataclass
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import faiss
import numpy as np

import settings
from embeddings.encoder import PASSAGE, QUERY, Encoder
from embeddings.index import PassageIndex, embedding_text, vector_index
from embeddings.indonesian import Analyzer, Glossary
from embeddings.lexical import LexicalIndex
from embeddings.search import Query, build_retriever
from evaluation.perturbed_corpus import replicate, source_id
from evaluation.questions import load_split
from evaluation.rest_load import Latency
from knowledge.passages import read_passages

REPORTS_DIR = settings.ROOT / "reports"
FACTORS = (1, 10, 100)
RECALL_AT = 10
HNSW = "HNSW32"
EF_SEARCH = (16, 64, 256)
GOOD_RECALL = 0.95
NPROBE = (4, 16)


@dataclass(frozen=True)
class IndexFigures:
    index_type: str  # the index_factory string
    search_params: str
    build_s: float  # training and adding the embedded passages (one figure per index type)
    size_mib: float  # serialized, about what it holds in memory
    search: Latency  # one question's vector, the configured top_k
    recall: float  # share of flat's first 10 that this index also returns first 10
    source_recall: float  # the same counting a copy as its original: is the same content found?

    @property
    def name(self) -> str:
        return f"{self.index_type} {self.search_params}".strip()


@dataclass(frozen=True)
class ScaleFigures:
    factor: int
    passages: int
    embed_s: float  # embedding every passage of this size
    lexical_build_s: float  # BM25 over the analyzed passages
    indexes: Tuple[IndexFigures, ...]
    answer: Dict[str, Latency]  # index name -> Retriever.answer_hits, question embedding cached


class PrecomputedEncoder(Encoder):
    """The configured model, answering texts it has embedded already from memory."""

    def __init__(self, config: settings.Settings) -> None:
        super().__init__(config.embedding_model, threads=config.retrieval_threads, built_dir=config.models_dir)
        self.known: Dict[Tuple[str, str], np.ndarray] = {}

    def remember(self, texts: Sequence[str], kind: str) -> float:
        """Embed `texts` as queries or passages; the seconds it took."""
        began = time.perf_counter()
        vectors = super()._encode(texts, kind)
        self.known.update(((kind, text), vector) for text, vector in zip(texts, vectors))
        return time.perf_counter() - began

    def _encode(self, texts: Sequence[str], kind: str) -> np.ndarray:
        missing = [text for text in texts if (kind, text) not in self.known]
        if missing:
            self.remember(missing, kind)
        return np.stack([self.known[(kind, text)] for text in texts])


def ivf_type(passages: int) -> str:
    """About √n lists: enough points per list to train, few lists to probe."""
    return f"IVF{max(1, round(math.sqrt(passages)))},Flat"


def variants(passages: int) -> List[Tuple[str, List[str]]]:
    return [
        ("Flat", [""]),
        (ivf_type(passages), [f"nprobe={n}" for n in NPROBE]),
        (HNSW, [f"efSearch={ef}" for ef in EF_SEARCH]),
    ]


def measure(config: settings.Settings, questions: Sequence[str]) -> Tuple[List[ScaleFigures], Latency]:
    faiss.omp_set_num_threads(config.retrieval_threads)  # as the action server searches
    passages = read_passages(config.passages_path)
    grown = replicate(passages, max(FACTORS))
    encoder = PrecomputedEncoder(config)
    encoder.warm_up()
    query_embedding = _timed(lambda text: encoder.remember([text], QUERY), questions)  # one at a time, as the bot does
    query_vectors = encoder.encode_queries(list(questions))
    analyzer = Analyzer(Glossary.load(), stemming=config.stemming)
    figures: List[ScaleFigures] = []
    embed_s, embedded = 0.0, 0
    for factor in FACTORS:
        corpus = grown[: factor * len(passages)]
        print(f"  ×{factor}: {len(corpus)} passages", flush=True)
        embed_s += encoder.remember([embedding_text(p) for p in corpus[embedded:]], PASSAGE)
        embedded = len(corpus)
        vectors = encoder.encode_passages([embedding_text(p) for p in corpus])
        began = time.perf_counter()
        lexical = LexicalIndex(corpus, analyzer)
        lexical_build_s = time.perf_counter() - began
        indexes, answer = _indexes(config, corpus, vectors, query_vectors, encoder, lexical, questions)
        figures.append(ScaleFigures(factor, len(corpus), embed_s, lexical_build_s, tuple(indexes), answer))
    return figures, query_embedding


def _indexes(config, corpus, vectors, query_vectors, encoder, lexical, questions):
    flat_top: Optional[np.ndarray] = None
    sources = np.array([source_id(passage.id) for passage in corpus])
    indexes: List[IndexFigures] = []
    answer: Dict[str, Latency] = {}
    for index_type, params_list in variants(len(corpus)):
        began = time.perf_counter()
        index = vector_index(vectors, index_type)
        build_s = time.perf_counter() - began
        size_mib = faiss.serialize_index(index).nbytes / 2**20
        for params in params_list:
            if params:
                faiss.ParameterSpace().set_index_parameters(index, params)
            top = index.search(query_vectors, RECALL_AT)[1]
            if flat_top is None:
                flat_top = top
            recall = float(np.mean([len(set(a) & set(b)) / RECALL_AT for a, b in zip(top, flat_top)]))
            source_recall = float(
                np.mean(
                    [
                        len(set(sources[a[a >= 0]]) & set(sources[b])) / len(set(sources[b]))
                        for a, b in zip(top, flat_top)
                    ]
                )
            )
            search = _timed(
                lambda row: index.search(query_vectors[row : row + 1], config.top_k), range(len(query_vectors))
            )
            figure = IndexFigures(index_type, params, build_s, size_mib, search, recall, source_recall)
            indexes.append(figure)
            if params in ("", f"efSearch={max(EF_SEARCH)}"):
                retriever = build_retriever(PassageIndex.build(corpus, encoder, index_type, params), encoder, config)
                retriever = retriever.replaced(lexical=lexical)
                queries = [Query(text) for text in questions]
                answer[figure.name] = _timed(retriever.answer_hits, queries)
    return indexes, answer


def _timed(call: Callable, items) -> Latency:
    samples = []
    for item in items:
        began = time.perf_counter()
        call(item)
        samples.append((time.perf_counter() - began) * 1000)
    return Latency.of(samples)


# ---- the report ----------------------------------------------------------------------------


def flat_gives_way(figures: Sequence[ScaleFigures], query_embedding: Latency) -> int:
    """The corpus size at which flat search, growing linearly from the two largest sizes measured,
    would take as long as embedding the question (the part of a search that does not grow)."""
    small, large = figures[-2], figures[-1]
    t_small, t_large = _flat(small).search.p50, _flat(large).search.p50
    per_passage = max((t_large - t_small) / (large.passages - small.passages), 1e-9)
    return int(large.passages + (query_embedding.p50 - t_large) / per_passage)


def _flat(scale: ScaleFigures) -> IndexFigures:
    return next(index for index in scale.indexes if index.index_type == "Flat")


def markdown(figures: Sequence[ScaleFigures], query_embedding: Latency, config: settings.Settings) -> str:
    crossover = flat_gives_way(figures, query_embedding)
    largest = figures[-1]
    flat = _flat(largest)
    good = sorted(
        (i for i in largest.indexes if i.index_type != "Flat" and i.recall >= GOOD_RECALL), key=lambda i: i.search.p50
    )
    hnsw = max((i for i in largest.indexes if i.index_type == HNSW), key=lambda i: i.recall)
    load = os.getloadavg()[0]
    lines = [
        "# Growth (`make bench-growth`)",
        "",
        f"The {figures[0].passages} passages, then ×10 and ×100 with perturbed copies (sentences shuffled, about "
        "one word in ten dropped; `evaluation/perturbed_corpus.py`), embedded with "
        f"`{config.embedding_model}`. Queries: the {query_embedding.count} "
        f"questions of `evaluation/questions/`, one at a time, top {config.top_k}. IVF has about √n lists; "
        f"recall@{RECALL_AT} is the share of the flat index's first {RECALL_AT} that the index also returns; "
        '"same passages found" counts a copy as its original (whether the same content is found among the near-'
        "duplicates). Build times are for the embedded passages (embedding is below). "
        f"{os.cpu_count()} cores; load average {load:.2f} at the end"
        + (" (other work shared the CPU)." if load >= 0.5 else "."),
        "",
        "| Passages | Index | Build (s) | Size (MiB) | Search p50 (ms) | Search p95 (ms) | Recall@10 "
        "| Same passages found |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scale in figures:
        for index in scale.indexes:
            lines.append(
                f"| {scale.passages} | {index.name} | {index.build_s:.3f} | {index.size_mib:.2f} | "
                f"{index.search.p50:.3f} | {index.search.p95:.3f} | {index.recall:.3f} | {index.source_recall:.3f} |"
            )
    lines += [
        "",
        "The whole retrieval (`Retriever.answer_hits`: FAISS, BM25 over every passage, fusion; the question's "
        "embedding cached) and what building the indexes costs:",
        "",
        "| Passages | Embed all passages (s) | BM25 build (s) | "
        + " | ".join(f"answer_hits p50 / p95, {name} (ms)" for name in largest.answer)
        + " |",
        "|---|---|---|" + "---|" * len(largest.answer),
    ]
    for scale in figures:
        cells = " | ".join(f"{latency.p50:.2f} / {latency.p95:.2f}" for latency in scale.answer.values())
        lines.append(f"| {scale.passages} | {scale.embed_s:.1f} | {scale.lexical_build_s:.1f} | {cells} |")
    lines += [
        "",
        f"Embedding one question takes p50 {query_embedding.p50:.1f} ms (p95 {query_embedding.p95:.1f} ms), "
        "whatever the corpus size.",
        "",
        "## When the flat index should give way",
        "",
        f"At {largest.passages} passages flat search is exact and takes p50 {flat.search.p50:.2f} ms "
        f"({flat.size_mib:.1f} MiB), {flat.search.p50 / query_embedding.p50:.1%} of the time it takes to embed "
        f"the question; it grows linearly and would take as long as the embedding at about {crossover:,} "
        f"passages (about {flat.size_mib / largest.passages * crossover / 1024:.1f} GiB of vectors). Until then "
        "an approximate index saves a fraction of a millisecond, gives up exactness and needs training or a "
        "graph: keep `INDEX_TYPE=Flat`. "
        + (
            f"Past that (or sooner if many searches run at once), the fastest index here with recall@10 ≥ "
            f"{GOOD_RECALL} is `INDEX_TYPE={good[0].index_type} INDEX_SEARCH_PARAMS={good[0].search_params}` "
            f"({good[0].search.p50:.3f} ms, recall {good[0].recall:.3f}, {good[0].size_mib:.1f} MiB, built in "
            f"{good[0].build_s:.2f} s); choose the number of lists as about √n. "
            if good
            else f"No approximate index reached recall@10 ≥ {GOOD_RECALL} here. "
        )
        + (
            f"{HNSW}'s best recall@10 here is {hnsw.recall:.3f} ({hnsw.search_params}; {hnsw.source_recall:.3f} "
            "counting copies as their original), likely because its graph links near-identical copies mostly to "
            "each other; measure it on real passages before choosing it. "
            if hnsw.recall < GOOD_RECALL
            else f"{HNSW} reaches recall@10 {hnsw.recall:.3f} with {hnsw.search_params}. "
        )
        + f"Building the index is mostly embedding the passages ({largest.embed_s:.0f} s for {largest.passages} "
        f"here, against {flat.build_s:.3f} s to add them to the flat index), and BM25 scores every passage "
        "whatever the index, so the lexical side grows linearly too (answer_hits above).",
        "",
        "![Search latency, build time and recall by corpus size](bench-growth.png)",
        "",
    ]
    return "\n".join(lines)


def chart(figures: Sequence[ScaleFigures], path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [scale.passages for scale in figures]
    names = [index.name.replace(ivf_type(figures[0].passages), "IVF√n,Flat") for index in figures[0].indexes]
    fig, (search, build, recall) = plt.subplots(1, 3, figsize=(14, 4))
    for position, name in enumerate(names):
        rows = [scale.indexes[position] for scale in figures]
        search.plot(sizes, [row.search.p50 for row in rows], marker="o", label=name)
        recall.plot(sizes, [row.recall for row in rows], marker="o", label=name)
    for position, name in enumerate(names):
        if figures[0].indexes[position].search_params in ("", f"nprobe={NPROBE[0]}", f"efSearch={EF_SEARCH[0]}"):
            build.plot(sizes, [scale.indexes[position].build_s for scale in figures], marker="o", label=name.split()[0])
    for axis, title, ylabel in (
        (search, "FAISS search p50, one question", "ms"),
        (build, "Index build (embedded passages)", "s"),
        (recall, f"Recall@{RECALL_AT} against flat", ""),
    ):
        axis.set_xscale("log")
        axis.set_xlabel("passages")
        axis.set_title(title)
        axis.set_ylabel(ylabel)
        axis.legend(fontsize=7)
    search.set_yscale("log")
    build.set_yscale("log")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def headline(figures: Sequence[ScaleFigures], query_embedding: Latency) -> str:
    lines = ["Growth (search p50 ms / recall@10 / build s):"]
    for scale in figures:
        cells = ", ".join(f"{i.name} {i.search.p50:.3f}/{i.recall:.2f}/{i.build_s:.2f}" for i in scale.indexes)
        lines.append(f"  {scale.passages:6d} passages: {cells}")
    lines.append(
        f"  question embedding p50 {query_embedding.p50:.1f} ms; flat search would cost as much at about "
        f"{flat_gives_way(figures, query_embedding):,} passages"
    )
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None, out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    config = settings.load_or_exit()
    questions = [q.text for split in ("dev", "test") for q in load_split(split)]
    figures, query_embedding = measure(config, questions)
    REPORTS_DIR.mkdir(exist_ok=True)
    (REPORTS_DIR / "bench-growth.md").write_text(markdown(figures, query_embedding, config), encoding="utf-8")
    chart(figures, REPORTS_DIR / "bench-growth.png")
    out(headline(figures, query_embedding))
    out(f"Report: {REPORTS_DIR / 'bench-growth.md'}")


if __name__ == "__main__":
    main()
