"""The two assistants `make bench` compares, each a Rasa server and an action server on free
loopback ports: ours started by the launcher (scripts/serve.py, as `make run` does), the stock
`rasa init` assistant by `rasa run` and `rasa run actions`; their memory read from /proc. They are
started, waited for and stopped by scripts/processes.py, like the launcher's own servers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List

import settings
from scripts.processes import LOOPBACK, answers, free_port, start, stop, wait_until_up

START_TIMEOUT_S = 420.0


@dataclass
class ServedBot:
    """A running assistant: the processes this run started, and its two servers' process ids."""

    rasa_port: int
    action_port: int
    started: List[subprocess.Popen]
    servers: Dict[str, int]  # "rasa", "actions" -> pid
    start_s: float  # from launch until both servers answered

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.rasa_port}/webhooks/rest/webhook"

    @property
    def action_url(self) -> str:
        return f"http://{LOOPBACK}:{self.action_port}/webhook"

    def memory_mib(self) -> Dict[str, Memory]:
        return {role: read_memory(pid) for role, pid in self.servers.items()}

    def stop(self) -> None:
        stop(self.started)


@dataclass(frozen=True)
class Memory:
    rss_mib: float  # resident now (VmRSS)
    peak_mib: float  # highest resident so far (VmHWM)


def read_memory(pid: int) -> Memory:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024  # kB
    return Memory(fields["VmRSS"], fields["VmHWM"])


def start_ours(log_dir: Path) -> ServedBot:
    """The bot as `make run` starts it, on free ports; the launcher's two children are the servers.
    Query embeddings are not cached, so that every question of the fixed list is embedded, and
    its SQL tracker store is a new SQLite file, so that no conversation goes on from an earlier run."""
    rasa_port, action_port = free_port(), free_port()
    store = log_dir / "ours-tracker.db"
    store.unlink(missing_ok=True)
    env = _environment(
        RASA_HOST=LOOPBACK,
        RASA_PORT=str(rasa_port),
        ACTION_HOST=LOOPBACK,
        ACTION_PORT=str(action_port),
        RETRIEVAL_QUERY_CACHE="0",
        TRACKER_STORE_URL=f"sqlite:///{store}",
    )
    began = time.monotonic()
    bot = ServedBot(rasa_port, action_port, [], {}, 0.0)
    try:
        launcher = _serve([sys.executable, "-m", "scripts.serve"], settings.ROOT, env, log_dir / "ours.log", bot)
        _wait_for(launcher, f"http://{LOOPBACK}:{rasa_port}/", log_dir / "ours.log")
        children = _children(launcher.pid)
        bot.servers = {
            "rasa": next(pid for pid, command in children.items() if " run " in f" {command} "),
            "actions": next(pid for pid, command in children.items() if "-m actions" in command),
        }
    except BaseException:
        bot.stop()
        raise
    bot.start_s = time.monotonic() - began
    return bot


def start_reference(project: Path, model: Path, log_dir: Path) -> ServedBot:
    """The stock assistant served like ours: `rasa run actions`, then `rasa run`, on loopback."""
    rasa_port, action_port = free_port(), free_port()
    endpoints = project / "bench-endpoints.yml"
    endpoints.write_text(f"action_endpoint:\n  url: http://{LOOPBACK}:{action_port}/webhook\n", encoding="utf-8")
    rasa = str(Path(sys.executable).with_name("rasa"))
    env = _environment(SANIC_HOST=LOOPBACK)
    began = time.monotonic()
    bot = ServedBot(rasa_port, action_port, [], {}, 0.0)
    try:
        actions_log = log_dir / "reference-actions.log"
        actions = _serve([rasa, "run", "actions", "--port", str(action_port)], project, env, actions_log, bot)
        _wait_for(actions, f"http://{LOOPBACK}:{action_port}/health", actions_log)
        command = [
            *(rasa, "run", "--model", str(model), "--endpoints", endpoints.name, "--credentials", "credentials.yml"),
            *("--interface", LOOPBACK, "--port", str(rasa_port)),
        ]
        server = _serve(command, project, env, log_dir / "reference-rasa.log", bot)
        _wait_for(server, f"http://{LOOPBACK}:{rasa_port}/", log_dir / "reference-rasa.log")
    except BaseException:
        bot.stop()
        raise
    bot.servers = {"rasa": server.pid, "actions": actions.pid}
    bot.start_s = time.monotonic() - began
    return bot


def _environment(**changes: str) -> Dict[str, str]:
    env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    env.update(changes)
    return env


def _serve(command: List[str], cwd: Path, env: Dict[str, str], log: Path, bot: ServedBot) -> subprocess.Popen:
    """Start a server of `bot`, its output to `log`."""
    with log.open("w") as output:
        return start(command, env, bot.started, cwd=cwd, output=output)


def _wait_for(server: subprocess.Popen, url: str, log: Path) -> None:
    wait_until_up(server, answers(url), log.stem, START_TIMEOUT_S, messages=f"in {log}")


def _children(pid: int) -> Dict[int, str]:
    """The processes whose parent is `pid`, with their command lines."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            children[int(entry.name)] = command
    return children
