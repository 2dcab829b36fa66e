"""Rasa's Telegram channel, fixed: secret-token check, webhook set in the server's loop, no getMe per
update; an update acknowledged at once and answered once (by its update_id), in the chat's own
conversation ("telegram:<chat id>"); answers rendered from their payload; every message checked
(channels.incoming), rate-limited per chat (channels.limits), typed payloads read as text unless
offered (channels.conversations).

Configured in bot/credentials.yml as `channels.telegram.TelegramChannel` from TELEGRAM_* variables.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple, Union

from aiogram.bot.api import TelegramAPIServer
from aiogram.types import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from aiogram.utils.exceptions import TelegramAPIError
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

import settings
from channels.conversations import TELEGRAM, as_offered, conversation_id, external_id
from channels.incoming import prepare
from channels.limits import shared_limits, slow_down_reply
from channels.telegram_format import PARSE_MODE, answer_messages, telegram_messages

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# What Telegram accepts as a secret token.
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")
_CALLBACK_DATA_LIMIT = 64  # bytes
_FEEDBACK_PAYLOAD = "/feedback{"  # 👍 / 👎 (actions/buttons.py)
_REQUEST_TIMEOUT_S = 15
# Telegram's "Start" button sends /start; the domain greets on /greet.
_COMMANDS = {"/start": "/greet"}
_REMEMBERED_UPDATES = 10_000  # update ids kept to answer a resent update once


class TelegramReplies(TelegramOutput):
    """Sends the bot's messages as HTML, each under Telegram's length limit, buttons as a keyboard,
    and an answer from its payload alone (its plain text is for other clients)."""

    def __init__(self, access_token: Text, api_base_url: Text) -> None:
        # The HTTP session is opened lazily, in the server's event loop, on the first request.
        super(TelegramOutput, self).__init__(
            access_token, server=TelegramAPIServer.from_base(api_base_url), timeout=_REQUEST_TIMEOUT_S
        )

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        recipient_id = external_id(recipient_id)  # the chat of the conversation
        answer = (message.get("custom") or {}).get("answer")
        if not isinstance(answer, dict):
            await super().send_response(recipient_id, message)
            return
        for part in answer_messages(answer):
            await self.send_message(recipient_id, part, parse_mode=PARSE_MODE, disable_web_page_preview=True)

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        for part in telegram_messages(text):
            await self.send_message(recipient_id, part, parse_mode=PARSE_MODE, disable_web_page_preview=True)

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        *first, last = telegram_messages(text) or ["…"]
        for part in first:
            await self.send_message(recipient_id, part, parse_mode=PARSE_MODE, disable_web_page_preview=True)
        await self.send_message(
            recipient_id, last, parse_mode=PARSE_MODE, disable_web_page_preview=True, reply_markup=keyboard(buttons)
        )


def keyboard(buttons: List[Dict[Text, Any]]) -> Union[InlineKeyboardMarkup, ReplyKeyboardMarkup]:
    """One button a row, 👍 and 👎 side by side: inline buttons whose callback data is their
    payload, or, when a payload is too long for Telegram's callback data, reply buttons that send
    their title."""
    if all(len(str(button["payload"]).encode("utf-8")) <= _CALLBACK_DATA_LIMIT for button in buttons):
        inline = InlineKeyboardMarkup()
        for row in _rows(buttons):
            inline.row(*(InlineKeyboardButton(b["title"], callback_data=str(b["payload"])) for b in row))
        return inline
    reply = ReplyKeyboardMarkup(resize_keyboard=True, one_time_keyboard=True)
    for row in _rows(buttons):
        reply.row(*(KeyboardButton(b["title"]) for b in row))
    return reply


def _rows(buttons: List[Dict[Text, Any]]) -> List[List[Dict[Text, Any]]]:
    """Each button on a row of its own, except the feedback buttons, which share one."""
    rows: List[List[Dict[Text, Any]]] = []
    for button in buttons:
        if _is_feedback(button) and rows and _is_feedback(rows[-1][0]):
            rows[-1].append(button)
        else:
            rows.append([button])
    return rows


def _is_feedback(button: Dict[Text, Any]) -> bool:
    return str(button["payload"]).startswith(_FEEDBACK_PAYLOAD)


class TelegramChannel(TelegramInput):
    """`TelegramInput` that only accepts updates carrying the secret token, checks their text
    (channels.incoming), sets its webhook (with that token) once the server runs, keeps one Bot
    API session in the server's loop, and starts even when the Bot API cannot be reached."""

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()  # raises (untyped in Rasa)
        given: Dict[Text, Any] = credentials or {}
        return cls(
            access_token=given["access_token"],
            verify=str(given["verify"]).lstrip("@"),
            webhook_url=given["webhook_url"],
            secret_token=given["secret_token"],
            api_base_url=given.get("api_base_url") or settings.TELEGRAM_API,
        )

    def __init__(
        self, access_token: Text, verify: Text, webhook_url: Text, secret_token: Text, api_base_url: Text
    ) -> None:
        if not _SECRET_TOKEN.fullmatch(secret_token or ""):
            raise ValueError("TELEGRAM_SECRET_TOKEN must be 1-256 characters of A-Z, a-z, 0-9, _ and -.")
        super().__init__(access_token, verify, webhook_url, debug_mode=False)
        self.secret_token = secret_token
        self.api_base_url = api_base_url
        self._output: Optional[TelegramReplies] = None
        self._updates: "OrderedDict[int, None]" = OrderedDict()

    def get_output_channel(self) -> TelegramReplies:
        if self._output is None:
            self._output = TelegramReplies(self.access_token or "", self.api_base_url)
        return self._output

    async def set_webhook(self) -> bool:
        """Tell the Bot API where to send updates, and the secret to send with them."""
        try:
            await self.get_output_channel().request(
                "setWebhook",
                {
                    "url": self.webhook_url,
                    "secret_token": self.secret_token,
                    "allowed_updates": json.dumps(["message", "edited_message", "callback_query"]),
                },
            )
        except (TelegramAPIError, OSError, asyncio.TimeoutError) as error:
            logger.error(f"Telegram webhook not set ({error}); retry with POST /webhooks/telegram/set_webhook.")
            return False
        logger.info(f"Telegram webhook set to {self.webhook_url}.")
        return True

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        telegram_webhook = Blueprint("telegram_webhook", __name__)
        out_channel = self.get_output_channel()

        @telegram_webhook.listener("after_server_start")
        async def register_webhook(app: Sanic, _: Any) -> None:
            app.add_task(self.set_webhook())

        @telegram_webhook.listener("before_server_stop")
        async def close_session(_: Sanic, __: Any) -> None:
            await out_channel.close()

        @telegram_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @telegram_webhook.route("/set_webhook", methods=["POST"])
        async def set_webhook(request: Request) -> HTTPResponse:
            if not self._has_secret(request):
                return response.text("Forbidden", status=403)
            if await self.set_webhook():
                return response.text("Webhook set")
            return response.text("Webhook not set; see the server log", status=502)

        @telegram_webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if request.headers.get(SECRET_HEADER) is None:
                return response.text("Unauthorized", status=401)
            if not self._has_secret(request):
                return response.text("Forbidden", status=403)
            update = Update(**(request.json if isinstance(request.json, dict) else {}))
            if self._seen(update.update_id):
                return response.text("success")  # Telegram resent it: it is answered already
            # Acknowledged at once: Telegram resends an update it waits too long for.
            request.app.add_task(self._answer(update, on_new_message, getattr(request.app.ctx, "agent", None)))
            return response.text("success")

        return telegram_webhook

    def _seen(self, update_id: Optional[int]) -> bool:
        """Whether `update_id` came before (the latest _REMEMBERED_UPDATES are kept)."""
        if update_id is None:
            return False
        if update_id in self._updates:
            return True
        self._updates[update_id] = None
        while len(self._updates) > _REMEMBERED_UPDATES:
            self._updates.popitem(last=False)
        return False

    async def _answer(
        self, update: Update, on_new_message: Callable[[UserMessage], Awaitable[Any]], agent: Any
    ) -> None:
        """Answer `update` in its chat's conversation (`agent` reads what the bot offered)."""
        out_channel = self.get_output_channel()
        received = self.received(update)
        try:
            if update.callback_query is not None:
                await self._acknowledge(update.callback_query.id)
            if received is None:
                return
            chat_id, raw = received
            conversation = conversation_id(TELEGRAM, chat_id)
            wait = shared_limits().wait(conversation)
            if wait:
                await out_channel.send_text_message(chat_id, slow_down_reply(wait))
                return
            incoming = prepare(raw)
            if incoming.text is None:
                await out_channel.send_text_message(chat_id, incoming.reply)
                return
            if incoming.note:
                await out_channel.send_text_message(chat_id, incoming.note)
            command = _COMMANDS.get(incoming.text)
            text = command or await as_offered(incoming.text, conversation, agent)
            await on_new_message(UserMessage(text, out_channel, conversation, input_channel=self.name()))
        except Exception as error:  # noqa: BLE001 - an update that fails must not stop the next ones
            logger.error("Error while answering a Telegram update: %s", type(error).__name__)

    def _has_secret(self, request: Request) -> bool:
        return hmac.compare_digest(
            request.headers.get(SECRET_HEADER, "").encode("utf-8"), self.secret_token.encode("utf-8")
        )

    def received(self, update: Update) -> Optional[Tuple[str, str]]:
        """(chat id, text) of a text message, an edited one or a pressed button; else None."""
        if update.callback_query is not None and update.callback_query.message is not None:
            return str(update.callback_query.message.chat.id), update.callback_query.data or ""
        message = update.message or update.edited_message
        if message is None or message.text is None:
            return None
        return str(message.chat.id), message.text.replace(f"@{self.verify}", "")

    async def _acknowledge(self, callback_query_id: Text) -> None:
        """Stop the pressed button's spinner."""
        try:
            await self.get_output_channel().answer_callback_query(callback_query_id)
        except (TelegramAPIError, OSError, asyncio.TimeoutError) as error:
            logger.warning(f"Telegram callback query not answered: {error}")
