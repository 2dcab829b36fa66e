"""Fine-tune the converted multilingual-e5-small on the team's example questions and the passages
that answer them (sentence-transformers, MultipleNegativesRankingLoss: every other passage in a
batch is a negative), so that a question lands nearer the passage that answers it.

    python -m embeddings.fine_tuning   # `make index` runs it when the examples or the base model change

Only the transformer layers learn (the 250k-row word embedding stays as converted), for a few
minutes on a CPU; seeds are fixed. It was kept because it wins on the dev split, which it never
sees (reports/retrieval-dev.md); the evaluation questions are never training data (a test checks).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import time
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

from embeddings.encoder import (
    BUILD_RECORD,
    CONVERTED_E5_MODEL,
    E5_PROMPTS,
    FINE_TUNED_E5_MODEL,
    PASSAGE,
    QUERY,
    built_model_dir,
    quiet_spurious_tokenizer_warning,
    write_build_record,
)
from embeddings.index import embedding_text
from embeddings.indonesian import question_text
from knowledge.examples import EXAMPLES_PATH, answered_examples
from knowledge.passages import Passage, read_passages

EPOCHS = 2
BATCH_SIZE = 16
LEARNING_RATE = 3e-5
WARMUP_SHARE = 0.1
MAX_SEQ_LENGTH = 256  # tokens of a passage seen in training (the longest are about 250)
SEED = 11


def training_pairs(passages: Sequence[Passage], examples_path: Path = EXAMPLES_PATH) -> List[Tuple[str, str]]:
    """(question, passage text) for every example question and each passage that answers it,
    with e5's prompts."""
    by_id = {p.id: p for p in passages}
    return [
        (E5_PROMPTS[QUERY] + question_text(example.text), E5_PROMPTS[PASSAGE] + embedding_text(by_id[pid]))
        for example in answered_examples(passages, examples_path)
        for pid in example.passage_ids
    ]


def fine_tune(base_dir: Path, out_dir: Path, passages: Sequence[Passage], epochs: int = EPOCHS) -> Path:
    """Write the fine-tuned model to `out_dir` (replacing it only once complete)."""
    os.environ.setdefault("USE_TF", "0")
    import numpy as np
    import torch
    from sentence_transformers import InputExample, SentenceTransformer, losses
    from sentence_transformers.datasets import NoDuplicatesDataLoader

    base = json.loads((base_dir / BUILD_RECORD).read_text(encoding="utf-8"))
    quiet_spurious_tokenizer_warning()
    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(os.cpu_count() or 1)
    model = SentenceTransformer(str(base_dir), device="cpu")
    model.max_seq_length = MAX_SEQ_LENGTH
    model[0].auto_model.embeddings.word_embeddings.weight.requires_grad = False
    pairs = training_pairs(passages)
    loader = NoDuplicatesDataLoader([InputExample(texts=list(pair)) for pair in pairs], batch_size=BATCH_SIZE)
    model.fit(
        train_objectives=[(loader, losses.MultipleNegativesRankingLoss(model))],
        epochs=epochs,
        warmup_steps=int(WARMUP_SHARE * len(loader) * epochs),
        optimizer_params={"lr": LEARNING_RATE},
        show_progress_bar=False,
    )
    model.max_seq_length = json.loads((base_dir / "sentence_bert_config.json").read_text())["max_seq_length"]
    staging = out_dir.with_name(f".{out_dir.name}.{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    model.save(str(staging))
    write_build_record(
        staging,
        model=base["model"],
        source=base["source"],
        base_weights_sha256=base["weights_sha256"],
        fine_tuned_on=f"{EXAMPLES_PATH.name}: {len(pairs)} question-passage pairs, {epochs} epochs",
    )
    if out_dir.exists():
        shutil.rmtree(out_dir)
    os.replace(staging, out_dir)
    return out_dir


def main(argv: Optional[Sequence[str]] = None) -> None:
    import settings

    config = settings.load_or_exit()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    base = built_model_dir(CONVERTED_E5_MODEL, config.models_dir)
    out = fine_tune(
        base, built_model_dir(FINE_TUNED_E5_MODEL, config.models_dir), read_passages(config.passages_path), args.epochs
    )
    print(f"Fine-tuned multilingual-e5-small on the example questions in {time.perf_counter() - started:.0f} s: {out}")


if __name__ == "__main__":
    main()
