"""The credentials file Rasa is started with: bot/credentials.yml less the channels that are off.

Telegram is on when TELEGRAM_TOKEN is set; the ${VARIABLES} stay for Rasa to fill in, so no secret is written.
"""

from __future__ import annotations

from pathlib import Path

import yaml

import settings

TEMPLATE = settings.ROOT / "bot" / "credentials.yml"
TELEGRAM_CHANNEL = "channels.telegram.TelegramChannel"


def write_credentials(config: settings.Settings, template: Path = TEMPLATE) -> Path:
    """Write build/credentials-<Rasa port>.yml with the channels `config` turns on, and return its
    path (one file per port, so that bots started side by side, as in tests, keep their own)."""
    channels = yaml.safe_load(template.read_text(encoding="utf-8"))
    if not config.telegram_enabled:
        channels.pop(TELEGRAM_CHANNEL)
    target = config.build_dir / f"credentials-{config.rasa_port}.yml"
    target.parent.mkdir(parents=True, exist_ok=True)
    header = f"# Written by the launcher from {template.name}: the channels of this run.\n"
    target.write_text(header + yaml.safe_dump(channels, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return target
