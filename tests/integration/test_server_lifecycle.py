"""Start-up and shutdown of the servers: a bad index stops the action server with a message
naming the fix, and the servers never outlive their launcher."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import settings
from embeddings.index import MANIFEST_FILE
from scripts.processes import free_port
from tests.integration.bot_process import port_is_open


def _start_action_server(index_dir) -> subprocess.CompletedProcess:
    env = dict(os.environ, INDEX_DIR=str(index_dir), ACTION_PORT=str(free_port()))
    return subprocess.run(
        [sys.executable, "-m", "actions"], cwd=settings.ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def test_a_missing_index_stops_the_action_server_at_start_up(tmp_path):
    result = _start_action_server(tmp_path / "no-index")
    assert result.returncode != 0
    assert "Action server not started" in result.stderr and "make index" in result.stderr


def test_an_index_built_with_another_model_stops_the_action_server_at_start_up(tmp_path):
    index_dir = tmp_path / "index"
    shutil.copytree(settings.load().index_dir, index_dir)
    manifest = json.loads((index_dir / MANIFEST_FILE).read_text())
    manifest["model"] = "intfloat/multilingual-e5-small"
    (index_dir / MANIFEST_FILE).write_text(json.dumps(manifest))
    result = _start_action_server(index_dir)
    assert result.returncode != 0
    assert "EMBEDDING_MODEL" in result.stderr and "make index" in result.stderr


def test_the_action_server_does_not_outlive_a_killed_launcher():
    action_port = free_port()
    env = dict(os.environ, RASA_PORT=str(free_port()), ACTION_PORT=str(action_port))
    launcher = subprocess.Popen(
        [sys.executable, "-m", "scripts.serve"], cwd=settings.ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 300
        while not port_is_open(action_port):
            assert launcher.poll() is None and time.monotonic() < deadline, "the action server did not start"
            time.sleep(0.5)
    finally:
        launcher.send_signal(signal.SIGKILL)
        launcher.wait()
    deadline = time.monotonic() + 60
    while port_is_open(action_port) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not port_is_open(action_port)
