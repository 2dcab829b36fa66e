"""Bot messages as Telegram messages: texts HTML-escaped, answers with their source in italics,
each within 4096 characters.

Pure functions, so that the limits and the escaping are tested without Telegram.
"""

from __future__ import annotations

import html
from typing import Iterator, List, Mapping, Optional

MESSAGE_LIMIT = 4096  # Telegram's limit per message (counted after parsing; markup only adds)
PARSE_MODE = "HTML"


def telegram_html(text: str) -> str:
    """`text` with <, > and & escaped for parse mode HTML."""
    return html.escape(text, quote=False)


def answer_messages(answer: Mapping[str, Optional[str]], limit: int = MESSAGE_LIMIT) -> List[str]:
    """An `answer` payload (actions.answer_format) as HTML messages: its passage and warning
    escaped, its source in italics on the last line."""
    source = f"<i>{telegram_html(answer['source'] or '')}</i>"
    body = "\n".join(part for part in (answer["passage"], answer.get("warning")) if part)
    *first, last = telegram_messages(body, limit - len(source) - 1) or [""]
    return first + [f"{last}\n{source}".lstrip("\n")]


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
