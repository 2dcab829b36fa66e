"""Tracker retention: events older than TRACKER_RETENTION_DAYS are deleted from the SQL tracker
store (SQLite or PostgreSQL); the launcher purges at start and then every hour.
"""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Optional, Sequence

import sqlalchemy as sa

import settings

SECONDS_PER_DAY = 86400.0
PURGE_INTERVAL_S = 3600.0  # how often the launchers delete events older than TRACKER_RETENTION_DAYS


def watch(children: Sequence[subprocess.Popen], config: settings.Settings) -> None:
    """Return when one of `children` exits, applying the retention now and every hour meanwhile."""
    next_purge = time.monotonic()
    while all(child.poll() is None for child in children):
        if time.monotonic() >= next_purge:
            apply_retention(config)
            next_purge = time.monotonic() + PURGE_INTERVAL_S
        time.sleep(0.5)


def apply_retention(config: settings.Settings) -> None:
    """Apply the tracker retention; a store that cannot be reached now is tried again later."""
    try:
        deleted = purge_old_events(config.tracker_store_url, config.tracker_retention_days)
    except Exception as error:  # noqa: BLE001 - the bot must run even if the purge fails
        print(f"Tracker retention not applied now: {error}", file=sys.stderr)
        return
    if deleted:
        print(f"Tracker retention: deleted {deleted} events older than {config.tracker_retention_days:g} days.")


def purge_old_events(url: str, days: float, now: Optional[float] = None) -> int:
    """Delete the events older than `days` from the tracker store at `url`; the number deleted.
    `days` <= 0 keeps everything."""
    if days <= 0:
        return 0
    cutoff = (time.time() if now is None else now) - days * SECONDS_PER_DAY
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            if not sa.inspect(connection).has_table("events"):
                return 0
            result = connection.execute(sa.text("DELETE FROM events WHERE timestamp < :cutoff"), {"cutoff": cutoff})
            return int(result.rowcount or 0)
    finally:
        engine.dispose()
