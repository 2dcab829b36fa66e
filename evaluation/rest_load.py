"""Conversations sent to a Rasa REST channel (POST /webhooks/rest/webhook), one client after
another or many at once, timing every turn; bounded by its turn count, loopback URLs only."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import List, Sequence, Tuple
from urllib.parse import urlsplit

import aiohttp
import numpy as np

from evaluation.bench_conversations import Conversation

REQUEST_TIMEOUT_S = 120.0
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Turn:
    message: str
    latency_ms: float
    ok: bool  # HTTP 200 with a JSON list of messages
    texts: Tuple[str, ...]  # the reply's message texts
    answers: int = 0  # messages carrying an answer from the documents (a custom `answer` payload)


@dataclass(frozen=True)
class Latency:
    count: int
    p50: float
    p95: float
    p99: float
    mean: float

    @classmethod
    def of(cls, samples_ms: Sequence[float]) -> "Latency":
        values = np.asarray(samples_ms, dtype=float)
        p50, p95, p99 = np.percentile(values, [50, 95, 99])
        return cls(len(values), float(p50), float(p95), float(p99), float(values.mean()))


@dataclass(frozen=True)
class LoadRun:
    """Turns of `clients` simultaneous conversations and how long they took together."""

    clients: int
    turns: Tuple[Turn, ...]
    wall_s: float

    @property
    def errors(self) -> int:
        return sum(not turn.ok for turn in self.turns)

    @property
    def silent(self) -> int:
        """Turns answered with no message."""
        return sum(turn.ok and not turn.texts for turn in self.turns)

    @property
    def turns_per_s(self) -> float:
        return len(self.turns) / self.wall_s

    def latency(self) -> Latency:
        return Latency.of([turn.latency_ms for turn in self.turns if turn.ok])


def run_load(url: str, conversations: Sequence[Conversation], clients: int, rounds: int, tag: str) -> LoadRun:
    """Each of `clients` holds `rounds` conversations in turn, a new sender for each; client c's
    r-th conversation is conversations[(c + r·clients) mod n], so the mix is the same for any count."""
    if urlsplit(url).hostname not in LOOPBACK_HOSTS:
        raise ValueError(f"Load goes to loopback only, not {url}")
    return asyncio.run(_run(url, conversations, clients, rounds, tag))


async def _run(url: str, conversations: Sequence[Conversation], clients: int, rounds: int, tag: str) -> LoadRun:
    timeout = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=clients)) as session:

        async def client(number: int) -> List[Turn]:
            turns: List[Turn] = []
            for round_ in range(rounds):
                conversation = conversations[(number + round_ * clients) % len(conversations)]
                sender = f"{tag}-{number}-{round_}"
                for message in conversation:
                    turns.append(await _turn(session, url, sender, message))
            return turns

        began = time.perf_counter()
        results = await asyncio.gather(*(client(number) for number in range(clients)))
        wall_s = time.perf_counter() - began
    return LoadRun(clients, tuple(turn for turns in results for turn in turns), wall_s)


async def _turn(session: aiohttp.ClientSession, url: str, sender: str, message: str) -> Turn:
    began = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": message}) as response:
            body = await response.json(content_type=None) if response.status == 200 else None
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        body = None
    latency_ms = (time.perf_counter() - began) * 1000
    if not isinstance(body, list):
        return Turn(message, latency_ms, False, ())
    items = [item for item in body if isinstance(item, dict)]
    answers = sum(isinstance(item.get("custom"), dict) and "answer" in item["custom"] for item in items)
    return Turn(message, latency_ms, True, tuple(str(item.get("text", "")) for item in items), answers)
