"""Telegram keyboards for the bot's buttons: inline buttons carrying the payload (an answer's
suggestions one a row, 👍 and 👎 side by side), or reply buttons carrying the title when a payload
is longer than Telegram's 64-byte callback data."""

from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup, Update

from actions.buttons import answer_buttons
from channels.telegram import TelegramChannel, keyboard
from dialogue.suggestions import CANDIDATES, Suggestion

OFFER = [{"title": "Ya, jelaskan", "payload": "/affirm"}, {"title": "Tidak, terima kasih", "payload": "/deny"}]


def test_short_payloads_become_inline_buttons_one_a_row():
    markup = keyboard(OFFER)
    assert isinstance(markup, InlineKeyboardMarkup)
    assert [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard] == [
        [("Ya, jelaskan", "/affirm")],
        [("Tidak, terima kasih", "/deny")],
    ]


def test_a_payload_over_64_bytes_makes_reply_buttons_that_send_their_titles():
    long = {"title": "Kram betis", "payload": "Bagaimana cara meredakan kram betis yang kambuh setiap malam hari?"}
    markup = keyboard(OFFER[:1] + [long])
    assert isinstance(markup, ReplyKeyboardMarkup)
    assert [[b.text for b in row] for row in markup.keyboard] == [["Ya, jelaskan"], ["Kram betis"]]


def test_an_answers_suggestions_come_one_a_row_and_thumbs_up_and_down_share_the_last():
    buttons = answer_buttons([Suggestion(intent, title) for intent, title in CANDIDATES])
    markup = keyboard(buttons)
    assert isinstance(markup, InlineKeyboardMarkup)
    rows = [[(b.text, b.callback_data) for b in row] for row in markup.inline_keyboard]
    assert rows[:-1] == [[(title, f"/{intent}")] for intent, title in CANDIDATES]
    assert rows[-1] == [("👍 Membantu", '/feedback{"value":"up"}'), ("👎 Tidak membantu", '/feedback{"value":"down"}')]
    assert all(len(data.encode("utf-8")) <= 64 for row in rows for _, data in row)


def test_a_pressed_button_comes_back_as_its_payload_in_its_chat():
    channel = TelegramChannel("1:token", "kram_bot", "https://bot.example.test/webhook", "secret", "http://127.0.0.1:9")
    press = {
        "update_id": 1,
        "callback_query": {
            "id": "cb-1",
            "chat_instance": "1",
            "from": {"id": 77, "is_bot": False, "first_name": "Ani"},
            "data": '/feedback{"value":"down"}',
            "message": {"message_id": 5, "date": 0, "chat": {"id": 77, "type": "private"}, "text": "ℹ️ …"},
        },
    }
    assert channel.received(Update(**press)) == ("77", '/feedback{"value":"down"}')
