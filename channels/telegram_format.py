"""Bot texts as Telegram messages: HTML-escaped, "Sumber: …" lines in italics, within 4096 characters.

Pure functions, so that the limits and the escaping are tested without Telegram.
"""

from __future__ import annotations

import html
from typing import Iterator, List

MESSAGE_LIMIT = 4096  # Telegram's limit per message (counted after parsing; markup only adds)
PARSE_MODE = "HTML"
SOURCE_PREFIX = "Sumber:"


def telegram_html(text: str) -> str:
    """`text` with <, > and & escaped for parse mode HTML, its source lines in italics."""
    return "\n".join(
        f"<i>{html.escape(line, quote=False)}</i>" if line.startswith(SOURCE_PREFIX) else html.escape(line, quote=False)
        for line in text.split("\n")
    )


def telegram_messages(text: str, limit: int = MESSAGE_LIMIT) -> List[str]:
    """`text` as HTML messages of at most `limit` characters each: cut between paragraphs, else
    lines, else words, else characters, whichever keeps the most together."""
    return [telegram_html(part.strip()) for part in _parts(text.strip(), limit) if part.strip()]


def _fits(text: str, limit: int) -> bool:
    return len(telegram_html(text)) <= limit


def _parts(text: str, limit: int) -> Iterator[str]:
    if _fits(text, limit):
        yield text
        return
    for separator in ("\n\n", "\n", " "):
        pieces = text.split(separator)
        if len(pieces) > 1:
            yield from _pack(pieces, separator, limit)
            return
    # One word longer than a message: cut it where it stops fitting.
    end = limit
    while not _fits(text[:end], limit):
        end -= 1
    yield text[:end]
    yield from _parts(text[end:], limit)


def _pack(pieces: List[str], separator: str, limit: int) -> Iterator[str]:
    """Join consecutive pieces while they fit; a piece too long alone is cut further."""
    current = ""
    for piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if _fits(candidate, limit):
            current = candidate
            continue
        if current:
            yield current
        if _fits(piece, limit):
            current = piece
        else:
            yield from _parts(piece, limit)
            current = ""
    if current.strip():
        yield current
