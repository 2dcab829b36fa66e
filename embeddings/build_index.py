"""Build the index set from the ingested passages: `python -m embeddings.build_index`."""

from __future__ import annotations

import time

import settings
from embeddings.encoder import Encoder
from embeddings.index import PassageIndex
from knowledge.examples import examples_from_jsonl
from knowledge.passages import read_passages


def main() -> None:
    config = settings.load_or_exit()
    if not config.passages_path.is_file():
        raise SystemExit(f"No passages at {config.passages_path}: run `make index` (it ingests first).")
    passages = read_passages(config.passages_path)
    examples = examples_from_jsonl(config.examples_path.read_text(encoding="utf-8"))
    started = time.perf_counter()
    encoder = Encoder(config.embedding_model, threads=config.retrieval_threads, built_dir=config.models_dir)
    index = PassageIndex.build(passages, encoder, config.index_type, config.index_search_params, examples)
    index.save(config.index_dir)
    print(
        f"Indexed {index.manifest.count} passages and {index.manifest.example_count} example questions "
        f"with {index.manifest.model} "
        f"(dimension {index.manifest.dimension}, {index.manifest.index_type}) "
        f"in {time.perf_counter() - started:.1f} s: {config.index_dir}"
    )


if __name__ == "__main__":
    main()
