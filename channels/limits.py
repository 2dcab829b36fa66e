"""What one client may send, checked before any work: the nesting and metadata of a request, and
how fast it may send (token buckets per conversation and per client address, and a cap on its
messages answered at once: RATE_* settings).

Pure Python; every channel applies it (REST, socket.io, Telegram). The body size is capped by the
servers themselves (MAX_REQUEST_BYTES, scripts/serve.py).
"""

from __future__ import annotations

import ipaddress
import json
import threading
import time
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, Iterator, Optional, Sequence, Tuple

import settings

MAX_NESTING = 8  # levels of lists and objects in a request
MAX_METADATA_BYTES = 2048
MAX_KEYS = 100_000  # buckets kept per limit; the least recently used go first
_LOCK = threading.Lock()  # of every bucket: a message takes its tokens of both limits at once
SLOW_DOWN_REPLY = "Anda mengirim pesan terlalu cepat. Mohon tunggu {seconds} detik, lalu kirim lagi."


def too_deep(value: Any, limit: int = MAX_NESTING) -> bool:
    """Whether `value` (parsed JSON) nests lists and objects more than `limit` levels."""
    level: list = [value]
    for _ in range(limit + 1):
        level = [
            child
            for item in level
            if isinstance(item, (dict, list))
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return False
    return True


def metadata_problem(metadata: Any) -> str:
    """Why a message's `metadata` is refused ("" when it is fine): not an object, too deep, too big."""
    if metadata is None:
        return ""
    if not isinstance(metadata, dict):
        return "`metadata` must be a JSON object."
    if too_deep(metadata, MAX_NESTING // 2) or len(json.dumps(metadata)) > MAX_METADATA_BYTES:
        return f"`metadata` must be at most {MAX_METADATA_BYTES} bytes and {MAX_NESTING // 2} levels deep."
    return ""


class TokenBuckets:
    """One token bucket per key: `burst` tokens, refilled at `rate` a second; at most `max_keys`
    buckets, the least recently used forgotten first (a forgotten key starts full again)."""

    def __init__(self, rate: float, burst: int, max_keys: int = MAX_KEYS) -> None:
        self.rate, self.burst, self.max_keys = rate, burst, max_keys
        self._buckets: "OrderedDict[str, Tuple[float, float]]" = OrderedDict()

    def take(self, key: str, now: Optional[float] = None) -> float:
        """Take a token for `key`: 0 when there was one, else the seconds until there is."""
        return self.take_all([key], [self], now)

    @staticmethod
    def take_all(keys: Sequence[str], buckets: Sequence["TokenBuckets"], now: Optional[float] = None) -> float:
        """A token of each key from its buckets, or none at all: 0, or the longest wait for one."""
        now = time.monotonic() if now is None else now
        with _LOCK:
            levels = [bucket._level(key, now) for key, bucket in zip(keys, buckets)]
            waits = [(1 - tokens) / bucket.rate for tokens, bucket in zip(levels, buckets) if tokens < 1]
            wait = max(waits, default=0.0)
            for key, bucket, tokens in zip(keys, buckets, levels):
                bucket._keep(key, tokens - 1 if wait == 0 else tokens, now)
            return wait

    def _level(self, key: str, now: float) -> float:
        tokens, then = self._buckets.pop(key, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - then) * self.rate)

    def _keep(self, key: str, tokens: float, now: float) -> None:
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)


@dataclass
class RateLimits:
    """The limits of one server process: messages per second per conversation and per client
    address, and messages being answered at once per address (what a rate cannot bound while
    the server answers fewer a second than the rate allows)."""

    conversations: TokenBuckets
    addresses: TokenBuckets
    concurrent: int = 16
    _answering: Dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, config: settings.Settings) -> "RateLimits":
        return cls(TokenBuckets(*config.rate_conversation), TokenBuckets(*config.rate_address), config.rate_concurrent)

    def wait(self, conversation: str, address: str = "") -> float:
        """0 when a message of `conversation` from `address` ("" for none) may be answered now,
        else the seconds to wait; a refused message spends no token of either limit."""
        if not address:
            return self.conversations.take(conversation)
        return TokenBuckets.take_all([conversation, address], [self.conversations, self.addresses])

    @contextmanager
    def answering(self, address: str) -> Iterator[bool]:
        """Whether one more message from `address` may be answered while others of it are; it
        counts as being answered until the block ends."""
        with _LOCK:
            admitted = self._answering.get(address, 0) < self.concurrent
            if admitted:
                self._answering[address] = self._answering.get(address, 0) + 1
        try:
            yield admitted
        finally:
            if admitted:
                with _LOCK:
                    self._answering[address] -= 1
                    if not self._answering[address]:
                        del self._answering[address]


def slow_down_reply(wait: float) -> str:
    return SLOW_DOWN_REPLY.format(seconds=retry_after(wait))


def retry_after(wait: float) -> int:
    """`wait` as whole seconds for a Retry-After header."""
    return max(1, int(wait + 0.999))


def client_address(peer: str, forwarded_for: Optional[str], trusted: Sequence[str]) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy (TRUSTED_PROXIES),
    the nearest address in X-Forwarded-For that is not one (the ones before it can be forged)."""
    if not forwarded_for or not _is_any(peer, trusted):
        return peer
    for hop in reversed([hop.strip() for hop in forwarded_for.split(",")]):
        if hop and not _is_any(hop, trusted):
            return hop
    return peer


def _is_any(address: str, networks: Iterable[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
        return any(ip in ipaddress.ip_network(network, strict=False) for network in networks)
    except ValueError:
        return False


_shared: Optional[RateLimits] = None


def shared_limits() -> RateLimits:
    """The process's limits, shared by its channels (a client's address counts across them)."""
    global _shared
    if _shared is None:
        _shared = RateLimits.of(settings.load())
    return _shared
