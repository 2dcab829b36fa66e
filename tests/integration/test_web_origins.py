"""The socket.io endpoint opens only for pages from CHAT_ALLOWED_ORIGINS; the page's files are
served, nothing else under /chat."""

import urllib.error
import urllib.request

import pytest

HANDSHAKE = "/socket.io/?EIO=4&transport=polling"


def _get(url, headers=None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=30) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_the_bots_own_origins_may_open_the_socket(bot, host):
    origin = f"http://{host}:{bot.rasa_port}"
    status, headers = _get(bot.base_url + HANDSHAKE, {"Origin": origin})
    assert status == 200 and headers["Access-Control-Allow-Origin"] == origin


@pytest.mark.parametrize("origin", ["http://evil.example", "http://127.0.0.1:1", "null"])
def test_other_origins_are_refused(bot, origin):
    status, headers = _get(bot.base_url + HANDSHAKE, {"Origin": origin})
    assert status == 400 and "Access-Control-Allow-Origin" not in headers


def test_the_page_and_its_files_are_served_and_nothing_else(bot):
    for path in ("/chat", "/chat/", "/chat/chat.js", "/chat/chat.css", "/chat/vendor/socket.io.min.js"):
        assert _get(bot.base_url + path)[0] == 200, path
    status, headers = _get(bot.chat_page_url)
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    for path in ("/chat/index.html", "/chat/../settings.py", "/chat/%2e%2e/settings.py", "/chat/vendor/"):
        assert _get(bot.base_url + path)[0] == 404, path
