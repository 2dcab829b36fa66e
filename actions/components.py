"""The action server's answer components: loaded once per process (at start-up by `python -m
actions`), then replaced by those of the next index set `make index` switches INDEX_DIR to,
without a restart."""

from __future__ import annotations

from functools import lru_cache

import settings
from dialogue.components import Components, components_loader
from embeddings.reloading import ReloadingSet


@lru_cache(maxsize=1)
def shared_set() -> ReloadingSet[Components]:
    config = settings.load()
    return ReloadingSet(config.index_dir, components_loader(config), config.index_watch_interval)


def shared_components() -> Components:
    """The components over the newest index set loaded; take them once per turn."""
    return shared_set().current
