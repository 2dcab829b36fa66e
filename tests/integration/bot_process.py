"""The bot under test as a process, for the integration tests to import: started by the launcher
(`python -m scripts.serve`) on free loopback ports, spoken to over REST, stopped with Ctrl-C; its
log; the ports it listens on; the Telegram settings of the test bot. Fixtures are in conftest.py."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path
from typing import IO, Any, Dict, List, Optional

import pytest

import settings
from channels.conversations import REST, conversation_id
from scripts.processes import LOOPBACK, free_port

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
        log: IO[str],
        telegram_api_port: int = 0,
        embedding_port: int = 0,
        tracker_db: Optional[Path] = None,
    ) -> None:
        self.process, self.rasa_port, self.action_port = process, rasa_port, action_port
        self.tracker_db = tracker_db  # the SQLite tracker store, when the bot keeps one
        self.embedding_port = embedding_port
        self.base_url = f"http://{LOOPBACK}:{rasa_port}"
        self.url = f"{self.base_url}/webhooks/rest/webhook"
        self.chat_page_url = f"{self.base_url}/chat"
        self.telegram_api_port = telegram_api_port
        self._log = log

    def log(self) -> str:
        """Everything the servers have logged so far."""
        return read_log(self._log)

    def slot_values(self, sender: str, slot: str, channel: str = REST) -> List[Any]:
        """Every value the conversation of `sender` on `channel` has set `slot` to, oldest first,
        as its events are stored in the tracker store."""
        assert self.tracker_db is not None
        with closing(sqlite3.connect(self.tracker_db)) as db:
            rows = db.execute(
                "SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot' ORDER BY id",
                (conversation_id(channel, sender),),
            ).fetchall()
        events = [json.loads(data) for (data,) in rows]
        return [event["value"] for event in events if event.get("name") == slot]

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
    return Bot(process, rasa_port, action_port, log, tracker_db=directory / "tracker.db")


def stop(bot: Bot) -> None:
    """Ctrl-C must stop both servers and end the launcher cleanly."""
    bot.process.send_signal(signal.SIGINT)
    code = bot.process.wait(timeout=60)
    assert code == 0, bot.log()[-4000:]
    assert not port_is_open(bot.rasa_port) and not port_is_open(bot.action_port)


def wait_for(log: IO[str], text: str, process: subprocess.Popen, timeout: float = START_TIMEOUT_S) -> None:
    """Wait until `text` appears in the log of `process`; fail the test if it exits or takes too long."""
    deadline = time.monotonic() + timeout
    while text not in read_log(log):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"Never saw {text!r}:\n{read_log(log)[-4000:]}")
        time.sleep(1)


def read_log(log: IO[str]) -> str:
    log.flush()
    log.seek(0)
    return log.read()


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((LOOPBACK, port)) == 0


def free_port_run(count: int) -> int:
    """The first of `count` consecutive free ports (the cluster numbers its replicas from one)."""
    while True:
        first = free_port()
        try:
            for port in range(first, first + count):
                with socket.socket() as sock:
                    sock.bind((LOOPBACK, port))
            return first
        except OSError:
            continue
