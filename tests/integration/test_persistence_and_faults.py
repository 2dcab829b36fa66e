"""Conversations survive a restart; a missing action server gets an apology, not silence."""

import os
import subprocess
import sys
import time

import settings
from scripts.processes import free_port
from scripts.serve import child_environment, rasa_command
from tests.integration.bot_process import Bot, launch, port_is_open, stop, wait_for

NIGHT_CRAMP_ARTICLE = "Kram malam otot betis"


def _sources(replies):
    return [reply["text"] for reply in replies if "Sumber: " in reply.get("text", "")]


def test_a_follow_up_after_a_restart_still_knows_the_topic(tmp_path):
    first = launch(tmp_path)
    try:
        assert _sources(first.say("restarted", "Kenapa betis saya sering kram di malam hari?"))
    finally:
        stop(first)
    second = launch(tmp_path)
    try:
        sources = _sources(second.say("restarted", "Bagaimana cara mencegahnya?"))
        assert sources and all(NIGHT_CRAMP_ARTICLE in text for text in sources)
    finally:
        stop(second)


def test_without_the_action_server_the_user_gets_an_apology_and_answers_when_it_is_back(tmp_path):
    rasa_port, action_port = free_port(), free_port()
    overrides = {
        "RASA_PORT": str(rasa_port),
        "ACTION_PORT": str(action_port),
        "TRACKER_STORE_URL": f"sqlite:///{tmp_path / 'tracker.db'}",
    }
    config = settings.load({**os.environ, **overrides})
    env = {**child_environment(config), **overrides}
    log = (tmp_path / "rasa.log").open("w+")
    rasa = subprocess.Popen(
        rasa_command(config, shell=False), cwd=settings.ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
    )
    actions = None
    try:
        wait_for(log, "Rasa server is up and running", rasa)
        bot = Bot(rasa, rasa_port, action_port, log)
        down = bot.say("fault", "Kenapa betis saya sering kram di malam hari?")
        assert len(down) == 1 and "sedang terganggu" in down[0]["text"] and "112" in down[0]["text"]
        action_log = (tmp_path / "actions.log").open("w+")
        actions = subprocess.Popen(
            [sys.executable, "-m", "actions"], cwd=settings.ROOT, env=env, stdout=action_log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 300
        while not port_is_open(action_port) and actions.poll() is None and time.monotonic() < deadline:
            time.sleep(1)
        assert port_is_open(action_port), action_log.name
        assert _sources(bot.say("fault", "Kenapa betis saya sering kram di malam hari?"))
    finally:
        for process in (actions, rasa):
            if process is not None:
                process.terminate()
                process.wait(timeout=60)
