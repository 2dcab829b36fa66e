"""The real bot for integration tests: `python -m scripts.serve` on free loopback ports."""

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
from tests.integration.loopback import free_port, port_is_open

START_TIMEOUT_S = 420


class Bot:
    """A running bot, spoken to over the REST channel."""

    def __init__(self, process: subprocess.Popen, rasa_port: int, action_port: int, log) -> None:
        self.process, self.rasa_port, self.action_port = process, rasa_port, action_port
        self.url = f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
        self._log = log

    def log(self) -> str:
        """Everything both servers have logged so far."""
        return _read(self._log)

    def say(self, sender: str, message: str) -> List[Dict]:
        body = json.dumps({"sender": sender, "message": message}).encode("utf-8")
        request = urllib.request.Request(self.url, body, {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())


def launch(directory: Path, **overrides: str) -> Bot:
    """Start the bot with the launcher on free loopback ports, keeping its conversations and log
    in `directory` (a second launch there continues the same conversations)."""
    rasa_port, action_port = free_port(), free_port()
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


def wait_for(log, text: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while text not in _read(log):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"Never saw {text!r}:\n{_read(log)[-4000:]}")
        time.sleep(1)


@pytest.fixture(scope="session")
def bot(tmp_path_factory) -> Iterator[Bot]:
    running = launch(tmp_path_factory.mktemp("bot"))
    yield running
    stop(running)


def _read(log) -> str:
    log.flush()
    log.seek(0)
    return log.read()
