"""The action server's Retriever, loaded once per process (at start-up by `python -m actions`)."""

from __future__ import annotations

from functools import lru_cache

import settings
from embeddings.search import Retriever, load_retriever


@lru_cache(maxsize=1)
def shared_retriever() -> Retriever:
    return load_retriever(settings.load())
