"""Run the bot: the action server, then the Rasa server; Ctrl-C stops both.

    python -m scripts.serve          # `make run`: REST, socket.io, the chat page (and Telegram)
    python -m scripts.serve --shell  # `make shell`: chat in the terminal (rasa shell)

Ports, bind addresses and the model come from settings (RASA_HOST, RASA_PORT, ACTION_HOST,
ACTION_PORT, RASA_MODEL); Telegram is on when TELEGRAM_TOKEN is set. Conversations are kept
in TRACKER_STORE_URL; events older than TRACKER_RETENTION_DAYS are deleted at start and hourly.
The servers are stopped with the launcher, however it ends.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List

import settings
from scripts.credentials import write_credentials
from scripts.endpoints import endpoint_environment, write_endpoints
from scripts.retention import purge_old_events

START_TIMEOUT_S = 300.0
STOP_TIMEOUT_S = 20.0
PURGE_INTERVAL_S = 3600.0  # how often events older than TRACKER_RETENTION_DAYS are deleted
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
_PR_SET_PDEATHSIG = 1


class StartupError(RuntimeError):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shell", action="store_true", help="chat in this terminal instead of serving HTTP")
    args = parser.parse_args()
    config = settings.load()
    if not config.rasa_model.is_file():
        print(f"No trained model at {config.rasa_model}: run `make train`.", file=sys.stderr)
        return 2
    if config.rasa_enable_api and not (config.rasa_api_token or config.rasa_jwt_secret):
        print("RASA_ENABLE_API is set: set RASA_API_TOKEN or RASA_JWT_SECRET too.", file=sys.stderr)
        return 2
    if config.telegram_missing:
        print(f"TELEGRAM_TOKEN is set, so Telegram needs {', '.join(config.telegram_missing)} too.", file=sys.stderr)
        return 2
    env = child_environment(config)
    _purge(config)
    children: List[subprocess.Popen] = []
    for signum in STOP_SIGNALS:  # also when started with SIGINT ignored (`&` in a script)
        signal.signal(signum, _raise_keyboard_interrupt)
    try:
        _start([sys.executable, "-m", "actions"], env, children)
        _wait_until_up(children[-1], f"http://{config.action_host}:{config.action_port}/health", "Action server")
        if args.shell:
            # rasa shell reads the terminal and handles Ctrl-C itself; wait for it to end.
            signal.signal(signal.SIGINT, lambda signum, frame: None)
            return subprocess.call(rasa_command(config, shell=True), env=env, cwd=settings.ROOT)
        _start(rasa_command(config, shell=False), env, children)
        _wait_until_up(children[-1], f"http://{config.rasa_host}:{config.rasa_port}/", "Rasa server")
        print(ready_message(config), flush=True)
        next_purge = time.monotonic() + PURGE_INTERVAL_S
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
            if time.monotonic() >= next_purge:
                _purge(config)
                next_purge = time.monotonic() + PURGE_INTERVAL_S
        print("A server exited; stopping the other.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping the bot…", flush=True)
        return 0
    except StartupError as error:
        print(str(error), file=sys.stderr)
        return 1
    finally:
        for signum in STOP_SIGNALS:  # a second Ctrl-C must not cut the clean-up short
            signal.signal(signum, signal.SIG_IGN)
        for child in reversed(children):
            _stop(child)


def child_environment(config: settings.Settings) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        HF_HUB_OFFLINE=env.get("HF_HUB_OFFLINE", "1"),
        TRANSFORMERS_OFFLINE=env.get("TRANSFORMERS_OFFLINE", "1"),
        **endpoint_environment(config),
        CHAT_ALLOWED_ORIGINS=",".join(config.chat_allowed_origins),
        TELEGRAM_API_BASE_URL=config.telegram_api_base_url,
        PYTHONPATH=os.pathsep.join(filter(None, [str(settings.ROOT), env.get("PYTHONPATH")])),
    )
    return env


def rasa_command(config: settings.Settings, shell: bool) -> List[str]:
    rasa = str(Path(sys.executable).with_name("rasa"))
    common = [
        *("--model", str(config.rasa_model), "--endpoints", str(write_endpoints(config))),
        *("--interface", config.rasa_host, "--port", str(config.rasa_port)),
    ]
    if shell:
        return [rasa, "shell", *common]
    return [rasa, "run", *common, "--credentials", str(write_credentials(config)), *api_arguments(config)]


def api_arguments(config: settings.Settings) -> List[str]:
    """Rasa's HTTP API stays off unless enabled, and then it requires a token or a JWT."""
    if not config.rasa_enable_api:
        return []
    if config.rasa_jwt_secret:
        return ["--enable-api", "--jwt-secret", config.rasa_jwt_secret, "--jwt-method", "HS256"]
    return ["--enable-api", "--auth-token", config.rasa_api_token]


def ready_message(config: settings.Settings) -> str:
    base = config.rasa_url
    telegram = (
        f"  Telegram:  updates at {config.telegram_webhook_url}"
        if config.telegram_enabled
        else "  Telegram:  off (set TELEGRAM_TOKEN and the rest, see README)"
    )
    return "\n".join(
        [
            "The bot is up. Talk to it:",
            f"  Chat page: {config.chat_page_url}",
            f"  REST:      curl -s {base}/webhooks/rest/webhook -H 'Content-Type: application/json' \\",
            "                -d '{\"sender\": \"saya\", "
            "\"message\": \"Kenapa betis saya sering kram di malam hari?\"}'",
            f"  socket.io: {base}/socket.io (pages from {', '.join(config.chat_allowed_origins)})",
            telegram,
            f"  Actions:   http://{config.action_host}:{config.action_port}/webhook",
            "Press Ctrl-C to stop both servers.",
        ]
    )


def _purge(config: settings.Settings) -> None:
    """Apply the tracker retention; a store that cannot be reached now is tried again later."""
    try:
        deleted = purge_old_events(config.tracker_store_url, config.tracker_retention_days)
    except Exception as error:  # noqa: BLE001 - the bot must run even if the purge fails
        print(f"Tracker retention not applied now: {error}", file=sys.stderr)
        return
    if deleted:
        print(f"Tracker retention: deleted {deleted} events older than {config.tracker_retention_days:g} days.")


def _start(command: List[str], env: Dict[str, str], children: List[subprocess.Popen]) -> None:
    """Start a server in its own process group and record it, with stop signals held meanwhile
    so that no child can be started without being recorded for the clean-up."""
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        children.append(
            subprocess.Popen(
                command, env=env, cwd=settings.ROOT, start_new_session=True, preexec_fn=_in_child_before_exec
            )
        )
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _in_child_before_exec() -> None:
    """Unblock signals, and on Linux have the kernel stop the server if the launcher dies."""
    signal.pthread_sigmask(signal.SIG_SETMASK, set())
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM))


def _wait_until_up(child: subprocess.Popen, url: str, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise StartupError(f"{what} exited during start-up (code {child.returncode}); see its messages above.")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise StartupError(f"{what} did not answer at {url} within {START_TIMEOUT_S:.0f} s.")


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


if __name__ == "__main__":
    sys.exit(main())
