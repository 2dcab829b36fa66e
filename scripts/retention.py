"""Tracker retention: events older than TRACKER_RETENTION_DAYS are deleted from the SQL tracker
store (SQLite or PostgreSQL); the launcher purges at start and then every hour.
"""

from __future__ import annotations

import time
from typing import Optional

import sqlalchemy as sa

SECONDS_PER_DAY = 86400.0


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
