"""The action server's Retriever: loaded once per process (at start-up by `python -m actions`),
then replaced by the next index set `make index` switches INDEX_DIR to, without a restart."""

from __future__ import annotations

from functools import lru_cache

import settings
from embeddings.reloading import ReloadingRetriever
from embeddings.search import Retriever, retriever_loader


@lru_cache(maxsize=1)
def shared_index() -> ReloadingRetriever:
    config = settings.load()
    return ReloadingRetriever(config.index_dir, retriever_loader(config), config.index_watch_interval)


def shared_retriever() -> Retriever:
    """The Retriever over the newest index set loaded; take it once per turn."""
    return shared_index().current
