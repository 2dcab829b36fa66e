"""Telegram keyboards for the bot's buttons: inline buttons carrying the payload, or reply
buttons carrying the title when a payload is longer than Telegram's 64-byte callback data."""

from aiogram.types import InlineKeyboardMarkup, ReplyKeyboardMarkup

from channels.telegram import keyboard

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
