"""The REST channel (/webhooks/rest/webhook) with its input checked before any work: a token when
REST_TOKEN is set, a malformed, too deep or too fast request gets a clear 4xx (429 with
Retry-After) and no trace; the conversation is the caller's own ("rest:<sender>"); a message
with nothing to read gets a reply without touching it; a long one is cut, with a note
(channels.incoming); a typed payload counts only if the bot offered it (channels.conversations).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

import settings
from channels.conversations import REST, as_offered, conversation_id
from channels.incoming import prepare
from channels.limits import client_address, metadata_problem, retry_after, shared_limits, too_deep

_SENDER = re.compile(r"^[\w.@:+-]{1,128}$")


class RestChannel(RestInput):
    """Rasa's REST channel, same URL and replies, with checked input and no streaming."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)
        config = settings.load()
        limits = shared_limits()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if config.rest_token and not _has_token(request, config.rest_token):
                return response.json({"error": "Send Authorization: Bearer <REST_TOKEN>."}, status=401)
            payload, error, status = parse_request(request.content_type, request.body)
            if error:
                return response.json({"error": error}, status=status)
            sender = payload["sender"]
            conversation = conversation_id(REST, sender)
            address = client_address(request.ip, request.headers.get("X-Forwarded-For"), config.trusted_proxies)
            with limits.answering(address) as admitted:
                wait = limits.wait(conversation, address) if admitted else 1.0
                if wait:
                    headers = {"Retry-After": str(retry_after(wait))}
                    return response.json({"error": "Too many messages; wait and retry."}, status=429, headers=headers)
                # Let the requests already received be counted before this one's turn keeps the loop busy.
                await asyncio.sleep(0)
                incoming = prepare(payload.get("message"))
                if incoming.text is None:
                    return response.json([{"recipient_id": sender, "text": incoming.reply}])
                collector = CollectingOutputChannel()
                text = await as_offered(incoming.text, conversation, getattr(request.app.ctx, "agent", None))
                metadata = payload.get("metadata")
                await on_new_message(
                    UserMessage(text, collector, conversation, input_channel=self.name(), metadata=metadata)
                )
            note = [{"text": incoming.note}] if incoming.note else []
            return response.json(_addressed(note + collector.messages, sender))

        return webhook


def _has_token(request: Request, token: str) -> bool:
    given = request.headers.get("Authorization", "")
    return hmac.compare_digest(given.encode("utf-8"), f"Bearer {token}".encode("utf-8"))


def _addressed(messages: List[Dict[Text, Any]], sender: str) -> List[Dict[Text, Any]]:
    """The replies addressed to the caller's own sender id, as Rasa's REST channel answers."""
    return [{**message, "recipient_id": sender} for message in messages]


def parse_request(content_type: Optional[str], body: bytes) -> Tuple[Dict[Text, Any], str, int]:
    """The request's JSON object, or an error message and its HTTP status."""
    if (content_type or "").split(";")[0].strip().lower() != "application/json":
        return {}, "Send JSON with Content-Type: application/json.", 415
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return {}, "The body is not valid JSON.", 400
    if not isinstance(payload, dict):
        return {}, 'Send a JSON object: {"sender": "...", "message": "..."}.', 400
    if too_deep(payload):
        return {}, "The JSON is nested too deeply.", 400
    sender = payload.get("sender")
    if not isinstance(sender, str) or not _SENDER.match(sender):
        return {}, "`sender` must be 1 to 128 letters, digits or . @ : + - _", 400
    problem = metadata_problem(payload.get("metadata"))
    if problem:
        return {}, problem, 400
    return payload, "", 200
