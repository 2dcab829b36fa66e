"""The socket.io channel end to end, with python-socketio's client speaking the web chat's events
(over long-polling: its WebSocket transport needs a newer aiohttp than Rasa pins): a huge message
with HTML is cut with a note and answered without markup, the conversation goes on, an answer is
one event carrying its payload, and a message with nothing to read gets a reply."""

import asyncio
import json
from typing import Any, Dict, List, Optional

import socketio

HUGE_WITH_HTML = "<b>Kenapa betis saya sering kram di malam hari?</b> " + "<script>alert(1)</script> kram betis " * 540
QUIET_S = 5  # a turn is over when the bot has said nothing for this long
REPLY_TIMEOUT_S = 90


class ChatClient:
    """One conversation over socket.io, with session persistence as the web chat uses it."""

    def __init__(self, bot, session: Optional[Dict[str, str]] = None, origin: Optional[str] = None) -> None:
        self.bot = bot
        self.session = session or {}  # a session to resume: its id and token
        self.origin = bot.base_url if origin is None else origin
        self.client = socketio.AsyncClient(reconnection=False)
        self.received: "asyncio.Queue[Dict[str, Any]]" = asyncio.Queue()
        self.client.on("bot_uttered", self.received.put)

    async def __aenter__(self) -> "ChatClient":
        confirmed = asyncio.get_running_loop().create_future()
        self.client.on("session_confirm", confirmed.set_result)
        headers = {"Origin": self.origin} if self.origin else {}
        await self.client.connect(self.bot.base_url, headers=headers, transports=["polling"])
        await self.client.emit("session_request", self.session)
        self.session = await asyncio.wait_for(confirmed, timeout=30)
        return self

    @property
    def session_id(self) -> str:
        return self.session["session_id"]

    async def __aexit__(self, *_: Any) -> None:
        await self.client.disconnect()

    async def say(self, message: str, at_least: int = 1, session_id: str = "") -> List[Dict[str, Any]]:
        """The bot's events after `message` (for this session, or the one named): `at_least` of
        them, then any more until it falls quiet."""
        await self.client.emit("user_uttered", {"message": message, "session_id": session_id or self.session_id})
        events = [await asyncio.wait_for(self.received.get(), timeout=REPLY_TIMEOUT_S) for _ in range(at_least)]
        while True:
            try:
                events.append(await asyncio.wait_for(self.received.get(), timeout=QUIET_S))
            except asyncio.TimeoutError:
                return events


def test_a_huge_message_with_html_is_cut_with_a_note_and_the_conversation_goes_on(bot):
    assert len(HUGE_WITH_HTML) >= 20_000

    async def converse():
        async with ChatClient(bot) as chat:
            huge = await chat.say(HUGE_WITH_HTML, at_least=2)  # the note, then the bot's reply
            return huge, await chat.say("Kenapa betis saya sering kram di malam hari?", at_least=2)

    huge, next_turn = asyncio.run(converse())
    assert "sangat panjang" in huge[0]["text"], huge
    assert "<" not in json.dumps(huge + next_turn, ensure_ascii=False)

    answers = [event for event in next_turn if "answer" in event]
    assert answers and answers[0]["answer"]["title"] == "Kram malam otot betis", next_turn
    for event in answers:  # one event each, carrying the payload and its plain text; no separate text event
        assert event["answer"]["source"] in event["text"]
        assert [other for other in next_turn if other is not event and other.get("text") == event["text"]] == []
    assert "bukan dokter" in next_turn[-1]["text"]


def test_a_message_with_nothing_to_read_gets_a_reply_over_socketio(bot):
    async def converse():
        async with ChatClient(bot) as chat:
            return await chat.say("🦵😣🙏"), await chat.say("<br>  ")

    emoji, markup_only = asyncio.run(converse())
    assert len(emoji) == 1 and "hanya bisa membaca teks" in emoji[0]["text"]
    assert len(markup_only) == 1 and "kosong" in markup_only[0]["text"]
