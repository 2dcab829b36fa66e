"""Servers started by a launcher: each in its own process group, stopped with the launcher
however it ends (Ctrl-C, SIGTERM, or by the kernel when the launcher is killed). The launchers
(scripts/serve.py, scripts/cluster.py) and `make bench` start, wait for and stop them here.
"""

from __future__ import annotations

import ctypes
import os
import pwd
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any, Callable, Dict, List, Optional

import settings

LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 300.0
STOP_TIMEOUT_S = 20.0
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
_PR_SET_PDEATHSIG = 1


class StartupError(RuntimeError):
    pass


def stop_on_signals() -> None:
    """Turn the stop signals into KeyboardInterrupt, also when started with SIGINT ignored
    (`&` in a script)."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, _raise_keyboard_interrupt)


def start(
    command: List[str],
    env: Dict[str, str],
    children: List[subprocess.Popen],
    user: Optional[str] = None,
    cwd: Path = settings.ROOT,
    output: Optional[IO[str]] = None,
) -> subprocess.Popen:
    """Start a server in its own process group, in `cwd`, as `user` if given, its output to
    `output` if given, and record it, with stop signals held meanwhile so that no child can be
    started without being recorded for the clean-up."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        child = subprocess.Popen(
            command,
            env=env,
            cwd=cwd,
            stdout=output,
            stderr=None if output is None else subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_in_child_before_exec,
            **as_user(user),
        )
        children.append(child)
        return child
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def as_user(user: Optional[str]) -> Dict[str, Any]:
    """subprocess arguments that run a child as `user` with its own group only (None: as is)."""
    if user is None:
        return {}
    return {"user": user, "group": pwd.getpwnam(user).pw_gid, "extra_groups": []}


def wait_until_up(
    child: subprocess.Popen,
    is_up: Callable[[], bool],
    what: str,
    timeout_s: float = START_TIMEOUT_S,
    messages: str = "above",
) -> None:
    """Wait until `is_up()` while the child runs; StartupError if it exits or takes longer than
    `timeout_s`, saying where its `messages` are."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise StartupError(f"{what} exited during start-up (code {child.returncode}); see its messages {messages}.")
        if is_up():
            return
        time.sleep(0.5)
    raise StartupError(f"{what} did not come up within {timeout_s:.0f} s; see its messages {messages}.")


def answers(url: str) -> Callable[[], bool]:
    """A probe: does `url` answer a GET with 200?"""

    def probe() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    return probe


def stop_all(children: List[subprocess.Popen]) -> None:
    """Stop the children as the launcher ends; a second Ctrl-C cannot cut this short."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    stop(children)


def stop(children: List[subprocess.Popen]) -> None:
    """Stop the children, the last started first: SIGTERM to each one's process group, SIGKILL
    if it has not ended after STOP_TIMEOUT_S."""
    for child in reversed(children):
        _stop(child)


def free_port() -> int:
    """A port free on the loopback now, for a server started next (tests, `make bench`)."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def _in_child_before_exec() -> None:
    """Unblock signals, and on Linux have the kernel stop the server if the launcher dies (set
    after the switch to another user, which would clear it)."""
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM))


def _stop(child: subprocess.Popen) -> None:
    if child.poll() is not None:
        return
    try:
        os.killpg(child.pid, signal.SIGTERM)
        child.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    except ProcessLookupError:
        pass


def _raise_keyboard_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
