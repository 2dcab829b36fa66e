"""The index set: a FAISS index of normalized passage embeddings searched by inner product (flat,
IVF or HNSW, as INDEX_TYPE says), the passages, the example questions (what the passages answer,
and what the documents do not cover) with a flat index of their embeddings, and a manifest.

The files go into a fresh version directory beside `directory`, and `directory` is a symbolic
link switched to it in one atomic step; loading checks the files against each other and against
the configured model, so a set that loads is always whole and consistent.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import List, Optional, Sequence, Tuple

import faiss
import numpy as np

from embeddings.encoder import Encoder
from embeddings.indonesian import question_text
from knowledge.examples import Example, examples_from_jsonl, examples_to_jsonl
from knowledge.passages import Passage, passages_from_jsonl, passages_to_jsonl

FORMAT_VERSION = 2
INDEX_FILE = "index.faiss"
PASSAGES_FILE = "passages.jsonl"
EXAMPLE_INDEX_FILE = "examples.faiss"
EXAMPLES_FILE = "examples.jsonl"
MANIFEST_FILE = "manifest.json"
REBUILD_HINT = "Rebuild it with `make index`."


class IndexSetError(RuntimeError):
    """The index set is missing, incomplete, corrupt or built for another model."""


@dataclass(frozen=True)
class IndexManifest:
    format_version: int
    model: str
    dimension: int
    count: int
    corpus_sha256: str  # of passages.jsonl
    index_sha256: str  # of index.faiss
    index_type: str = "Flat"  # FAISS index_factory string
    search_params: str = ""  # FAISS search parameters stored with the index (nprobe, efSearch)
    model_revision: str = ""  # what the model's files were built from (embeddings.encoder.Encoder.revision)
    example_count: int = 0
    examples_sha256: str = ""  # of examples.jsonl
    example_index_sha256: str = ""  # of examples.faiss


def embedding_text(passage: Passage) -> str:
    """What is embedded for a passage: its section heading, then its content."""
    return f"{passage.section}\n{passage.content}"


class PassageIndex:
    """Passages and their embeddings, searchable by cosine similarity, and the example questions
    with theirs (embedded as queries: a question is compared with questions)."""

    def __init__(
        self,
        index: faiss.Index,
        passages: Sequence[Passage],
        manifest: IndexManifest,
        examples: Sequence[Example] = (),
        example_index: Optional[faiss.Index] = None,
    ) -> None:
        if index.ntotal != len(passages) or manifest.count != len(passages):
            raise IndexSetError(
                f"Index holds {index.ntotal} vectors, manifest says {manifest.count}, "
                f"but there are {len(passages)} passages. {REBUILD_HINT}"
            )
        example_index = example_index or faiss.IndexFlatIP(index.d)
        if example_index.ntotal != len(examples) or manifest.example_count != len(examples):
            raise IndexSetError(
                f"Example index holds {example_index.ntotal} vectors, manifest says {manifest.example_count}, "
                f"but there are {len(examples)} examples. {REBUILD_HINT}"
            )
        known = {p.id for p in passages}
        unknown = sorted({pid for e in examples for pid in e.passage_ids} - known)
        if unknown:
            raise IndexSetError(f"Example questions point at passages not in the set: {unknown[:3]}. {REBUILD_HINT}")
        self.index = index
        self.passages: Tuple[Passage, ...] = tuple(passages)
        self.manifest = manifest
        self.examples: Tuple[Example, ...] = tuple(examples)
        self.example_index = example_index

    @classmethod
    def build(
        cls,
        passages: Sequence[Passage],
        encoder: Encoder,
        index_type: str = "Flat",
        search_params: str = "",
        examples: Sequence[Example] = (),
    ) -> "PassageIndex":
        """Embed `passages` into a FAISS index made by `index_type` (an index_factory string) with
        `search_params` (e.g. "nprobe=16") set on it, and `examples` into a flat one."""
        if not passages:
            raise ValueError("Cannot build an index of no passages; run `make index` to ingest the documents.")
        index = vector_index(encoder.encode_passages([embedding_text(p) for p in passages]), index_type, search_params)
        example_index = faiss.IndexFlatIP(index.d)
        if examples:
            example_index.add(encoder.encode_queries([question_text(e.text) for e in examples]))
        manifest = IndexManifest(
            format_version=FORMAT_VERSION,
            model=encoder.model_name,
            dimension=index.d,
            count=len(passages),
            corpus_sha256=_sha256(passages_to_jsonl(passages).encode("utf-8")),
            index_sha256=_sha256(faiss.serialize_index(index).tobytes()),
            index_type=index_type,
            search_params=search_params,
            model_revision=encoder.revision,
            example_count=len(examples),
            examples_sha256=_sha256(examples_to_jsonl(examples).encode("utf-8")),
            example_index_sha256=_sha256(faiss.serialize_index(example_index).tobytes()),
        )
        return cls(index, passages, manifest, examples, example_index)

    def search(self, query_vectors: np.ndarray, top_k: int) -> List[List[Tuple[int, float]]]:
        """For each query vector, up to `top_k` (passage position, cosine score), best first."""
        if top_k < 1:
            raise ValueError(f"top_k must be positive, got {top_k}")
        scores, positions = self.index.search(query_vectors, min(top_k, len(self.passages)))
        return [
            [(int(p), float(s)) for p, s in zip(row_positions, row_scores) if p >= 0]
            for row_positions, row_scores in zip(positions, scores)
        ]

    def save(self, directory: Path) -> None:
        """Write the set as a new version and point `directory` at it; the previous set stays
        in place until the new one is complete."""
        directory = Path(directory)
        directory.parent.mkdir(parents=True, exist_ok=True)
        version = directory.with_name(f".{directory.name}.v{time.time_ns()}-{os.getpid()}")
        version.mkdir()
        try:
            (version / INDEX_FILE).write_bytes(faiss.serialize_index(self.index).tobytes())
            (version / PASSAGES_FILE).write_text(passages_to_jsonl(self.passages), encoding="utf-8")
            (version / EXAMPLE_INDEX_FILE).write_bytes(faiss.serialize_index(self.example_index).tobytes())
            (version / EXAMPLES_FILE).write_text(examples_to_jsonl(self.examples), encoding="utf-8")
            manifest = json.dumps(asdict(self.manifest), indent=2) + "\n"
            (version / MANIFEST_FILE).write_text(manifest, encoding="utf-8")
            _fsync(*version.iterdir(), version)
            _point_at(directory, version)
        except BaseException:
            shutil.rmtree(version, ignore_errors=True)
            raise
        _remove_stale_versions(directory)

    @classmethod
    def load(cls, directory: Path, model_name: str, model_revision: str = "") -> "PassageIndex":
        """Load and check a set built with `model_name` (and, when given, the model files of
        `model_revision`); any inconsistency raises IndexSetError."""
        shown = Path(directory)
        directory = shown.resolve()  # read one version, even if a save switches the link meanwhile
        manifest_path = directory / MANIFEST_FILE
        if not manifest_path.is_file():
            raise IndexSetError(f"No index set at {shown} (no {MANIFEST_FILE}). Build it with `make index`.")
        try:
            manifest = IndexManifest(**json.loads(manifest_path.read_text(encoding="utf-8")))
        except (ValueError, TypeError) as error:
            raise IndexSetError(f"Unreadable {manifest_path}: {error}. {REBUILD_HINT}") from error
        if manifest.format_version != FORMAT_VERSION:
            raise IndexSetError(
                f"Index set at {shown} has format {manifest.format_version}, "
                f"expected {FORMAT_VERSION}. {REBUILD_HINT}"
            )
        if manifest.model != model_name:
            raise IndexSetError(
                f"Index set at {shown} was built with model {manifest.model!r}, but the configured "
                f"EMBEDDING_MODEL is {model_name!r}. {REBUILD_HINT}"
            )
        if model_revision and manifest.model_revision != model_revision:
            raise IndexSetError(
                f"Index set at {shown} was built with other files of {model_name!r} "
                f"({manifest.model_revision or 'unknown'}, now {model_revision}). {REBUILD_HINT}"
            )
        files = {}
        expected_files = (
            (PASSAGES_FILE, manifest.corpus_sha256),
            (INDEX_FILE, manifest.index_sha256),
            (EXAMPLES_FILE, manifest.examples_sha256),
            (EXAMPLE_INDEX_FILE, manifest.example_index_sha256),
        )
        for name, expected in expected_files:
            path = directory / name
            if not path.is_file():
                raise IndexSetError(f"Index set at {shown} lacks {name}. {REBUILD_HINT}")
            files[name] = path.read_bytes()
            if _sha256(files[name]) != expected:
                raise IndexSetError(f"{path} does not match its manifest (changed or corrupt). {REBUILD_HINT}")
        index = faiss.deserialize_index(np.frombuffer(files[INDEX_FILE], dtype=np.uint8))
        example_index = faiss.deserialize_index(np.frombuffer(files[EXAMPLE_INDEX_FILE], dtype=np.uint8))
        if index.d != manifest.dimension or example_index.d != manifest.dimension:
            raise IndexSetError(
                f"Index dimensions {index.d}, {example_index.d} differ from the manifest's {manifest.dimension}. "
                f"{REBUILD_HINT}"
            )
        passages = passages_from_jsonl(files[PASSAGES_FILE].decode("utf-8"))
        examples = examples_from_jsonl(files[EXAMPLES_FILE].decode("utf-8"))
        return cls(index, passages, manifest, examples, example_index)


def vector_index(vectors: np.ndarray, index_type: str, search_params: str = "") -> faiss.Index:
    """An inner-product index of `vectors`, trained on them if its type needs it. Each vector can
    be read back by position (`reconstruct`, which search uses for lexical-only candidates): an
    IVF index gets a direct map, which it keeps when saved."""
    index = faiss.index_factory(vectors.shape[1], index_type, faiss.METRIC_INNER_PRODUCT)
    if not index.is_trained:
        index.train(vectors)
    index.add(vectors)
    ivf = faiss.try_extract_index_ivf(index)
    if ivf is not None:
        ivf.make_direct_map()
    if search_params:
        faiss.ParameterSpace().set_index_parameters(index, search_params)
    return index


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fsync(*paths: Path) -> None:
    """Flush files or directories to disk."""
    for path in paths:
        handle = os.open(path, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _point_at(directory: Path, version: Path) -> None:
    """Make `directory` a symbolic link to `version` with one atomic rename."""
    if directory.exists() and not directory.is_symlink():  # a set copied in as a plain directory
        os.rename(directory, version.with_name(f"{version.name}-replaced"))
    link = version.with_name(f"{version.name}.link")
    os.symlink(version.name, link)
    os.replace(link, directory)
    _fsync(directory.parent)


def _remove_stale_versions(directory: Path) -> None:
    """Remove what `directory` no longer points at, unless a save still running is writing it."""
    current = directory.resolve().name
    owner = re.compile(rf"\.{re.escape(directory.name)}\.v\d+-(\d+)")
    for path in directory.parent.glob(f".{directory.name}.v*"):
        match = owner.match(path.name)
        if path.name == current or not match:
            continue
        pid = int(match.group(1))
        if pid == os.getpid() or not _alive(pid):
            if path.is_symlink():
                path.unlink()
            else:
                shutil.rmtree(path, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
