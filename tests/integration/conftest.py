"""Fixtures of the integration tests (their helpers are in bot_process.py): the real bot, started by
`python -m scripts.serve` on free loopback ports, with Telegram on and its Bot API a fake one that
is only started once the bot is up, and the chat socket open to one more origin,
http://127.0.0.1:<embedding port>, for a site that embeds it."""

from __future__ import annotations

import time
from typing import Iterator

import pytest

from scripts.processes import free_port
from tests.integration.bot_process import (
    TELEGRAM_SECRET,
    TELEGRAM_TOKEN,
    TELEGRAM_USERNAME,
    TELEGRAM_WEBHOOK_URL,
    Bot,
    launch,
    stop,
)
from tests.integration.fake_telegram import FakeBotApi


@pytest.fixture(scope="session")
def bot(tmp_path_factory) -> Iterator[Bot]:
    rasa_port, telegram_api_port, embedding_port = free_port(), free_port(), free_port()
    origins = [("127.0.0.1", rasa_port), ("localhost", rasa_port), ("127.0.0.1", embedding_port)]
    running = launch(
        tmp_path_factory.mktemp("bot"),
        rasa_port,
        CHAT_ALLOWED_ORIGINS=",".join(f"http://{host}:{port}" for host, port in origins),
        TELEGRAM_TOKEN=TELEGRAM_TOKEN,
        TELEGRAM_BOT_USERNAME=TELEGRAM_USERNAME,
        TELEGRAM_WEBHOOK_URL=TELEGRAM_WEBHOOK_URL,
        TELEGRAM_SECRET_TOKEN=TELEGRAM_SECRET,
        TELEGRAM_API_BASE_URL=f"http://127.0.0.1:{telegram_api_port}",
    )
    running.telegram_api_port, running.embedding_port = telegram_api_port, embedding_port
    yield running
    stop(running)


@pytest.fixture(scope="session")
def telegram_api(bot) -> Iterator[FakeBotApi]:
    """The fake Bot API, started once the bot has come up and failed to reach it."""
    deadline = time.monotonic() + 60
    while "Telegram webhook not set" not in bot.log() and time.monotonic() < deadline:
        time.sleep(0.5)
    api = FakeBotApi(bot.telegram_api_port, TELEGRAM_USERNAME)
    api.start()
    yield api
    api.stop()
