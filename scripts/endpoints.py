"""The endpoints file Rasa is started with: bot/endpoints.yml less the lock store when no Redis
is configured; the ${VARIABLES} stay for Rasa to fill in, so no password is written.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict
from urllib.parse import urlsplit

import yaml

import settings

TEMPLATE = settings.ROOT / "bot" / "endpoints.yml"


def write_endpoints(config: settings.Settings, template: Path = TEMPLATE) -> Path:
    """Write build/endpoints-<Rasa port>.yml for `config` and return its path."""
    endpoints = yaml.safe_load(template.read_text(encoding="utf-8"))
    if not config.lock_store_url:
        endpoints.pop("lock_store")
    target = config.build_dir / f"endpoints-{config.rasa_port}.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    header = f"# Written by the launcher from {template.name}: the endpoints of this run.\n"
    target.write_text(header + yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return target


def endpoint_environment(config: settings.Settings) -> Dict[str, str]:
    """The variables the endpoints file refers to."""
    lock = urlsplit(config.lock_store_url or "redis://127.0.0.1:6379/1")
    return {
        "ACTION_SERVER_URL": config.action_server_url,
        "ACTION_SERVER_TOKEN": config.action_server_secret,
        "TRACKER_STORE_URL": config.tracker_store_url,
        "LOCK_STORE_HOST": lock.hostname or "127.0.0.1",
        "LOCK_STORE_PORT": str(lock.port or 6379),
        "LOCK_STORE_DB": lock.path.strip("/") or "1",
        "LOCK_STORE_PASSWORD": lock.password or "",
    }
