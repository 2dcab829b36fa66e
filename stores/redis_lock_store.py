"""Conversation locks in Redis that hold across Rasa replicas: each ticket is issued, expired and
returned by one atomic Redis command, where Rasa's RedisLockStore rewrites the whole lock.
"""

from __future__ import annotations

import time
from collections import deque
from typing import List, Optional, Text

import redis
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, LockStore
from rasa.utils.endpoints import EndpointConfig

KEY_PREFIX = "lock:"

# KEYS: the conversation's counter and queue; ARGV: expiry time (s), lifetime (ms). Queues the
# next ticket number with its expiry, and keeps both keys until the last ticket has expired.
_ISSUE_TICKET = """
local number = redis.call('INCR', KEYS[1])
redis.call('ZADD', KEYS[2], ARGV[1], number)
for _, key in ipairs(KEYS) do
  if redis.call('PTTL', key) < tonumber(ARGV[2]) then redis.call('PEXPIRE', key, ARGV[2]) end
end
return number
"""


class AtomicRedisLockStore(LockStore):
    """Rasa's ticket lock (first come, first served; a ticket lapses after its lifetime) kept as a
    counter and a sorted set of ticket numbers scored by expiry time. Rasa's RedisLockStore reads,
    changes and writes back one JSON value, so two replicas taking tickets at the same moment both
    get the lock and a turn of the conversation is lost. Expiry uses the replicas' clocks, as
    Rasa's does."""

    def __init__(self, endpoint_config: EndpointConfig) -> None:
        options = endpoint_config.kwargs
        self.red = redis.StrictRedis(
            host=endpoint_config.url or "localhost",
            port=int(options.get("port", 6379)),
            db=int(options.get("db", 1)),
            password=options.get("password"),
        )
        self._issue_ticket = self.red.register_script(_ISSUE_TICKET)
        super().__init__()

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        keys: List[str] = [self._key(conversation_id, "counter"), self._key(conversation_id, "tickets")]
        try:
            return int(self._issue_ticket(keys=keys, args=[time.time() + lock_lifetime, int(lock_lifetime * 1000)]))
        except redis.RedisError as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def get_lock(self, conversation_id: Text) -> Optional[TicketLock]:
        """The tickets that have not expired, in number order; None when there are none."""
        live = self.red.zrangebyscore(self._key(conversation_id, "tickets"), time.time(), "+inf", withscores=True)
        if not live:
            return None
        tickets = sorted((Ticket(int(number), expires) for number, expires in live), key=lambda ticket: ticket.number)
        return TicketLock(conversation_id, deque(tickets))

    def update_lock(self, conversation_id: Text) -> None:
        """Drop the expired tickets."""
        self.red.zremrangebyscore(self._key(conversation_id, "tickets"), "-inf", time.time())

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        """Give the ticket back. Redis deletes the queue with its last ticket; the counter expires."""
        self.red.zrem(self._key(conversation_id, "tickets"), ticket_number)

    @staticmethod
    def _key(conversation_id: Text, part: str) -> str:
        return f"{KEY_PREFIX}{conversation_id}:{part}"
