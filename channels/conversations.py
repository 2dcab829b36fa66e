"""Whose conversation a message belongs to: every channel keeps its conversations under its own
prefix ("rest:…", "web:…", "telegram:…"), so no caller of one channel can name a conversation of
another; and a typed payload ("/emergency") counts only when the bot offered it as a button in
the conversation's last turn; any other is read as text.
"""

from __future__ import annotations

from typing import Any, Iterable, Set, Text

from rasa.shared.core.events import BotUttered, UserUttered

REST, WEB, TELEGRAM, WHATSAPP = "rest", "web", "telegram", "whatsapp"
PAYLOAD_PREFIX = "/"  # Rasa reads such a message as an intent, without NLU


def conversation_id(channel: str, external_id: Text) -> str:
    """The conversation of `external_id` (a REST sender, a chat session, a Telegram chat) on `channel`."""
    return f"{channel}:{external_id}"


def external_id(conversation: Text) -> str:
    """The channel's own id of `conversation` (what its replies are addressed to)."""
    return conversation.split(":", 1)[1] if ":" in conversation else conversation


def offered_payloads(events: Iterable[Any]) -> Set[str]:
    """The payloads of the buttons the bot sent after the last user message of `events`."""
    offered: Set[str] = set()
    for event in events:
        if isinstance(event, UserUttered):
            offered = set()
        elif isinstance(event, BotUttered):
            offered |= {str(button.get("payload")) for button in event.data.get("buttons") or () if button}
    return offered


async def as_offered(text: str, conversation: str, agent: Any) -> str:
    """`text` as Rasa should read it in `conversation`: a payload the bot offered stays one;
    any other text that starts like a payload loses its leading slashes and is read as words."""
    if not text.startswith(PAYLOAD_PREFIX):
        return text
    tracker = await agent.tracker_store.retrieve(conversation) if agent is not None else None
    if tracker is not None and text in offered_payloads(tracker.events):
        return text
    return text.lstrip(PAYLOAD_PREFIX + " ") or "?"
