"""The chat page in headless Chromium against the real bot: welcome, an answer (passage and source,
from its payload) and the disclaimer, quick replies by keyboard, 👎 under an answer, a conversation
that survives a reload, HTML shown as text, and the widget embedded in a site of another origin,
allowed or not."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator, List

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

import settings
from channels.conversations import WEB

PHONE = {"width": 375, "height": 740}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
INJECTED = "<img src=x onerror=alert(1)>"
# README's embedding snippet.
EMBEDDING_PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Klinik contoh</title>
<link rel="stylesheet" href="{bot}/chat/chat.css"></head>
<body><h1>Klinik contoh</h1>
<div id="kram-chat" style="height: 32rem"></div>
<script src="{bot}/chat/vendor/socket.io.min.js"></script>
<script src="{bot}/chat/chat.js"></script>
</body></html>
"""
# What a hostile page would try: a WebSocket straight away, which browsers do not hold to CORS.
SOCKET_PROBE_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>probing</title></head><body>
<script src="{bot}/chat/vendor/socket.io.min.js"></script>
<script>
  const socket = io("{bot}", {{transports: ["websocket"], reconnection: false}});
  socket.on("connect", () => {{ document.title = "connected"; }});
  socket.on("connect_error", () => {{ document.title = "refused"; }});
</script>
</body></html>
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(settings.load().chromium_path), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(context, bot) -> Page:
    page = context.new_page()
    page.goto(bot.chat_page_url)
    expect(page.locator(".kc-status")).to_have_text("Terhubung")
    return page


@pytest.fixture(scope="module")
def embedding_site(bot) -> Iterator[None]:
    """Another site on the loopback embedding the widget: allowed as http://127.0.0.1:<port>,
    not as http://localhost:<port>."""
    pages = {
        "/": EMBEDDING_PAGE.format(bot=bot.base_url).encode("utf-8"),
        "/probe": SOCKET_PROBE_PAGE.format(bot=bot.base_url).encode("utf-8"),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", bot.embedding_port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield
    server.shutdown()
    server.server_close()


@pytest.fixture
def context(browser):
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    yield context
    context.close()


def _ask(page: Page, question: str) -> None:
    page.get_by_label("Pertanyaan Anda").fill(question)
    page.keyboard.press("Enter")


def _disclaimers(page: Page):
    """The disclaimers after answers (the welcome says it too, but is not counted)."""
    return page.locator(".kc-bot:not(.kc-welcome)", has_text="bukan dokter")


def _bot_texts(page: Page) -> List[str]:
    return page.locator(".kc-bot").all_inner_texts()


def test_the_page_welcomes_answers_with_source_and_disclaimer_and_continues_after_a_reload(page):
    welcome = page.locator(".kc-welcome")
    expect(welcome).to_contain_text("kram betis")
    expect(welcome).to_contain_text("kesemutan")
    expect(welcome).to_contain_text("bukan dokter")

    _ask(page, "Kenapa betis saya sering kram di malam hari?")
    expect(page.locator(".kc-typing")).to_be_visible()
    answer = page.locator(".kc-answer").first
    expect(answer.locator(".kc-source")).to_contain_text("Kram malam otot betis")
    expect(answer.locator(".kc-passage")).not_to_be_empty()
    expect(page.locator(".kc-bot").last).to_contain_text("bukan dokter")
    expect(page.locator(".kc-typing")).to_be_hidden()
    session = page.evaluate("localStorage.getItem('kramChat.session')")
    shown = page.locator(".kc-source").count()  # one per passage of the answer

    page.reload()
    expect(page.locator(".kc-status")).to_have_text("Terhubung")
    expect(page.locator(".kc-user")).to_have_text(["Kenapa betis saya sering kram di malam hari?"])
    expect(page.locator(".kc-source")).to_have_count(shown)
    assert page.evaluate("localStorage.getItem('kramChat.session')") == session

    _ask(page, "Bagaimana cara mencegahnya?")
    expect(_disclaimers(page)).to_have_count(2, timeout=30_000)  # one per answer
    expect(page.locator(".kc-bot").last).to_contain_text("bukan dokter")
    assert page.locator(".kc-source").count() >= 2
    assert not any("Keluhan apa" in text for text in _bot_texts(page))  # the topic carried over
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_quick_replies_are_buttons_that_work_from_the_keyboard(page):
    _ask(page, "Betis saya sering kram kalau habis lari")
    replies = page.locator(".kc-replies").last.locator(".kc-reply")
    expect(replies).to_have_text(["Ya, jelaskan", "Tidak, terima kasih"])
    expect(_disclaimers(page)).to_have_count(1)
    sources = page.locator(".kc-source").count()
    for _ in range(10):  # from the input field, Tab reaches the first reply
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.textContent") == "Ya, jelaskan":
            break
    page.keyboard.press("Enter")
    expect(page.locator(".kc-user").last).to_have_text("Ya, jelaskan")
    expect(_disclaimers(page)).to_have_count(2, timeout=30_000)
    assert page.locator(".kc-source").count() > sources
    expect(page.get_by_role("button", name="Ya, jelaskan")).to_have_count(0)


def test_thumbs_down_under_an_answer_is_thanked_stored_and_leads_to_a_person(page, bot):
    _ask(page, "Kenapa betis saya sering kram di malam hari?")
    expect(_disclaimers(page)).to_have_count(1)
    feedback = page.locator(".kc-feedback")
    expect(feedback).to_have_text(["👍 Membantu", "👎 Tidak membantu"])
    expect(page.locator(".kc-reply:not(.kc-feedback)").first).to_be_visible()  # a suggested question
    feedback.last.click()
    expect(page.locator(".kc-user").last).to_have_text("👎 Tidak membantu")
    expect(page.locator(".kc-bot").last).to_contain_text("Terima kasih")
    expect(page.locator(".kc-feedback")).to_have_count(0)
    session = page.evaluate("JSON.parse(localStorage.getItem('kramChat.session'))")
    [feedback_slot] = bot.slot_values(session["session_id"], "feedback", WEB)
    assert feedback_slot["value"] == "down"
    assert feedback_slot["question"] == "Kenapa betis saya sering kram di malam hari?"

    page.get_by_role("button", name="Bicara dengan tenaga kesehatan").click()
    expect(page.locator(".kc-user").last).to_have_text("Bicara dengan tenaga kesehatan")
    expect(page.locator(".kc-bot").last).to_contain_text("1500-567")


def test_html_in_messages_is_shown_as_text_and_runs_nothing(page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _ask(page, INJECTED)
    expect(page.locator(".kc-user").last).to_have_text(INJECTED)
    expect(page.locator(".kc-bot").nth(1)).to_be_visible()  # the bot's reply, after the welcome

    # Bot messages with markup (as kept in the history) are shown as text too: an answer's every
    # part, and a text, whose lines are never taken apart as a source.
    history = page.evaluate("localStorage.getItem('kramChat.history')")
    answer = {"passage": f"Teks {INJECTED}", "warning": f"Awas {INJECTED}", "source": f"Artikel {INJECTED}"}
    stored = json.loads(history) + [
        {"from": "bot", "answer": answer},
        {"from": "bot", "text": f"Teks {INJECTED}\nSumber: {INJECTED}", "replies": []},
    ]
    page.evaluate("history => localStorage.setItem('kramChat.history', history)", json.dumps(stored))
    page.reload()
    shown = page.locator(".kc-answer").last
    expect(shown.locator(".kc-passage")).to_have_text(answer["passage"])
    expect(shown.locator(".kc-warning")).to_have_text(answer["warning"])
    expect(shown.locator(".kc-source")).to_have_text(answer["source"])
    expect(page.locator(".kc-bot").last).to_have_text(f"Teks {INJECTED}\nSumber: {INJECTED}")
    expect(page.locator(".kc-bot").last.locator(".kc-source")).to_have_count(0)
    assert page.locator(".kc-log img").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == []


def test_a_site_on_an_allowed_origin_embeds_the_widget(context, bot, embedding_site):
    page = context.new_page()
    page.goto(f"http://127.0.0.1:{bot.embedding_port}/")
    expect(page.locator("#kram-chat .kc-status")).to_have_text("Terhubung")
    _ask(page, "Kenapa betis saya sering kram di malam hari?")
    expect(page.locator(".kc-answer .kc-source").first).to_contain_text("Kram malam otot betis")


def test_a_site_on_another_origin_gets_no_connection(context, bot, embedding_site):
    page = context.new_page()
    page.goto(f"http://localhost:{bot.embedding_port}/")
    expect(page.locator(".kc-welcome")).to_be_visible()
    expect(page.locator(".kc-status")).to_have_text("Terputus, mencoba lagi…")
    _ask(page, "Kenapa betis saya sering kram di malam hari?")
    page.wait_for_timeout(5000)
    expect(page.locator(".kc-bot")).to_have_count(1)  # the welcome only


@pytest.mark.parametrize("host, outcome", [("127.0.0.1", "connected"), ("localhost", "refused")])
def test_a_websocket_opens_only_from_an_allowed_origin(context, bot, embedding_site, host, outcome):
    page = context.new_page()
    page.goto(f"http://{host}:{bot.embedding_port}/probe")
    expect(page).to_have_title(outcome)
