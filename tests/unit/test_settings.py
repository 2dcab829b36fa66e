"""Settings are checked when they are read: a value that cannot work is refused with a message
that names its variable and the value, and a command says it in one line instead of a traceback."""

import subprocess
import sys

import pytest

import settings

BAD_VALUES = [
    ("RETRIEVAL_TOP_K", "abc", 'RETRIEVAL_TOP_K must be a whole number ≥ 1, got "abc"'),
    ("MAX_REQUEST_BYTES", "100", "MAX_REQUEST_BYTES must be a whole number ≥ 4096"),
    ("RATE_CONVERSATION_PER_S", "0", "RATE_CONVERSATION_PER_S must be a number > 0"),
    ("RATE_ADDRESS_BURST", "0", "RATE_ADDRESS_BURST must be a whole number ≥ 1"),
    ("RETRIEVAL_TOP_K", "0", "whole number ≥ 1"),
    ("RETRIEVAL_THREADS", "1.5", "whole number ≥ 1"),
    ("RETRIEVAL_QUERY_CACHE", "-1", "whole number ≥ 0"),
    ("ANSWER_MAX_CHARS", "", "whole number ≥ 1"),
    ("CLUSTER_RASA_REPLICAS", "0", "whole number ≥ 1"),
    ("CLUSTER_ACTION_SERVERS", "two", "whole number ≥ 1"),
    ("RASA_PORT", "70000", 'RASA_PORT must be a port number, 1–65535, got "70000"'),
    ("ACTION_PORT", "0", "port number"),
    ("CLUSTER_PORT", "80a", "port number"),
    ("CLUSTER_RASA_PORT", "-5105", "port number"),
    ("CLUSTER_ACTION_PORT", "99999", "port number"),
    ("CLUSTER_ACTION_PROXY_PORT", "", "port number"),
    ("CLUSTER_POSTGRES_PORT", "5433.0", "port number"),
    ("CLUSTER_REDIS_PORT", "redis", "port number"),
    ("RETRIEVAL_MIN_SCORE", "high", 'RETRIEVAL_MIN_SCORE must be a number, got "high"'),
    ("RETRIEVAL_MIN_SCORE", "nan", "must be a number"),
    ("RETRIEVAL_SECOND_MARGIN", "-0.1", "number ≥ 0"),
    ("RETRIEVAL_DENSE_WEIGHT", "-1", "number ≥ 0"),
    ("RETRIEVAL_EXAMPLE_WEIGHT", "inf", "number ≥ 0"),
    ("RETRIEVAL_LEXICAL_WEIGHT", "0,3", "number ≥ 0"),
    ("RETRIEVAL_LEXICAL_HALF", "0", "number > 0"),
    ("RETRIEVAL_ASPECT_BOOST", "-0.02", "number ≥ 0"),
    ("RETRIEVAL_TERM_BOOST", "1_0", "number ≥ 0"),
    ("RETRIEVAL_SCOPE_PENALTY", "much", "number ≥ 0"),
    ("INDEX_WATCH_INTERVAL", "-2", "INDEX_WATCH_INTERVAL must be a number ≥ 0"),
    ("CONTENT_GROUP_DISTANCE", "0", "CONTENT_GROUP_DISTANCE must be a number > 0"),
    ("TRACKER_RETENTION_DAYS", "-1", 'TRACKER_RETENTION_DAYS must be a number ≥ 0, got "-1"'),
    ("RETRIEVAL_STEMMING", "maybe", "RETRIEVAL_STEMMING must be 1 or 0"),
    ("RASA_ENABLE_API", "2", "RASA_ENABLE_API must be 1 or 0"),
    ("INDEX_TYPE", "", 'INDEX_TYPE must not be empty, got ""'),
    ("EMBEDDING_PRECISION", "fp16", 'EMBEDDING_PRECISION must be auto, float32 or bfloat16, got "fp16"'),
    ("INDEX_SEARCH_PARAMS", "nprobe 16", "INDEX_SEARCH_PARAMS must be name=value"),
    ("EMBEDDING_MODEL", " ", "EMBEDDING_MODEL must not be empty"),
    ("RASA_HOST", "", "RASA_HOST must not be empty"),
    ("ACTION_HOST", "", "ACTION_HOST must not be empty"),
    ("CLUSTER_HOST", "", "CLUSTER_HOST must not be empty"),
    ("BUILD_DIR", "", "BUILD_DIR must not be empty"),
    ("TRACKER_STORE_URL", "build/tracker.db", "TRACKER_STORE_URL must be an SQLAlchemy URL"),
    ("LOCK_STORE_URL", "localhost:6379", "LOCK_STORE_URL must be redis://[:password@]host[:port][/db]"),
    ("LOCK_STORE_URL", "redis://host:99999/1", "LOCK_STORE_URL must be redis://"),
    ("CHAT_ALLOWED_ORIGINS", "", "CHAT_ALLOWED_ORIGINS must list origins"),
    ("CHAT_ALLOWED_ORIGINS", "https://a.example/chat", "CHAT_ALLOWED_ORIGINS must list origins"),
    ("CHAT_ALLOWED_ORIGINS", "bot.example.org", "CHAT_ALLOWED_ORIGINS must list origins"),
    ("TELEGRAM_WEBHOOK_URL", "http://bot.example.org/webhooks/telegram/webhook", "TELEGRAM_WEBHOOK_URL must be an https://"),
    ("TELEGRAM_SECRET_TOKEN", "not secret!", "TELEGRAM_SECRET_TOKEN must be 1–256 of"),
    ("TELEGRAM_SECRET_TOKEN", "x" * 257, "TELEGRAM_SECRET_TOKEN must be 1–256 of"),
    ("TELEGRAM_BOT_USERNAME", "kram bot", "TELEGRAM_BOT_USERNAME must be a username"),
    ("TELEGRAM_API_BASE_URL", "", "TELEGRAM_API_BASE_URL must be an http(s):// URL"),
    ("HUMAN_CONTACT", " ", "HUMAN_CONTACT must not be empty"),
    ("HUMAN_CONTACT", "x" * 1001, "HUMAN_CONTACT must be at most 1000 characters"),
]


@pytest.mark.parametrize("name, value, message", BAD_VALUES, ids=[f"{n}={v[:20]}" for n, v, _ in BAD_VALUES])
def test_a_value_that_cannot_work_is_refused_naming_its_variable(name, value, message):
    with pytest.raises(settings.SettingsError) as refused:
        settings.load({name: value})
    assert str(refused.value).startswith(f"{name} must ")
    assert message in str(refused.value)
    assert value.strip() in str(refused.value).rsplit('got "', 1)[1]


def test_a_settings_error_is_a_value_error():
    assert issubclass(settings.SettingsError, ValueError)


def test_the_defaults_are_valid_and_typed():
    config = settings.load({})
    assert (config.top_k, config.retrieval_threads, config.rasa_port, config.stemming) == (32, 1, 5005, True)
    assert config.lock_store_url == "" and config.telegram_webhook_url == ""
    assert "1500-567" in config.human_contact and "puskesmas" in config.human_contact


@pytest.mark.parametrize(
    "env",
    [
        {"RETRIEVAL_TOP_K": " 8 ", "RETRIEVAL_MIN_SCORE": "-0.1", "RETRIEVAL_LEXICAL_HALF": "2.5e0"},
        {"RETRIEVAL_QUERY_CACHE": "0", "TRACKER_RETENTION_DAYS": "0.5", "RETRIEVAL_SCOPE_PENALTY": "0"},
        {"RETRIEVAL_STEMMING": "off", "RASA_ENABLE_API": "Yes", "RASA_API_TOKEN": "t"},
        {"RASA_PORT": "65535", "ACTION_PORT": "1", "INDEX_TYPE": "IVF104,Flat", "INDEX_SEARCH_PARAMS": "nprobe=16"},
        {"TRACKER_STORE_URL": "postgresql+psycopg2://bot:pw@db:5432/rasa", "LOCK_STORE_URL": "redis://10.0.0.5:6380/2"},
        {"CHAT_ALLOWED_ORIGINS": "https://bot.example.org http://localhost:8080/", "TELEGRAM_SECRET_TOKEN": "a-Z_9"},
        {"TELEGRAM_WEBHOOK_URL": "https://bot.example.org:8443/webhooks/telegram/webhook"},
        {"HUMAN_CONTACT": "Hubungi klinik kami di 021-555-0100 (Senin–Jumat, 08.00–16.00)."},
    ],
)
def test_values_that_can_work_are_accepted(env):
    settings.load(env)


def test_flags_read_the_usual_words():
    values = ("1", "TRUE", "on", "0", "no", "")
    assert [settings.load({"RETRIEVAL_STEMMING": v}).stemming for v in values] == [True] * 3 + [False] * 3


@pytest.mark.parametrize("command", [["scripts.serve"], ["embeddings.build_index"], ["knowledge.ingest"]])
def test_a_command_with_a_bad_setting_says_so_in_one_line_and_fails(command):
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(settings.ROOT), "RETRIEVAL_TOP_K": "abc"}
    run = subprocess.run(
        [sys.executable, "-m", *command], cwd=settings.ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode != 0
    assert run.stderr.strip() == 'Bad setting: RETRIEVAL_TOP_K must be a whole number ≥ 1, got "abc"'
