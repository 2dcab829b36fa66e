"""Every channel checks a message where it enters Rasa (channels.incoming): each channel's own
handler is called with a fake `on_new_message` that records what would reach Rasa. Whatever is
sent, what reaches Rasa is within the length limit, with no tag and no control character; a
message cut gets the note first; an empty or emoji-only one gets a reply and never reaches Rasa."""

import asyncio
import itertools
import json
import re
import unicodedata
from types import SimpleNamespace
from typing import Any, Awaitable, Callable, List

from hypothesis import given, settings as hypothesis_settings, strategies as st
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint

from channels.conversations import WEB, conversation_id
from channels.incoming import EMPTY_REPLY, MAX_MESSAGE_CHARS, NO_TEXT_REPLY
from channels.rest import RestChannel
from channels.socketio import SocketIOChannel
from channels.telegram import SECRET_HEADER, TelegramChannel

TAG = re.compile(r"<[^<>]*>")
# Each message from another sender and address, so that the rate limits never answer instead.
_numbers = itertools.count(1)
TELEGRAM_SECRET = "test-secret"
MARKUP = [
    "<b>", "</b>", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&lt;i&gt;", "&#60;u&#62;",
    "<", ">", "&amp;", "<a href='" + "x" * 300 + "'>",
]
NOTHING_TO_READ = ["🦵", "😣", "🙏", " ", "\n", "\t", "\u200b", "\x00", "<br>", "&nbsp;"]
CONTROLS = ["\x00", "\x07", "\x1b[31m", "\u202e", "\ufeff", "\r\n"]
messages = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.sampled_from(MARKUP + NOTHING_TO_READ + CONTROLS),
        st.just("kram betis " * 150),
    ),
    max_size=40,
).map("".join)
nothing_to_read = st.lists(st.sampled_from(NOTHING_TO_READ), max_size=20).map("".join)


class Sent:
    """What a handler passed to Rasa, and what it answered itself."""

    def __init__(self) -> None:
        self.to_rasa: List[UserMessage] = []
        self.replies: List[str] = []

    async def on_new_message(self, message: UserMessage) -> None:
        self.to_rasa.append(message)


def _route(blueprint: Blueprint, uri: str) -> Callable[..., Awaitable[Any]]:
    """The handler of `blueprint`'s route `uri` (a blueprint keeps its routes until registered)."""
    return next(route.handler for route in blueprint._future_routes if route.uri == uri)


def _request(**fields: Any) -> SimpleNamespace:
    """What the handlers read of Sanic's request; the server's tasks are run at once."""
    tasks: List[Any] = []
    app = SimpleNamespace(ctx=SimpleNamespace(), add_task=tasks.append, tasks=tasks)
    number = next(_numbers)
    address = f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
    return SimpleNamespace(app=app, headers={}, ip=address, **fields)


def _through_rest(raw: str) -> Sent:
    sent = Sent()
    receive = _route(RestChannel().blueprint(sent.on_new_message), "/webhook")
    body = json.dumps({"sender": f"tester-{next(_numbers)}", "message": raw}).encode("utf-8")
    response = asyncio.run(receive(_request(content_type="application/json", body=body)))
    sent.replies = [message["text"] for message in json.loads(response.body)]
    return sent


def _through_socketio(raw: str) -> Sent:
    sent = Sent()
    channel = SocketIOChannel.from_credentials(
        {"cors_allowed_origins": "http://127.0.0.1:5005", "session_persistence": True}
    )
    channel.blueprint(sent.on_new_message)
    session: dict = {}

    async def emit(event: str, data: Any = None, room: str = "", **_: Any) -> None:
        if event == "session_confirm":
            session.update(data)
            return
        assert event == "bot_uttered" and room == conversation_id(WEB, session["session_id"])
        sent.replies.append(data["text"])

    async def enter_room(*_: Any, **__: Any) -> None:
        return None

    channel.sio.emit, channel.sio.enter_room = emit, enter_room
    handlers = channel.sio.handlers["/"]

    async def converse() -> None:
        await handlers["session_request"]("sid-1", {})
        await handlers["user_uttered"]("sid-1", {"message": raw, "session_id": session["session_id"]})

    asyncio.run(converse())
    return sent


def _through_telegram(raw: str) -> Sent:
    sent = Sent()
    channel = TelegramChannel("123456:test-token", "kram_bot", "https://bot.example/webhook", TELEGRAM_SECRET, "http://127.0.0.1:9")

    chat_id = next(_numbers)

    async def send_message(chat: str, text: str, **_: Any) -> None:
        assert chat == str(chat_id)
        sent.replies.append(text)

    channel.get_output_channel().send_message = send_message
    receive = _route(channel.blueprint(sent.on_new_message), "/webhook")
    update = {
        "update_id": 1,
        "message": {"message_id": 2, "date": 0, "chat": {"id": chat_id, "type": "private"}, "text": raw},
    }
    request = _request(json=update)
    request.headers[SECRET_HEADER] = TELEGRAM_SECRET

    async def deliver() -> None:
        response = await receive(request)
        assert response.status == 200
        for task in request.app.tasks:
            await task

    asyncio.run(deliver())
    return sent


CHANNELS = {"rest": _through_rest, "socketio": _through_socketio, "telegram": _through_telegram}


def _assert_guarded(sent: Sent) -> None:
    if not sent.to_rasa:
        assert sent.replies in ([EMPTY_REPLY], [NO_TEXT_REPLY])
        return
    [message] = sent.to_rasa
    text = message.text
    assert 0 < len(text) <= MAX_MESSAGE_CHARS
    assert not TAG.search(text), text
    assert not any(unicodedata.category(ch)[0] == "C" and ch not in "\n\t" for ch in text), text
    assert any(ch.isalnum() for ch in text)
    assert sent.replies == [] or (len(sent.replies) == 1 and "sangat panjang" in sent.replies[0])


@given(st.sampled_from(sorted(CHANNELS)), messages)
@hypothesis_settings(max_examples=400, deadline=None)
def test_what_reaches_rasa_from_any_channel_is_bounded_without_markup_or_control_characters(channel, raw):
    _assert_guarded(CHANNELS[channel](raw))


@given(st.sampled_from(sorted(CHANNELS)), nothing_to_read)
@hypothesis_settings(max_examples=150, deadline=None)
def test_an_empty_or_emoji_only_message_is_answered_and_never_reaches_rasa(channel, raw):
    sent = CHANNELS[channel](raw)
    assert sent.to_rasa == [] and sent.replies in ([EMPTY_REPLY], [NO_TEXT_REPLY])


def test_a_long_message_with_markup_is_cut_with_the_note_first_on_every_channel():
    raw = "<b>Kenapa betis saya sering kram di malam hari?</b> " + "<i>kram</i> betis " * 2000
    for channel, through in CHANNELS.items():
        sent = through(raw)
        [message] = sent.to_rasa
        assert message.text.startswith("Kenapa betis saya sering kram di malam hari? kram betis"), channel
        assert len(message.text) <= MAX_MESSAGE_CHARS and "<" not in message.text, channel
        assert len(sent.replies) == 1 and "sangat panjang" in sent.replies[0], channel


def test_a_socketio_message_without_a_confirmed_session_id_is_ignored():
    for data in ({"message": "kram"}, {"message": "kram", "session_id": "x" * 500}, "kram", None):
        sent = Sent()
        credentials = {"cors_allowed_origins": "http://a.example", "session_persistence": True}
        channel = SocketIOChannel.from_credentials(credentials)
        channel.blueprint(sent.on_new_message)
        asyncio.run(channel.sio.handlers["/"]["user_uttered"]("sid-1", data))
        assert sent.to_rasa == []
