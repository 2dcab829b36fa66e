"""Conversation locks across replicas: two processes taking turns on one conversation through a
real Redis never overlap and lose no turn."""

from __future__ import annotations

import asyncio
import multiprocessing
import subprocess
import time
from multiprocessing.synchronize import Barrier
from typing import Iterator

import pytest
import redis
from rasa.utils.endpoints import EndpointConfig

from scripts.cluster_binaries import MissingBinaries, find
from scripts.processes import free_port
from stores.redis_lock_store import AtomicRedisLockStore

REPLICAS = 2
TURNS_PER_REPLICA = 12


@pytest.fixture(scope="module")
def redis_port(tmp_path_factory) -> Iterator[int]:
    try:
        redis_server = find().redis_server
    except MissingBinaries as error:
        pytest.skip(f"Redis could not be installed (make cluster-deps): {error}")
    port = free_port()
    process = subprocess.Popen(
        [redis_server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path_factory.mktemp("redis"))],
        stdout=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(port=port)
        deadline = time.monotonic() + 30
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline and process.poll() is None, "Redis did not start"
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _replica(port: int, start: Barrier) -> None:
    """One replica: its turns arrive together with the other's, and each reads, waits and
    writes the conversation."""
    store = AtomicRedisLockStore(EndpointConfig(url="127.0.0.1", port=port, db=1))
    red = redis.Redis(port=port)

    async def turn() -> None:
        async with store.lock("shared", wait_time_in_seconds=0.02):
            inside = red.incr("inside")
            red.set("most_inside", max(inside, int(red.get("most_inside") or 0)))
            turns = int(red.get("turns") or 0)
            await asyncio.sleep(0.01)
            red.set("turns", turns + 1)
            red.decr("inside")

    async def all_turns() -> None:
        await asyncio.gather(*(turn() for _ in range(TURNS_PER_REPLICA)))

    start.wait(timeout=60)
    asyncio.run(all_turns())


def test_replicas_take_turns_on_one_conversation_without_losing_any(redis_port):
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(REPLICAS)
    replicas = [context.Process(target=_replica, args=(redis_port, start)) for _ in range(REPLICAS)]
    try:
        for replica in replicas:
            replica.start()
        for replica in replicas:
            replica.join(timeout=120)
            assert replica.exitcode == 0
    finally:
        for replica in replicas:
            if replica.is_alive():
                replica.kill()
    red = redis.Redis(port=redis_port)
    assert int(red.get("turns")) == REPLICAS * TURNS_PER_REPLICA
    assert int(red.get("most_inside")) == 1
    assert not red.exists("lock:shared:tickets")
