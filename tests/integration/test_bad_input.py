"""Bad input over REST: a clear reply or a clear 4xx, never a crash, never a broken conversation."""

import json
import urllib.error
import urllib.request

import pytest


def _post(bot, body: bytes, content_type: str = "application/json"):
    request = urllib.request.Request(bot.url, body, {"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.mark.parametrize(
    "body, content_type, status",
    [
        (b"{not json", "application/json", 400),
        (b'["a list"]', "application/json", 400),
        (b'{"message": "halo"}', "application/json", 400),
        (b'{"sender": "", "message": "halo"}', "application/json", 400),
        (b'{"sender": "x", "message": "halo"}', "text/plain", 415),
        (b"\xff\xfe", "application/json", 400),
    ],
)
def test_a_malformed_request_gets_a_clear_4xx_without_a_trace(bot, body, content_type, status):
    code, reply = _post(bot, body, content_type)
    assert code == status and set(reply) == {"error"} and "Traceback" not in reply["error"]


@pytest.mark.parametrize(
    "message, expected",
    [("", "kosong"), ("   \n\t", "kosong"), ("🦵😣🙏", "hanya bisa membaca teks"), (None, "kosong"), (42, "kosong")],
)
def test_a_message_with_nothing_to_read_gets_a_clear_reply(bot, message, expected):
    code, reply = _post(bot, json.dumps({"sender": "empty", "message": message}).encode())
    assert code == 200 and len(reply) == 1 and expected in reply[0]["text"]


def test_a_huge_message_is_cut_with_a_note_and_still_answered(bot):
    replies = bot.say("huge", "Kenapa betis saya sering kram di malam hari? " + "x" * 20000)
    assert "sangat panjang" in replies[0]["text"]
    assert len(replies) > 1


def test_html_sql_and_control_characters_do_not_break_the_conversation(bot):
    sender = "hostile"
    for text in ["<script>alert(1)</script><b>kram</b>", "'; DROP TABLE events; --", "kram\x00\x1b[31m betis"]:
        assert bot.say(sender, text)
    replies = bot.say(sender, "Kenapa betis saya sering kram di malam hari?")
    assert any("answer" in reply.get("custom", {}) for reply in replies)
