"""The web chat page under Rasa's own port, at /chat, so that it shares the socket.io origin.

Configured in bot/credentials.yml as `channels.chat_page.ChatPage`; the files are in web/.
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

import settings

WEB_DIR = settings.ROOT / "web"
URL_PATH = "/chat"

# The page loads only its own files; chat.js opens the socket to its own origin.
_PAGE_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
_ASSETS: Dict[str, str] = {
    "chat.js": "text/javascript; charset=utf-8",
    "chat.css": "text/css; charset=utf-8",
    "vendor/socket.io.min.js": "text/javascript; charset=utf-8",
}


class ChatPage(InputChannel):
    """Serves web/index.html at /chat and the widget's files below it; it receives no messages."""

    @classmethod
    def name(cls) -> Text:
        return "chat_page"

    def url_prefix(self) -> Text:
        # Rasa joins this to "/webhooks/" with urljoin, which keeps an absolute path as it is.
        return URL_PATH

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        page = Blueprint("chat_page", __name__)

        @page.route("", methods=["GET"], strict_slashes=True, name="page")
        @page.route("/", methods=["GET"], strict_slashes=True, name="page_slash")
        async def index(_: Request) -> HTTPResponse:
            return await _file("index.html", "text/html; charset=utf-8", {"Content-Security-Policy": _PAGE_POLICY})

        @page.route("/<name:path>", methods=["GET"])
        async def asset(_: Request, name: str) -> HTTPResponse:
            if name not in _ASSETS:
                return response.text("Not found", status=404)
            # Embedding sites load these from their own pages.
            return await _file(name, _ASSETS[name], {"Cross-Origin-Resource-Policy": "cross-origin"})

        return page


async def _file(name: str, mime_type: str, headers: Dict[str, str]) -> HTTPResponse:
    return await response.file(
        WEB_DIR / name,
        mime_type=mime_type,
        headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff", **headers},
    )
