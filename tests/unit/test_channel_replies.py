"""How each channel sends the action's answer (a message with its plain text and its `answer`
payload): one socket.io event carrying the payload, HTML built from the payload on Telegram,
and both the text and the payload over REST."""

import asyncio
from typing import Any, Dict, List, Tuple

from rasa.core.channels.channel import CollectingOutputChannel
from rasa.shared.core.events import BotUttered

from channels.socketio import SocketIOReplies
from channels.telegram import TelegramReplies

ANSWER = {
    "passage": "Regangkan <b>betis</b> sebelum tidur.",
    "title": "Kram malam otot betis",
    "section": "Pencegahan",
    "warning": None,
    "source": "Sumber: Kram malam otot betis \u2014 bagian \u201cPencegahan\u201d",
}
PLAIN = f"{ANSWER['passage']}\n{ANSWER['source']}"


def _answer_message() -> Dict[str, Any]:
    """What Rasa hands an output channel for the action's `utter_message(text=…, json_message=…)`."""
    return BotUttered(PLAIN, {"custom": {"answer": dict(ANSWER)}}).message()


class FakeSocketServer:
    def __init__(self) -> None:
        self.events: List[Tuple[str, Any, str]] = []

    async def emit(self, event: str, data: Any = None, room: str = "", **_: Any) -> None:
        self.events.append((event, data, room))


def _telegram_sent(message: Dict[str, Any]) -> List[Dict[str, Any]]:
    replies = TelegramReplies("123456:test-token", "http://127.0.0.1:9")
    sent: List[Dict[str, Any]] = []

    async def send_message(chat_id: str, text: str, **kwargs: Any) -> None:
        sent.append({"chat_id": chat_id, "text": text, **kwargs})

    replies.send_message = send_message
    asyncio.run(replies.send_response("42", message))
    return sent


def test_socketio_sends_an_answer_as_one_event_with_its_payload_and_its_text():
    server = FakeSocketServer()
    asyncio.run(SocketIOReplies(server, "bot_uttered").send_response("session-1", _answer_message()))
    assert server.events == [("bot_uttered", {"answer": ANSWER, "text": PLAIN}, "session-1")]


def test_socketio_sends_a_plain_text_as_before():
    server = FakeSocketServer()
    asyncio.run(SocketIOReplies(server, "bot_uttered").send_response("s", BotUttered("Saya bukan dokter.").message()))
    assert server.events == [("bot_uttered", {"text": "Saya bukan dokter."}, "s")]


def test_telegram_sends_an_answer_as_html_from_its_payload_and_not_its_plain_text():
    [sent] = _telegram_sent(_answer_message())
    assert sent["text"] == (
        "Regangkan &lt;b&gt;betis&lt;/b&gt; sebelum tidur.\n"
        "<i>Sumber: Kram malam otot betis \u2014 bagian \u201cPencegahan\u201d</i>"
    )
    assert sent["parse_mode"] == "HTML" and sent["chat_id"] == "42"


def test_telegram_sends_a_plain_text_escaped():
    [sent] = _telegram_sent(BotUttered("Saya <bukan> dokter.").message())
    assert sent["text"] == "Saya &lt;bukan&gt; dokter."


def test_rest_carries_an_answer_as_its_text_and_its_payload():
    collector = CollectingOutputChannel()
    asyncio.run(collector.send_response("saya", _answer_message()))
    assert collector.messages == [
        {"recipient_id": "saya", "text": PLAIN},
        {"recipient_id": "saya", "custom": {"answer": ANSWER}},
    ]
