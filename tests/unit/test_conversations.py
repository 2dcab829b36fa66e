"""Conversations by channel and the payloads a conversation was offered: ids never cross channels,
and only the buttons of the bot's last turn count as payloads."""

import asyncio
from types import SimpleNamespace

from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from channels.conversations import REST, TELEGRAM, WEB, as_offered, conversation_id, external_id, offered_payloads
from channels.sessions import resumed, token_of

FEEDBACK = '/feedback{"value":"down"}'


def _bot(*payloads):
    return BotUttered("…", {"buttons": [{"title": p, "payload": p} for p in payloads]})


def test_each_channel_has_its_own_conversations():
    ids = {conversation_id(channel, "504") for channel in (REST, WEB, TELEGRAM)}
    assert len(ids) == 3 and {external_id(i) for i in ids} == {"504"}
    assert conversation_id(REST, "telegram:504") != conversation_id(TELEGRAM, "504")


def test_only_the_buttons_after_the_last_user_message_are_offered():
    events = [UserUttered("a"), _bot("/affirm", "/deny"), UserUttered("b"), _bot(FEEDBACK), BotUttered("done")]
    assert offered_payloads(events) == {FEEDBACK}
    assert offered_payloads(events + [UserUttered("c")]) == set()


def test_a_payload_not_offered_is_read_as_words():
    tracker = DialogueStateTracker.from_events("rest:a", [UserUttered("q"), _bot(FEEDBACK)])

    async def retrieve(_):
        return tracker

    agent = SimpleNamespace(tracker_store=SimpleNamespace(retrieve=retrieve))
    read = lambda text: asyncio.run(as_offered(text, "rest:a", agent))  # noqa: E731
    assert read(FEEDBACK) == FEEDBACK
    assert read("/emergency") == "emergency"
    assert read("/restart") == "restart"
    assert read("Kenapa kram?") == "Kenapa kram?"


def test_a_session_is_resumed_only_with_the_token_issued_for_it():
    secret = b"s" * 32
    assert resumed(secret, "abc", token_of(secret, "abc")) == "abc"
    assert resumed(secret, "abc", token_of(secret, "abd")) is None
    assert resumed(secret, "abc", token_of(b"other", "abc")) is None
    assert resumed(secret, "abc", None) is None and resumed(secret, ["abc"], "x") is None
