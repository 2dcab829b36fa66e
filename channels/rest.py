"""The REST channel (/webhooks/rest/webhook) with its input checked: a malformed request gets a
clear 4xx and no trace; a message with nothing to read gets a reply without touching the
conversation; a long one is cut, with a note (channels.incoming).
"""

from __future__ import annotations

import json
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.incoming import prepare

_SENDER = re.compile(r"^[\w.@:+-]{1,128}$")


class RestChannel(RestInput):
    """Rasa's REST channel, same URL and replies, with checked input and no streaming."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            payload, error, status = parse_request(request.content_type, request.body)
            if error:
                return response.json({"error": error}, status=status)
            sender = payload["sender"]
            incoming = prepare(payload.get("message"))
            if incoming.text is None:
                return response.json([{"recipient_id": sender, "text": incoming.reply}])
            collector = CollectingOutputChannel()
            await on_new_message(
                UserMessage(
                    incoming.text, collector, sender, input_channel=self.name(), metadata=payload.get("metadata")
                )
            )
            note = [{"recipient_id": sender, "text": incoming.note}] if incoming.note else []
            return response.json(note + collector.messages)

        return webhook


def parse_request(content_type: Optional[str], body: bytes) -> Tuple[Dict[Text, Any], str, int]:
    """The request's JSON object, or an error message and its HTTP status."""
    if (content_type or "").split(";")[0].strip().lower() != "application/json":
        return {}, "Send JSON with Content-Type: application/json.", 415
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return {}, "The body is not valid JSON.", 400
    if not isinstance(payload, dict):
        return {}, 'Send a JSON object: {"sender": "...", "message": "..."}.', 400
    sender = payload.get("sender")
    if not isinstance(sender, str) or not _SENDER.match(sender):
        return {}, "`sender` must be 1 to 128 letters, digits or . @ : + - _", 400
    if payload.get("metadata") is not None and not isinstance(payload["metadata"], dict):
        return {}, "`metadata` must be a JSON object.", 400
    return payload, "", 200
