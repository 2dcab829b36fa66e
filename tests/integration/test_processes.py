"""A server started as another user (PostgreSQL in the cluster, when run as root) still dies with
its launcher: the kernel's parent-death signal is set after the switch of user, which clears it."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import settings

LAUNCHER = """
import os, sys, time
from scripts.processes import start
child = start(["sleep", "600"], dict(os.environ), [], user="nobody")
print(child.pid, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    status = Path(f"/proc/{pid}/status")
    try:
        return "\nState:\tZ" not in status.read_text()
    except FileNotFoundError:
        return False


@pytest.mark.skipif(os.geteuid() != 0, reason="switching to another user needs root")
def test_a_child_run_as_another_user_dies_with_its_killed_launcher():
    launcher = subprocess.Popen(
        [sys.executable, "-c", LAUNCHER], cwd=settings.ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        child = int(launcher.stdout.readline())
        assert _alive(child) and Path(f"/proc/{child}").stat().st_uid != 0
    finally:
        launcher.send_signal(signal.SIGKILL)
        launcher.wait()
    deadline = time.monotonic() + 10
    while _alive(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(child)
