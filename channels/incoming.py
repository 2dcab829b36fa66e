"""Incoming text from any channel made safe to process: control characters and markup removed,
length capped, and a reply of our own for messages with nothing to read.

Pure Python; every channel applies it where a message enters Rasa: REST (channels/rest.py),
socket.io (channels/socketio.py) and Telegram (channels/telegram.py).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import Optional

MAX_MESSAGE_CHARS = 1000
# What is read of a raw message before anything else is done with it: room for markup around
# MAX_MESSAGE_CHARS of text, and no more work for a bigger message than for this much.
MAX_RAW_CHARS = 16 * MAX_MESSAGE_CHARS
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")

EMPTY_REPLY = (
    "Pesan Anda kosong. Silakan tulis pertanyaan tentang kram betis, mati rasa, kesemutan, "
    "spasme, atau kedutan di kaki."
)
NO_TEXT_REPLY = (
    "Saya hanya bisa membaca teks. Silakan tulis pertanyaan Anda dengan kata-kata, misalnya "
    "\u201cKenapa betis saya sering kram di malam hari?\u201d"
)
TRUNCATED_NOTE = "Pesan Anda sangat panjang; saya hanya membaca {limit} karakter pertamanya."


@dataclass(frozen=True)
class Incoming:
    """What to do with a message: pass `text` on (with `note` shown first, if any), or, when
    `text` is None, answer with `reply` and leave the conversation untouched."""

    text: Optional[str]
    note: str = ""
    reply: str = ""


def prepare(raw: object, limit: int = MAX_MESSAGE_CHARS) -> Incoming:
    """The message `raw` (anything a client sent as the message) ready for NLU, or a reply."""
    if not isinstance(raw, str):
        return Incoming(None, reply=EMPTY_REPLY)
    cut_raw = len(raw) > MAX_RAW_CHARS
    text = _without_markup(html.unescape(raw[:MAX_RAW_CHARS]))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    text = _BLANK_LINES.sub("\n\n", _SPACES.sub(" ", unicodedata.normalize("NFC", text))).strip()
    if not text:
        return Incoming(None, reply=EMPTY_REPLY)
    if not any(ch.isalnum() for ch in text):
        return Incoming(None, reply=NO_TEXT_REPLY)
    if len(text) > limit or cut_raw:
        cut = text[:limit]
        cut = cut[: cut.rfind(" ")] if " " in cut[limit // 2 :] else cut
        return Incoming(cut.rstrip(), note=TRUNCATED_NOTE.format(limit=f"{limit:,}".replace(",", ".")))
    return Incoming(text)


def _without_markup(text: str) -> str:
    """`text` with everything from a "<" to the next ">" replaced by a space, so that no tag is
    left, nor one written with entities. Tags end by the last ">", which keeps the search linear."""
    end = text.rfind(">") + 1
    return _TAG.sub(" ", text[:end]) + text[end:]
