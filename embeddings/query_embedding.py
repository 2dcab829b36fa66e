"""Questions to vectors: one encoder call for all the texts of a turn that are not cached, the last
queries kept (a follow-up often repeats one), safe to share between the action server's threads.

    vectors = embedder.embed(["kenapa betis kram malam?", "bagaimana mencegahnya? betis kram malam"])
"""

from __future__ import annotations

import threading
from typing import Dict, Sequence

import numpy as np

from embeddings.encoder import Encoder


class QueryEmbedder:
    """Embeds queries with `encoder`, keeping the last `cache_size` (0: none); `calls` counts the
    encoder calls made, so that a turn can be held to one."""

    def __init__(self, encoder: Encoder, cache_size: int = 1024) -> None:
        if cache_size < 0:
            raise ValueError(f"cache_size must be ≥ 0, got {cache_size}")
        self.encoder = encoder
        self.cache_size = cache_size
        self.calls = 0
        self._cache: Dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self._ahead = threading.local()  # each thread's last embed_ahead batch, used even without a cache

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """The embeddings of `texts`, one row each, in one encoder call for those not known yet."""
        ahead: Dict[str, np.ndarray] = getattr(self._ahead, "vectors", {})
        with self._lock:
            known = {text: self._cache[text] for text in texts if text in self._cache}
        known.update({text: ahead[text] for text in texts if text in ahead})
        missing = list(dict.fromkeys(text for text in texts if text not in known))
        if missing:
            vectors = self.encoder.encode_queries(missing)
            with self._lock:
                self.calls += 1
                for row, text in enumerate(missing):
                    known[text] = vectors[row]
                    self._remember(text, vectors[row])
        return np.stack([known[text] for text in texts]) if texts else np.zeros((0, 0), dtype=np.float32)

    def embed_ahead(self, texts: Sequence[str]) -> None:
        """Embed `texts` in one call for the searches this thread makes next (also cached)."""
        self._ahead.vectors = {}
        vectors = self.embed(texts)
        self._ahead.vectors = {text: vectors[row] for row, text in enumerate(texts)}

    def _remember(self, text: str, vector: np.ndarray) -> None:
        if self.cache_size > 0:
            if len(self._cache) >= self.cache_size:
                self._cache.pop(next(iter(self._cache)))
            self._cache[text] = vector
