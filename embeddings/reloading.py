"""New index sets without a restart: what is loaded from the set a directory link points at (the
action server's answer components), and a watcher that, when `make index` switches the link to a
new set, loads that set beside the one in use (which keeps answering meanwhile) and then swaps
the reference in one step.

A set that does not load (incomplete, corrupt, built with another model) is logged and left
alone until the link moves again; the set in use stays. Each set is loaded anew, so nothing
derived from a set (a query cache, a fitted triage) outlives it.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Callable, Generic, Optional, TypeVar

logger = logging.getLogger(__name__)
Loaded = TypeVar("Loaded")


class ReloadingSet(Generic[Loaded]):
    """`current` is what `load` made of the set `directory` pointed at when last checked;
    `check()` (every `interval` seconds once `watch()` is called) loads a set it newly points at."""

    def __init__(self, directory: Path, load: Callable[[Path], Loaded], interval: float = 0.0) -> None:
        if interval < 0:
            raise ValueError(f"interval must be ≥ 0 seconds, got {interval}")
        self.directory = Path(directory)
        self.interval = interval
        self._load = load
        self._version = self.directory.resolve()
        self._current = load(self._version)  # a set that does not load at start-up is an error
        self._failed: Optional[Path] = None
        self._checking = threading.Lock()
        self._stopped = threading.Event()
        self._watcher: Optional[threading.Thread] = None

    @property
    def current(self) -> Loaded:
        return self._current

    @property
    def version(self) -> Path:
        """The set directory `current` was loaded from."""
        return self._version

    def check(self) -> bool:
        """Load the set `directory` points at now if it is another and has not failed; True when
        it was swapped in. The set in use answers until then."""
        with self._checking:
            target = self.directory.resolve()
            if target in (self._version, self._failed):
                return False
            started = time.perf_counter()
            try:
                loaded = self._load(target)
            except Exception as error:  # noqa: BLE001 - whatever is wrong with a new set, keep answering
                self._failed = target
                logger.error("Index set %s not loaded, still answering from %s: %s", target, self._version, error)
                return False
            self._current, self._version = loaded, target
            logger.info("Answering from index set %s, loaded in %.1f s", target.name, time.perf_counter() - started)
            return True

    def watch(self) -> None:
        """Check every `interval` seconds in a background thread (never with an interval of 0)."""
        if self.interval <= 0 or self._watcher is not None:
            return
        self._watcher = threading.Thread(target=self._watch, name="index-watcher", daemon=True)
        self._watcher.start()

    def stop(self) -> None:
        self._stopped.set()
        if self._watcher is not None:
            self._watcher.join()
            self._watcher = None

    def _watch(self) -> None:
        while not self._stopped.wait(self.interval):
            self.check()
