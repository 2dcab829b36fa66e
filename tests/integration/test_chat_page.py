"""The chat page in headless Chromium against the real bot: welcome, an answer with its source
and the disclaimer, quick replies by keyboard, a conversation that survives a reload, and HTML
shown as text."""

import json
from typing import Iterator, List

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

import settings

PHONE = {"width": 375, "height": 740}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
INJECTED = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(settings.load().chromium_path), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, bot) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    page.goto(bot.chat_page_url)
    expect(page.locator(".kc-status")).to_have_text("Terhubung")
    yield page
    context.close()


def _ask(page: Page, question: str) -> None:
    page.get_by_label("Pertanyaan Anda").fill(question)
    page.keyboard.press("Enter")


def _bot_texts(page: Page) -> List[str]:
    return page.locator(".kc-bot").all_inner_texts()


def test_the_page_welcomes_answers_with_source_and_disclaimer_and_continues_after_a_reload(page):
    welcome = page.locator(".kc-welcome")
    expect(welcome).to_contain_text("kram betis")
    expect(welcome).to_contain_text("kesemutan")
    expect(welcome).to_contain_text("bukan dokter")

    _ask(page, "Kenapa betis saya sering kram di malam hari?")
    expect(page.locator(".kc-typing")).to_be_visible()
    expect(page.locator(".kc-source").first).to_contain_text("Sumber: Kram malam otot betis")
    expect(page.locator(".kc-bot").last).to_contain_text("bukan dokter")
    expect(page.locator(".kc-typing")).to_be_hidden()
    session = page.evaluate("localStorage.getItem('kramChat.session')")

    page.reload()
    expect(page.locator(".kc-status")).to_have_text("Terhubung")
    expect(page.locator(".kc-user")).to_have_text(["Kenapa betis saya sering kram di malam hari?"])
    expect(page.locator(".kc-source")).to_have_count(1)
    assert page.evaluate("localStorage.getItem('kramChat.session')") == session

    _ask(page, "Bagaimana cara mencegahnya?")
    expect(page.locator(".kc-source")).to_have_count(2, timeout=30_000)
    expect(page.locator(".kc-bot").last).to_contain_text("bukan dokter")
    assert not any("Keluhan apa" in text for text in _bot_texts(page))  # the topic carried over
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_quick_replies_are_buttons_that_work_from_the_keyboard(page):
    _ask(page, "Betis saya sering kram kalau habis lari")
    replies = page.locator(".kc-reply")
    expect(replies).to_have_text(["Ya, jelaskan", "Tidak, terima kasih"])
    sources = page.locator(".kc-source").count()
    for _ in range(10):  # from the input field, Tab reaches the first reply
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.textContent") == "Ya, jelaskan":
            break
    page.keyboard.press("Enter")
    expect(page.locator(".kc-user").last).to_have_text("Ya, jelaskan")
    expect(page.locator(".kc-source")).to_have_count(sources + 1, timeout=30_000)
    expect(replies).to_have_count(0)


def test_html_in_messages_is_shown_as_text_and_runs_nothing(page):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    _ask(page, INJECTED)
    expect(page.locator(".kc-user").last).to_have_text(INJECTED)
    expect(page.locator(".kc-bot").nth(1)).to_be_visible()  # the bot's reply, after the welcome

    # A bot message with markup (as kept in the history) is shown as text too, source line included.
    history = page.evaluate("localStorage.getItem('kramChat.history')")
    stored = json.loads(history) + [{"from": "bot", "text": f"Teks {INJECTED}\nSumber: {INJECTED}", "replies": []}]
    page.evaluate("history => localStorage.setItem('kramChat.history', history)", json.dumps(stored))
    page.reload()
    expect(page.locator(".kc-bot").last).to_have_text(f"Teks {INJECTED}Sumber: {INJECTED}")
    expect(page.locator(".kc-source").last).to_have_text(f"Sumber: {INJECTED}")
    assert page.locator(".kc-log img").count() == 0
    page.wait_for_timeout(500)
    assert dialogs == []
