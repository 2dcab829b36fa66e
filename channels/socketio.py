"""Rasa's socket.io channel, fixed: replies reach persistent sessions, and only allowed pages connect;
a message with a custom payload (an answer) is one event; every message is checked (channels.incoming).

Configured in bot/credentials.yml as `channels.socketio.SocketIOChannel` with `cors_allowed_origins`.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any, Awaitable, Callable, Dict, Optional, Sequence, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

import settings
from channels.incoming import prepare

logger = logging.getLogger(__name__)

# What our page asks for (uuid4 hex) or a comparable opaque id; anything else gets a new one.
_SESSION_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")


class SocketIOReplies(SocketIOOutput):
    """Rasa's socket.io output, except that a message with a custom payload is sent as one event:
    the payload's keys (an answer's `answer`) and the message's `text` for clients that only show text."""

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        custom = message.get("custom")
        if not isinstance(custom, dict):
            await super().send_response(recipient_id, message)
            return
        text = {"text": message["text"]} if message.get("text") else {}
        await self._send_message(recipient_id, {**custom, **text})


class SocketIOChannel(SocketIOInput):
    """`SocketIOInput` whose server checks the Origin header against an allow-list, which
    awaits `enter_room` (Rasa 3.6 does not, so with python-socketio >= 5.10 and
    `session_persistence: true` no reply ever reaches the browser: RasaHQ/rasa#13027), which
    checks each message as REST does before it reaches Rasa, and replies through `SocketIOReplies`."""

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

    def get_output_channel(self) -> Optional[SocketIOReplies]:
        return SocketIOReplies(self.sio, self.bot_message_evt) if self.sio is not None else None

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

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            if self.session_persistence:
                sender_id = data.get("session_id")
                if not isinstance(sender_id, str) or not _SESSION_ID.fullmatch(sender_id):
                    logger.warning("A socket.io message without a valid session_id was ignored.")
                    return
            else:
                sender_id = sid
            replies = SocketIOReplies(sio, self.bot_message_evt)
            incoming = prepare(data.get("message"))
            if incoming.text is None:
                await replies.send_text_message(sender_id, incoming.reply)
                return
            if incoming.note:
                await replies.send_text_message(sender_id, incoming.note)
            metadata = data.get(self.metadata_key)
            await on_new_message(
                UserMessage(
                    incoming.text,
                    replies,
                    sender_id,
                    input_channel=self.name(),
                    metadata=metadata if isinstance(metadata, dict) else None,
                )
            )

        return socketio_webhook
