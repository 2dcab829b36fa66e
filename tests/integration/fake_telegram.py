"""A fake Telegram Bot API on loopback: records every call and answers like Telegram, no more;
and the updates Telegram delivers to the bot's webhook: a message, a pressed inline button.

`POST /bot<token>/<method>` with form-encoded or JSON parameters, as aiogram sends them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from dataclasses import dataclass
from typing import Any, Dict, List, Optional

from aiohttp import web


@dataclass(frozen=True)
class Call:
    token: str
    method: str
    params: Dict[str, Any]


class FakeBotApi:
    """Runs in a thread of its own, with its own event loop; `calls` lists what it received."""

    def __init__(self, port: int, username: str) -> None:
        self.port, self.username = port, username
        self.calls: List[Call] = []
        self._lock = threading.Lock()
        self._loop = asyncio.new_event_loop()
        self._runner: Optional[web.AppRunner] = None
        self._message_ids = 0

    def start(self) -> None:
        started = threading.Event()
        threading.Thread(target=self._serve, args=(started,), daemon=True).start()
        if not started.wait(timeout=30):
            raise RuntimeError("the fake Bot API did not start")

    def stop(self) -> None:
        if self._runner is not None:
            asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(timeout=30)
        self._loop.call_soon_threadsafe(self._loop.stop)

    def calls_of(self, method: str, **params: Any) -> List[Call]:
        """The calls of `method` whose parameters include `params` (compared as text)."""
        with self._lock:
            calls = list(self.calls)
        return [
            call for call in calls
            if call.method == method and all(str(call.params.get(key)) == str(value) for key, value in params.items())
        ]

    def wait_for(self, method: str, count: int = 1, timeout_s: float = 30, **params: Any) -> List[Call]:
        deadline = time.monotonic() + timeout_s
        while len(self.calls_of(method, **params)) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.calls_of(method, **params)

    def _serve(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
        started.set()
        self._loop.run_forever()

    async def _handle(self, request: web.Request) -> web.Response:
        if request.content_type == "application/json":
            params = await request.json()
        else:
            params = dict(await request.post())
        call = Call(request.match_info["token"], request.match_info["method"], params)
        with self._lock:
            self.calls.append(call)
        return web.json_response({"ok": True, "result": self._result(call)})

    def _result(self, call: Call) -> Any:
        method = call.method.lower()
        if method == "getme":
            return {
                "id": int(call.token.split(":")[0]),
                "is_bot": True,
                "first_name": "Kram",
                "username": self.username,
            }
        if method == "sendmessage":
            self._message_ids += 1
            chat_id = int(call.params["chat_id"])
            return {
                "message_id": self._message_ids,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": call.params.get("text", ""),
            }
        return True


def reply_markup(call: Call) -> Dict[str, Any]:
    markup = call.params.get("reply_markup") or "{}"
    return json.loads(markup) if isinstance(markup, str) else markup


_update_ids = itertools.count(1)


def message_update(chat_id: int, text: str) -> Dict[str, Any]:
    """The update Telegram delivers when someone in chat `chat_id` writes `text`."""
    return {
        "update_id": next(_update_ids),
        "message": {
            "message_id": next(_update_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ani"},
            "text": text,
        },
    }


def callback_query_update(chat_id: int, data: str, message_text: str = "") -> Dict[str, Any]:
    """The update Telegram delivers when someone presses the inline button with callback data
    `data` under the bot's message `message_text` (its callback query's id: cb-<chat_id>)."""
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": f"cb-{chat_id}",
            "chat_instance": "1",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Ani"},
            "data": data,
            "message": {
                "message_id": next(_update_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "text": message_text,
            },
        },
    }
