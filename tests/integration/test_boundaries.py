"""Attacks on conversation boundaries, limits and internal services, against the real servers on
loopback: each was possible before and is refused now (issue: "nobody reads or writes another
person's conversation, and no single client can stall the bot")."""

from __future__ import annotations

import asyncio
import csv
import http.client
import json
import sqlite3
import threading
import time
import urllib.error
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from typing import Dict, List, Optional, Tuple

import pytest
import socketio

import settings
from actions.access import ACTION_TOKEN_HEADER
from channels.conversations import REST, TELEGRAM, conversation_id
from editorial.content_report import write_report
from tests.integration.bot_process import TELEGRAM_SECRET, Bot
from tests.integration.fake_telegram import message_update
from tests.integration.test_socketio import ChatClient

STROKE = "Ayah saya tiba-tiba wajahnya mencong, bicaranya pelo dan tangan kirinya lemas"
QUESTION = "Kenapa betis saya sering kram di malam hari?"
DEEP_METADATA = {"a": {"b": {"c": {"d": {"e": {}}}}}}


def _post(
    bot: Bot, body: bytes, headers: Optional[Dict[str, str]] = None, source: str = "127.0.0.1", path: str = ""
) -> Tuple[int, Dict[str, str], bytes]:
    """POST `body` to the REST webhook (or `path`) from the loopback address `source`."""
    connection = http.client.HTTPConnection("127.0.0.1", bot.rasa_port, timeout=60, source_address=(source, 0))
    try:
        headers = {"Content-Type": "application/json", **(headers or {})}
        connection.request("POST", path or "/webhooks/rest/webhook", body, headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _say(bot: Bot, sender: str, message: str, source: str = "127.0.0.1") -> List[Dict]:
    status, _, body = _post(bot, json.dumps({"sender": sender, "message": message}).encode(), source=source)
    assert status == 200, body
    return json.loads(body)


def _texts(replies: List[Dict]) -> str:
    return " ".join(json.dumps(reply, ensure_ascii=False) for reply in replies)


def _events(bot: Bot, conversation: str) -> List[Tuple[str, Dict]]:
    assert bot.tracker_db is not None
    with closing(sqlite3.connect(bot.tracker_db)) as db:
        rows = db.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (conversation,)
        ).fetchall()
    return [(kind, json.loads(data)) for kind, data in rows]


def test_a_rest_caller_cannot_reach_a_telegram_conversation(bot, telegram_api):
    secret = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    update = json.dumps(message_update(701, STROKE)).encode()
    assert _post(bot, update, secret, path="/webhooks/telegram/webhook")[0] == 200
    telegram_api.wait_for("sendMessage", chat_id=701)
    before = _events(bot, conversation_id(TELEGRAM, 701))
    assert any(kind == "user" for kind, _ in before)
    for sender in ("701", "telegram:701"):
        for message in ("/emergency", "Tadi saya tanya apa?", "/restart"):
            _say(bot, sender, message)
    assert _events(bot, conversation_id(TELEGRAM, 701)) == before


def test_typed_intents_are_read_as_words(bot):
    sender = "typed-payloads"
    _say(bot, sender, QUESTION)
    _say(bot, sender, "/restart")
    _say(bot, sender, '/feedback{"value":"down"}')
    events = _events(bot, conversation_id(REST, sender))
    assert not [kind for kind, _ in events if kind == "restart"]
    user_intents = [data["parse_data"]["intent"]["name"] for kind, data in events if kind == "user"]
    assert "restart" not in user_intents[1:] and "feedback" not in user_intents[1:]
    assert not [data for kind, data in events if kind == "slot" and data.get("name") == "feedback"]


def test_a_second_socketio_client_cannot_join_or_write_to_a_session(bot):
    async def attack():
        async with ChatClient(bot) as victim:
            stolen = {"session_id": victim.session_id, "token": "0" * 64}
            async with ChatClient(bot, session=stolen) as attacker:
                assert attacker.session_id != victim.session_id  # a session it was not issued is not resumed
                injected = asyncio.ensure_future(attacker.say("/emergency", session_id=victim.session_id))
                victim_heard = await victim.say(QUESTION, at_least=2)
                attacker_heard: List[Dict] = []
                try:
                    attacker_heard = await asyncio.wait_for(injected, timeout=10)
                except asyncio.TimeoutError:
                    pass
            async with ChatClient(bot, session=victim.session) as resumed:
                assert resumed.session_id == victim.session_id  # the holder of the token resumes it
            return victim_heard, attacker_heard

    victim_heard, attacker_heard = asyncio.run(attack())
    assert attacker_heard == [] and "112" not in _texts(victim_heard)
    assert "Sumber" in _texts(victim_heard)


def test_a_socketio_client_without_an_origin_is_refused(bot):
    async def connect():
        client = socketio.AsyncClient(reconnection=False)
        try:
            await client.connect(bot.base_url, transports=["polling"], wait_timeout=10)
        finally:
            await client.disconnect()

    with pytest.raises(socketio.exceptions.ConnectionError):
        asyncio.run(connect())


def _health_latency_while(send, bot: Bot) -> Tuple[float, object]:
    """The slowest health check while `send()` runs in another thread, and what it returned."""
    result: Dict[str, object] = {}
    thread = threading.Thread(target=lambda: result.setdefault("value", _safely(send)))
    thread.start()
    slowest = 0.0
    while thread.is_alive():
        started = time.perf_counter()
        with urllib.request.urlopen(f"{bot.base_url}/webhooks/rest/", timeout=10) as response:
            assert response.status == 200
        slowest = max(slowest, time.perf_counter() - started)
    thread.join()
    return slowest, result.get("value")


def _safely(send):
    try:
        return send()
    except (ConnectionError, http.client.HTTPException) as error:  # the server may close the socket early
        return error


def test_a_huge_body_is_refused_before_it_is_read_and_the_server_stays_responsive(bot):
    huge = json.dumps({"sender": "huge", "message": "kram betis " * 2_000_000}).encode()
    assert len(huge) >= 20_000_000
    slowest, result = _health_latency_while(lambda: _post(bot, huge), bot)
    assert isinstance(result, Exception) or result[0] == 413, result
    assert slowest < 0.1, slowest


@pytest.mark.parametrize(
    "body, status",
    [
        (b'{"sender": "deep", "message": ' + b"[" * 20_000 + b"]" * 20_000 + b"}", 400),
        (json.dumps({"sender": "meta", "message": "kram", "metadata": {"x": "y" * 10_000}}).encode(), 400),
        (json.dumps({"sender": "meta", "message": "kram", "metadata": DEEP_METADATA}).encode(), 400),
        (b'{"sender": "broken", "message": ', 400),
    ],
)
def test_nested_oversized_and_broken_bodies_get_a_clear_400(bot, body, status):
    got, _, reply = _post(bot, body)
    assert got == status and "error" in json.loads(reply)


def test_a_flood_from_one_address_is_limited_and_other_clients_are_served(bot):
    def body(number: int) -> bytes:  # a new question each time, as a flood that costs the bot most
        return json.dumps({"sender": f"flood-{number}", "message": f"{QUESTION} ({number})"}).encode()

    with ThreadPoolExecutor(100) as pool:  # 100 requests at once
        results = list(pool.map(lambda number: _post(bot, body(number), source="127.0.0.3"), range(100)))
    limited = [headers for status, headers, _ in results if status == 429]
    assert limited and all(int(headers["Retry-After"]) >= 1 for headers in limited)
    assert all(status in (200, 429) for status, _, _ in results)
    assert _say(bot, "another-client", QUESTION, source="127.0.0.4")


def test_a_conversation_that_sends_too_fast_is_limited(bot):
    burst = settings.load().rate_conversation[1]
    body = json.dumps({"sender": "fast", "message": "halo"}).encode()
    with ThreadPoolExecutor(burst + 10) as pool:
        statuses = list(pool.map(lambda _: _post(bot, body, source="127.0.0.5")[0], range(burst + 10)))
    assert burst <= statuses.count(200) < burst + 10 and set(statuses) == {200, 429}


def _call_action_server(bot: Bot, body: bytes, headers: Dict[str, str]) -> Tuple[int, bytes]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{bot.action_port}/webhook", body, {"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_action_server_refuses_callers_without_the_secret_and_decompression_bombs(bot):
    secret = settings.load().action_server_secret
    call = json.dumps({"next_action": "action_answer_question", "tracker": {}, "domain": {}}).encode()
    assert _call_action_server(bot, call, {})[0] == 401
    assert _call_action_server(bot, call, {ACTION_TOKEN_HEADER: "wrong"})[0] == 401
    config = settings.load()
    packer, chunk = zlib.compressobj(9), b" " * 2**20
    bomb = b"".join(packer.compress(chunk) for _ in range(12 * config.action_max_request_bytes // len(chunk)))
    bomb += packer.flush()  # small enough to be read, twelve times the cap once inflated
    assert len(bomb) < config.action_max_request_bytes
    assert _call_action_server(bot, bomb, {ACTION_TOKEN_HEADER: secret, "Content-Encoding": "deflate"})[0] == 413


def test_a_failing_action_logs_no_conversation_text(bot):
    secret = settings.load().action_server_secret
    private = "RAHASIA-pasien-0812"
    call = {
        "next_action": "action_answer_question",
        "sender_id": "x",
        "tracker": {"sender_id": "x", "slots": {}, "events": [], "latest_message": {"text": private, "entities": 5}},
        "domain": {},
        "version": "3.6.2",
    }
    status, reply = _call_action_server(bot, json.dumps(call).encode(), {ACTION_TOKEN_HEADER: secret})
    assert status == 500 and private.encode() not in reply
    time.sleep(1)
    assert "An action failed" in bot.log() and private not in bot.log()


def test_a_question_that_looks_like_a_formula_is_text_in_the_content_report(bot, tmp_path):
    formula = '=HYPERLINK("http://evil.example","klik")'
    _say(bot, "formula", formula)
    config = settings.load({"TRACKER_STORE_URL": f"sqlite:///{bot.tracker_db}", "TRACKER_RETENTION_DAYS": "1"})
    _, table, _ = write_report(config, tmp_path, time.time())
    cells = [cell for row in csv.reader(table.read_text(encoding="utf-8").splitlines()) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert all(cell.startswith("'=") for cell in cells if "HYPERLINK" in cell), cells


def test_a_telegram_update_sent_twice_is_answered_once(bot, telegram_api):
    update = json.dumps(message_update(702, QUESTION)).encode()
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    for _ in range(2):
        assert _post(bot, update, headers, path="/webhooks/telegram/webhook")[0] == 200
    sent = telegram_api.wait_for("sendMessage", count=99, timeout_s=15, chat_id=702)
    assert sum("bukan dokter" in call.params["text"] for call in sent) == 1
