"""What one client may send: nesting and metadata caps, token buckets that refill and forget, the
client's address behind a trusted proxy only, and the cut of a huge raw message before any work."""

import time

import pytest

from channels.incoming import MAX_MESSAGE_CHARS, prepare
from channels.limits import MAX_NESTING, RateLimits, TokenBuckets, client_address, metadata_problem, too_deep


def _nested(depth: int):
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


def test_nesting_is_measured_without_recursion_and_capped():
    assert not too_deep({"sender": "a", "metadata": {"a": [1, 2]}})
    assert not too_deep(_nested(MAX_NESTING))
    assert too_deep(_nested(MAX_NESTING + 1))
    assert too_deep(_nested(100_000))  # no RecursionError


@pytest.mark.parametrize(
    "metadata, refused",
    [(None, False), ({"page": "home"}, False), ([], True), ({"a": "x" * 5000}, True), ({"a": _nested(6)}, True)],
)
def test_metadata_must_be_a_small_flat_object(metadata, refused):
    assert bool(metadata_problem(metadata)) == refused


def test_a_bucket_allows_its_burst_then_its_rate_and_keys_are_apart():
    buckets = TokenBuckets(rate=2.0, burst=3)
    assert [buckets.take("a", now=0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert buckets.take("a", now=0.0) == pytest.approx(0.5)
    assert buckets.take("b", now=0.0) == 0.0
    assert buckets.take("a", now=0.5) == 0.0  # one token back after 1/rate seconds


def test_buckets_are_bounded_and_the_oldest_key_is_forgotten():
    buckets = TokenBuckets(rate=1.0, burst=1, max_keys=2)
    buckets.take("a", now=0.0)
    buckets.take("b", now=0.0)
    buckets.take("c", now=0.0)
    assert len(buckets._buckets) == 2 and buckets.take("a", now=0.0) == 0.0


def test_a_conversation_and_an_address_are_limited_separately():
    limits = RateLimits(TokenBuckets(1.0, 2), TokenBuckets(1.0, 3))
    now = time.monotonic()
    assert [limits.wait("c1", "10.0.0.1") for _ in range(2)] == [0.0, 0.0]
    assert limits.wait("c1", "10.0.0.1") > 0  # the conversation's burst is spent
    assert limits.wait("c2", "10.0.0.1") == 0.0  # another conversation: the address's third token
    assert limits.wait("c3", "10.0.0.1") > 0  # the address's burst is spent
    assert limits.wait("c4", "10.0.0.2") == 0.0 and time.monotonic() - now < 1


def test_the_client_address_is_read_from_x_forwarded_for_only_behind_a_trusted_proxy():
    assert client_address("203.0.113.9", "1.2.3.4", ()) == "203.0.113.9"
    assert client_address("127.0.0.1", "1.2.3.4", ()) == "127.0.0.1"
    assert client_address("127.0.0.1", "1.2.3.4", ("127.0.0.1",)) == "1.2.3.4"
    # A client's own forged entries come first; the proxy appends the address it saw.
    assert client_address("127.0.0.1", "6.6.6.6, 1.2.3.4", ("127.0.0.0/8",)) == "1.2.3.4"
    assert client_address("127.0.0.1", "garbage", ("127.0.0.1",)) == "garbage"


def test_a_huge_raw_message_is_cut_before_it_is_read():
    huge = "<b>kram</b> betis " * 1_000_000
    started = time.perf_counter()
    incoming = prepare(huge)
    assert time.perf_counter() - started < 0.5
    assert incoming.note and len(incoming.text) <= MAX_MESSAGE_CHARS


def test_one_address_has_at_most_its_share_of_messages_answered_at_once():
    limits = RateLimits(TokenBuckets(1.0, 1), TokenBuckets(1.0, 1), concurrent=2)
    with limits.answering("10.0.0.1") as first, limits.answering("10.0.0.1") as second:
        with limits.answering("10.0.0.1") as third, limits.answering("10.0.0.2") as other:
            assert (first, second, third, other) == (True, True, False, True)
    with limits.answering("10.0.0.1") as again:
        assert again and limits._answering == {"10.0.0.1": 1}
    assert limits._answering == {}
