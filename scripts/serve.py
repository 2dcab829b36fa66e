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
import ipaddress
import os
import signal
import subprocess
import sys
from typing import Dict, List, Optional

import settings
from scripts.credentials import write_credentials
from scripts.endpoints import endpoint_environment, write_endpoints
from scripts.processes import StartupError, answers, start, stop_all, stop_on_signals, wait_until_up
from scripts.retention import watch


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shell", action="store_true", help="chat in this terminal instead of serving HTTP")
    args = parser.parse_args()
    config = settings.load_or_exit()
    problem = configuration_problem(config)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    env = child_environment(config)
    children: List[subprocess.Popen] = []
    stop_on_signals()
    try:
        start([sys.executable, "-m", "actions"], env, children)
        action_server_health = f"http://{config.action_host}:{config.action_port}/health"
        wait_until_up(children[-1], answers(action_server_health), "Action server")
        if args.shell:
            # rasa shell reads the terminal and handles Ctrl-C itself; wait for it to end.
            signal.signal(signal.SIGINT, lambda signum, frame: None)
            return subprocess.call(rasa_command(config, shell=True), env=env, cwd=settings.ROOT)
        start(rasa_command(config, shell=False), env, children)
        wait_until_up(children[-1], answers(f"{config.rasa_url}/"), "Rasa server")
        print(ready_message(config), flush=True)
        watch(children, config)
        print("A server exited; stopping the other.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping the bot…", flush=True)
        return 0
    except StartupError as error:
        print(str(error), file=sys.stderr)
        return 1
    finally:
        stop_all(children)


def configuration_problem(config: settings.Settings) -> Optional[str]:
    """Why Rasa cannot be started with `config`, if it cannot."""
    if not config.rasa_model.is_file():
        return f"No trained model at {config.rasa_model}: run `make train`."
    if not is_loopback(config.rasa_host) and not config.rest_token:
        return f"RASA_HOST is {config.rasa_host}, beyond this machine: set REST_TOKEN, which REST callers must send."
    if config.rasa_enable_api and not (config.rasa_api_token or config.rasa_jwt_secret):
        return "RASA_ENABLE_API is set: set RASA_API_TOKEN or RASA_JWT_SECRET too."
    if config.telegram_missing:
        return f"TELEGRAM_TOKEN is set, so Telegram needs {', '.join(config.telegram_missing)} too."
    return None


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def child_environment(config: settings.Settings) -> Dict[str, str]:
    env = dict(os.environ)
    env.update(
        RASA_TELEMETRY_ENABLED="false",
        HF_HUB_OFFLINE=env.get("HF_HUB_OFFLINE", "1"),
        TRANSFORMERS_OFFLINE=env.get("TRANSFORMERS_OFFLINE", "1"),
        **endpoint_environment(config),
        CHAT_ALLOWED_ORIGINS=",".join(config.chat_allowed_origins),
        TELEGRAM_BOT_USERNAME=config.telegram_bot_username,  # without the @ one may have typed
        TELEGRAM_API_BASE_URL=config.telegram_api_base_url,
        PYTHONPATH=os.pathsep.join(filter(None, [str(settings.ROOT), env.get("PYTHONPATH")])),
        # Sanic's own cap on a request body, for Rasa and the action server (413 before reading it).
        SANIC_REQUEST_MAX_SIZE=str(config.max_request_bytes),
    )
    return env


def rasa_command(config: settings.Settings, shell: bool) -> List[str]:
    """Rasa's command line, with the project's fix to Rasa applied (scripts/rasa_server.py)."""
    rasa = [sys.executable, "-m", "scripts.rasa_server"]
    common = [
        *("--model", str(config.rasa_model), "--endpoints", str(write_endpoints(config))),
        *("--interface", config.rasa_host, "--port", str(config.rasa_port)),
    ]
    if shell:
        return [*rasa, "shell", *common]
    return [*rasa, "run", *common, "--credentials", str(write_credentials(config)), *api_arguments(config)]


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


if __name__ == "__main__":
    sys.exit(main())
