"""The real bot for integration tests: `python -m scripts.serve` on free loopback ports, with
Telegram on and its Bot API a fake one that is only started once the bot is up, and the chat
socket open to one more origin, http://127.0.0.1:<embedding port>, for a site that embeds it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Dict, Iterator, List

import pytest

import settings
from tests.integration.fake_telegram import FakeBotApi
from tests.integration.loopback import free_port, port_is_open

START_TIMEOUT_S = 420
TELEGRAM_TOKEN = "123456789:TEST-token_for-the-fake-api"
TELEGRAM_USERNAME = "kram_betis_test_bot"
TELEGRAM_SECRET = "test-secret_0123456789"
TELEGRAM_WEBHOOK_URL = "https://bot.example.test/webhooks/telegram/webhook"


class Bot:
    """A running bot, spoken to over the REST channel."""

    def __init__(
        self,
        process: subprocess.Popen,
        rasa_port: int,
        action_port: int,
        log,
        telegram_api_port: int = 0,
        embedding_port: int = 0,
    ) -> None:
        self.process, self.rasa_port, self.action_port = process, rasa_port, action_port
        self.embedding_port = embedding_port
        self.base_url = f"http://127.0.0.1:{rasa_port}"
        self.url = f"{self.base_url}/webhooks/rest/webhook"
        self.chat_page_url = f"{self.base_url}/chat"
        self.telegram_api_port = telegram_api_port
        self._log = log

    def log(self) -> str:
        """Everything the servers have logged so far."""
        return _read(self._log)

    def say(self, sender: str, message: str) -> List[Dict]:
        body = json.dumps({"sender": sender, "message": message}).encode("utf-8")
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())


def launch(directory: Path, rasa_port: int = 0, **overrides: str) -> Bot:
    """Start the bot with the launcher on free loopback ports (Rasa on `rasa_port` if given),
    keeping its conversations and log in `directory` (a second launch there continues them)."""
    rasa_port, action_port = rasa_port or free_port(), free_port()
    env = dict(
        os.environ,
        RASA_PORT=str(rasa_port),
        ACTION_PORT=str(action_port),
        TRACKER_STORE_URL=f"sqlite:///{directory / 'tracker.db'}",
        **overrides,
    )
    log = (directory / f"serve-{rasa_port}.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "scripts.serve"], cwd=settings.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    wait_for(log, "The bot is up", process)
    return Bot(process, rasa_port, action_port, log)


def stop(bot: Bot) -> None:
    """Ctrl-C must stop both servers and end the launcher cleanly."""
    bot.process.send_signal(signal.SIGINT)
    code = bot.process.wait(timeout=60)
    assert code == 0, bot.log()[-4000:]
    assert not port_is_open(bot.rasa_port) and not port_is_open(bot.action_port)


def wait_for(log, text: str, process: subprocess.Popen, timeout: float = START_TIMEOUT_S) -> None:
    deadline = time.monotonic() + timeout
    while text not in _read(log):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"Never saw {text!r}:\n{_read(log)[-4000:]}")
        time.sleep(1)


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


def _read(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()
