"""Tracker retention on a real SQL tracker store (SQLite), written by Rasa's own SQLTrackerStore."""

import asyncio
import time

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from scripts.retention import SECONDS_PER_DAY, purge_old_events


async def _store_with_events(url, timestamps):
    store = SQLTrackerStore(host=url)
    tracker = DialogueStateTracker("someone", [])
    for stamp in timestamps:
        tracker.update(UserUttered("kram betis", timestamp=stamp))
    await store.save(tracker)
    return store


def test_events_older_than_the_retention_are_deleted_and_newer_kept(tmp_path):
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    now = time.time()
    store = asyncio.run(_store_with_events(url, [now - 40 * SECONDS_PER_DAY, now - 31 * SECONDS_PER_DAY, now - 1]))
    assert purge_old_events(url, days=30, now=now) == 2
    tracker = asyncio.run(store.retrieve("someone"))
    assert [event.timestamp for event in tracker.events] == [now - 1]


def test_zero_days_keeps_everything_and_a_missing_table_is_nothing_to_purge(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert purge_old_events(url, days=0) == 0
    assert purge_old_events(url, days=30) == 0
