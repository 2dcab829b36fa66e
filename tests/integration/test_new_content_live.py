"""New content without a restart: while a conversation keeps asking, an article is added, the
index set rebuilt and switched (as `make index` does), and the running action server moves to it
with no failed turn; a question only the new article answers is answered afterwards.

The bot runs on a private copy of the index set, so that the shared build/index never moves."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from typing import Iterator, List, Tuple

import pytest

import settings
from tests.integration.bot_process import Bot, launch, stop

NEW_ARTICLE_TITLE = "Sindrom kaki gelisah"
NEW_QUESTION = "Apa itu sindrom kaki gelisah?"
CONVERSATION = (
    "Kenapa betis saya sering kram di malam hari?",
    "Bagaimana cara mencegahnya?",
    "Apa itu spasme kaki?",
    "Kenapa kaki bawah mati rasa saat berlari?",
)
APOLOGY = "sedang terganggu"  # the reply when the action server did not answer


@pytest.fixture(scope="module")
def private_bot(tmp_path_factory) -> Iterator[Tuple[Bot, dict]]:
    """The bot on a copy of build/index in its own folder, and the environment that rebuilds it."""
    root = tmp_path_factory.mktemp("live")
    config = settings.load({})
    build, documents = root / "build", root / "documents"
    build.mkdir()
    (build / "models").symlink_to(config.models_dir)
    shutil.copytree(config.index_dir.resolve(), build / ".index.original")
    (build / "index").symlink_to(".index.original")
    shutil.copytree(config.documents_dir, documents)
    rebuild = dict(
        os.environ, KNOWLEDGE_DIR=str(documents), BUILD_DIR=str(build), INDEX_DIR=str(build / "index"),
        PYTHONPATH=str(settings.ROOT),
    )
    # One conversation asks as fast as the bot answers, which the rate limits are there to stop.
    unlimited = {"RATE_CONVERSATION_PER_S": "1000", "RATE_ADDRESS_PER_S": "1000"}
    bot = launch(root, INDEX_DIR=str(build / "index"), **unlimited)
    yield bot, rebuild
    stop(bot)


def _sources(replies: List[dict]) -> List[str]:
    return [reply["text"] for reply in replies if "Sumber: " in reply.get("text", "")]


def test_a_new_article_goes_live_without_a_restart_or_a_failed_turn(private_bot):
    bot, rebuild = private_bot
    assert not any(NEW_ARTICLE_TITLE in s for s in _sources(bot.say("live-before", NEW_QUESTION)))
    turns: List[Tuple[float, str]] = []  # (when, what went wrong or "")
    stop_asking = threading.Event()

    def keep_asking() -> None:
        number = 0
        while not stop_asking.is_set():
            question = CONVERSATION[number % len(CONVERSATION)]
            try:
                replies = bot.say("live-load", question)
                problem = "" if replies and not any(APOLOGY in r.get("text", "") for r in replies) else str(replies)
            except Exception as error:  # noqa: BLE001 - any failure of a turn is what this test looks for
                problem = repr(error)
            turns.append((time.monotonic(), problem))
            number += 1

    asking = threading.Thread(target=keep_asking)
    asking.start()
    try:
        article = settings.ROOT / "tests" / "data" / "documents"
        for path in article.iterdir():
            shutil.copy(path, rebuild["KNOWLEDGE_DIR"])
        started = time.monotonic()
        for module in ("knowledge.ingest", "embeddings.build_index"):
            subprocess.run([sys.executable, "-m", module], env=rebuild, cwd=settings.ROOT, check=True)
        built = time.monotonic()
        deadline = built + 120
        answered: List[str] = []
        while time.monotonic() < deadline:
            answered = _sources(bot.say("live-after", NEW_QUESTION))
            if any(NEW_ARTICLE_TITLE in s for s in answered):
                break
            time.sleep(1)
        live = time.monotonic()
    finally:
        stop_asking.set()
        asking.join(120)
    assert any(NEW_ARTICLE_TITLE in s for s in answered), bot.log()[-3000:]
    assert "Answering from index set" in bot.log()
    failed = [problem for _, problem in turns if problem]
    during = [t for t, _ in turns if started <= t <= live]
    print(
        f"\nbuild {built - started:.1f} s, live {live - built:.1f} s after; "
        f"{len(turns)} turns, {len(during)} during the rebuild and switch, {len(failed)} failed"
    )
    assert not failed and len(during) >= 3
