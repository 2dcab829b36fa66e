"""Rasa's socket.io channel, fixed: replies reach persistent sessions, and only allowed pages connect.

Configured in bot/credentials.yml as `channels.socketio.SocketIOChannel` with `cors_allowed_origins`.
"""

from __future__ import annotations

import re
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Sequence, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

import settings

# What our page asks for (uuid4 hex) or a comparable opaque id; anything else gets a new one.
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


class SocketIOChannel(SocketIOInput):
    """`SocketIOInput` whose server checks the Origin header against an allow-list, and which
    awaits `enter_room` (Rasa 3.6 does not, so with python-socketio >= 5.10 and
    `session_persistence: true` no reply ever reaches the browser: RasaHQ/rasa#13027)."""

    allowed_origins: Sequence[str] = ()

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = dict(credentials or {})
        allowed = credentials.pop("cors_allowed_origins", None)
        if isinstance(allowed, str):
            allowed = settings.origins(allowed)
        if not allowed:
            raise ValueError("socket.io channel: cors_allowed_origins is empty; set CHAT_ALLOWED_ORIGINS.")
        channel = super().from_credentials(credentials)
        assert isinstance(channel, SocketIOChannel)
        channel.allowed_origins = tuple(allowed)
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None
        # Rasa passes [], which makes engineio skip the Origin check altogether.
        sio.eio.cors_allowed_origins = list(self.allowed_origins)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            requested = (data or {}).get("session_id")
            session_id = requested if isinstance(requested, str) and _SESSION_ID.fullmatch(requested) else None
            session_id = session_id or uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        return socketio_webhook
