"""Web-chat sessions that only their holder can resume: the server issues each session id (random)
with a token, an HMAC of the id under a server secret, which the page keeps and shows to resume it.

The secret is CHAT_SESSION_SECRET, or one made once and kept in build/chat-session.key (so a
restarted server, or every replica of the cluster on one machine, accepts the same tokens).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Optional

import settings

SECRET_FILE = "chat-session.key"


def session_secret(config: settings.Settings) -> bytes:
    """The secret that signs session tokens."""
    return settings.kept_secret(config.chat_session_secret, config.build_dir / SECRET_FILE).encode("utf-8")


def new_session_id() -> str:
    return secrets.token_hex(16)


def token_of(secret: bytes, session_id: str) -> str:
    return hmac.new(secret, session_id.encode("utf-8"), hashlib.sha256).hexdigest()


def resumed(secret: bytes, session_id: object, token: object) -> Optional[str]:
    """`session_id` if `token` proves it was issued here, else None."""
    if not isinstance(session_id, str) or not isinstance(token, str) or len(session_id) > 64:
        return None
    return session_id if hmac.compare_digest(token_of(secret, session_id), token) else None
