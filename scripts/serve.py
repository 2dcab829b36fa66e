"""Run the bot: the action server, then the Rasa server; Ctrl-C stops both.

    python -m scripts.serve          # `make run`: REST and socket.io on RASA_HOST:RASA_PORT
    python -m scripts.serve --shell  # `make shell`: chat in the terminal (rasa shell)

Ports and bind addresses come from settings (RASA_HOST, RASA_PORT, ACTION_HOST, ACTION_PORT).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Dict, List, Optional

import settings

MODEL = settings.ROOT / "models" / "chatbot.tar.gz"
START_TIMEOUT_S = 300.0
STOP_TIMEOUT_S = 20.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shell", action="store_true", help="chat in this terminal instead of serving HTTP")
    args = parser.parse_args()
    config = settings.load()
    if not MODEL.is_file():
        print(f"No trained model at {MODEL}: run `make train`.", file=sys.stderr)
        return 2
    env = child_environment(config)
    children: List[subprocess.Popen] = []
    for signum in (signal.SIGINT, signal.SIGTERM):  # also when started with SIGINT ignored (`&`)
        signal.signal(signum, _raise_keyboard_interrupt)
    try:
        actions = _start([sys.executable, "-m", "actions"], env)
        children.append(actions)
        _wait_until_up(actions, f"http://{config.action_host}:{config.action_port}/health", "Action server")
        rasa = rasa_command(config, shell=args.shell)
        if args.shell:
            return subprocess.call(rasa, env=env, cwd=settings.ROOT)
        children.append(_start(rasa, env))
        base = f"http://{config.rasa_host}:{config.rasa_port}"
        _wait_until_up(children[-1], base + "/", "Rasa server")
        print(ready_message(config), flush=True)
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        failed = [child for child in children if child.poll() is not None]
        print(f"A server exited (code {failed[0].returncode}); stopping the other.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping the bot…", flush=True)
        return 0
    except StartupError as error:
        print(str(error), file=sys.stderr)
        return 1
    finally:
        for child in reversed(children):
            _stop(child)


def child_environment(config: settings.Settings) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        HF_HUB_OFFLINE=env.get("HF_HUB_OFFLINE", "1"),
        TRANSFORMERS_OFFLINE=env.get("TRANSFORMERS_OFFLINE", "1"),
        ACTION_SERVER_URL=config.action_server_url,
        PYTHONPATH=os.pathsep.join(filter(None, [str(settings.ROOT), env.get("PYTHONPATH")])),
    )
    return env


def rasa_command(config: settings.Settings, shell: bool) -> List[str]:
    rasa = str(Path(sys.executable).with_name("rasa"))
    common = ["--model", str(MODEL), "--endpoints", "bot/endpoints.yml", "--port", str(config.rasa_port)]
    if shell:
        return [rasa, "shell", *common]
    return [rasa, "run", *common, "--credentials", "bot/credentials.yml", "--interface", config.rasa_host]


def ready_message(config: settings.Settings) -> str:
    base = f"http://{config.rasa_host}:{config.rasa_port}"
    return "\n".join(
        [
            "The bot is up. Talk to it:",
            f"  REST:      curl -s {base}/webhooks/rest/webhook -H 'Content-Type: application/json' \\",
            "                -d '{\"sender\": \"saya\", \"message\": \"Kenapa betis saya sering kram di malam hari?\"}'",
            f"  socket.io: {base}/socket.io",
            f"  Actions:   http://{config.action_host}:{config.action_port}/webhook",
            "Press Ctrl-C to stop both servers.",
        ]
    )


class StartupError(RuntimeError):
    pass


def _start(command: List[str], env: Dict[str, str]) -> subprocess.Popen:
    # Own process group: Ctrl-C reaches this launcher, which then stops each child in order.
    return subprocess.Popen(command, env=env, cwd=settings.ROOT, start_new_session=True)


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


def _raise_keyboard_interrupt(signum: int, frame: Optional[object]) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
