"""Rasa's socket.io channel, fixed: replies reach persistent sessions, only allowed pages connect,
and a session is its holder's alone; a message with a custom payload (an answer) is one event;
every message is checked (channels.incoming), rate-limited (channels.limits) and its typed
payloads read as text unless offered (channels.conversations).

Configured in bot/credentials.yml as `channels.socketio.SocketIOChannel` with `cors_allowed_origins`.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Sequence, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic

import settings
from channels.conversations import WEB, as_offered, conversation_id
from channels.incoming import prepare
from channels.limits import client_address, shared_limits, slow_down_reply
from channels.sessions import new_session_id, resumed, session_secret, token_of

logger = logging.getLogger(__name__)


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
    """`SocketIOInput` whose server refuses a connection without an allowed Origin header, which
    awaits `enter_room` (Rasa 3.6 does not, so with python-socketio >= 5.10 and
    `session_persistence: true` no reply ever reaches the browser: RasaHQ/rasa#13027), which issues
    session ids itself and resumes one only for a connection that shows its token, which accepts a
    message only for the session its connection holds, checks it as REST does before it reaches
    Rasa, and replies through `SocketIOReplies`."""

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
        config = settings.load()
        secret, limits = session_secret(config), shared_limits()
        # Rasa passes [], which makes engineio skip the Origin check altogether.
        sio.eio.cors_allowed_origins = list(self.allowed_origins)
        sio.eio.max_http_buffer_size = config.max_request_bytes
        held: Dict[Text, str] = {}  # connection -> the session it holds
        addresses: Dict[Text, str] = {}  # connection -> its client's address
        server: Dict[str, Sanic] = {}

        @socketio_webhook.listener("before_server_start")
        async def keep_server(app: Sanic, _: Any) -> None:
            server["app"] = app

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            # engineio checks an Origin header only when there is one. Without one, only the chat page
            # served here connects (a browser sends no Origin on a same-origin GET, but says so); a
            # script is refused. A script can claim either, which is why a session is its holder's alone.
            origin = environ.get("HTTP_ORIGIN")
            same_origin_page = origin is None and environ.get("HTTP_SEC_FETCH_SITE") == "same-origin"
            if not same_origin_page and (origin or "").rstrip("/") not in self.allowed_origins:
                return False
            request = environ.get("sanic.request")
            peer = request.ip if request is not None else ""
            addresses[sid] = client_address(peer, environ.get("HTTP_X_FORWARDED_FOR"), config.trusted_proxies)
            return True

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            held.pop(sid, None)
            addresses.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = (
                resumed(secret, data.get("session_id"), data.get("token")) if self.session_persistence else None
            ) or new_session_id()
            if sid in held:
                await sio.leave_room(sid, conversation_id(WEB, held[sid]), namespace=self.namespace)
            held[sid] = session_id
            await sio.enter_room(sid, conversation_id(WEB, session_id), namespace=self.namespace)
            confirmed = {"session_id": session_id, "token": token_of(secret, session_id)}
            await sio.emit("session_confirm", confirmed, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            data = data if isinstance(data, dict) else {}
            session_id = held.get(sid)
            if session_id is None or data.get("session_id", session_id) != session_id:
                logger.warning("A socket.io message for a session its connection does not hold was refused.")
                return
            sender_id = conversation_id(WEB, session_id)
            replies = SocketIOReplies(sio, self.bot_message_evt)
            address = addresses.get(sid, "")
            with limits.answering(address) as admitted:
                wait = limits.wait(sender_id, address) if admitted else 1.0
                if wait:
                    await replies.send_text_message(sender_id, slow_down_reply(wait))
                    return
                # Let the requests already received be counted before this one's turn keeps the loop busy.
                await asyncio.sleep(0)
                incoming = prepare(data.get("message"))
                if incoming.text is None:
                    await replies.send_text_message(sender_id, incoming.reply)
                    return
                if incoming.note:
                    await replies.send_text_message(sender_id, incoming.note)
                app = server.get("app")
                text = await as_offered(incoming.text, sender_id, getattr(app.ctx, "agent", None) if app else None)
                await on_new_message(UserMessage(text, replies, sender_id, input_channel=self.name()))

        return socketio_webhook
