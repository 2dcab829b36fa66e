"""Who may call the action server and what it reads: only Rasa, which sends the shared secret in
ACTION_TOKEN_HEADER; a body, compressed or once inflated, at most ACTION_MAX_REQUEST_BYTES; and a failed
action logged by its error's type and place, never with the conversation it was given.
"""

from __future__ import annotations

import hmac
import logging
import traceback
import zlib
from typing import Optional

from sanic import Sanic, response
from sanic.exceptions import SanicException
from sanic.request import Request
from sanic.response import HTTPResponse

ACTION_TOKEN_HEADER = "X-Action-Token"
OPEN_PATHS = ("/health",)

logger = logging.getLogger("actions")


def protect(app: Sanic, secret: str, max_bytes: int) -> None:
    """Make `app` (rasa_sdk's) refuse callers without `secret` and bodies that inflate past
    `max_bytes`, and answer a failed action without echoing its request."""

    @app.middleware("request")
    async def guard(request: Request) -> Optional[HTTPResponse]:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get(ACTION_TOKEN_HEADER, "")
        if not hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8")):
            return response.json({"error": "Unauthorized"}, status=401)
        if request.headers.get("Content-Encoding") == "deflate" and inflates_past(request.body, max_bytes):
            return response.json({"error": "Request too large"}, status=413)
        return None

    # rasa_sdk's own handler logs the request and sends its body (the conversation) back to Rasa.
    @app.exception(Exception)
    async def failed(request: Request, error: Exception) -> HTTPResponse:
        if isinstance(error, SanicException):  # the request's fault: too large, malformed
            return response.json({"error": type(error).__name__}, status=error.status_code)
        place = "".join(traceback.format_tb(error.__traceback__)[-3:])
        logger.error("An action failed with %s at:\n%s", type(error).__name__, place)
        return response.json({"error": "The action failed."}, status=500)


def inflates_past(body: bytes, max_bytes: int) -> bool:
    """Whether zlib-compressed `body` inflates to more than `max_bytes` (or is not zlib data)."""
    try:
        return len(zlib.decompressobj().decompress(body, max_bytes + 1)) > max_bytes
    except zlib.error:
        return True
