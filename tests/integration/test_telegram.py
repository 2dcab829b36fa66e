"""The Telegram channel against a fake Bot API: updates with the secret token are answered in
their chat (answers as HTML from their payload), others are refused and answered nowhere, and
the webhook is registered with the secret."""

import json
import re
import time
import urllib.error
import urllib.request

import pytest

from channels.conversations import TELEGRAM
from tests.integration.bot_process import TELEGRAM_SECRET, TELEGRAM_TOKEN, TELEGRAM_WEBHOOK_URL
from tests.integration.fake_telegram import callback_query_update, message_update, reply_markup


def _post(bot, path, body, secret=None):
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(f"{bot.base_url}{path}", json.dumps(body).encode("utf-8"), headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _offer_pressed(chat_id, data):
    return callback_query_update(chat_id, data, "Mau saya jelaskan cara meredakannya?")


def _texts(api, chat_id):
    return [call.params["text"] for call in api.calls_of("sendMessage", chat_id=chat_id)]


def _sent_until(api, chat_id, text, after=0, timeout_s=60):
    """The messages sent to `chat_id` after the first `after`, once one of them contains `text`
    (updates are acknowledged first and answered after)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        calls = api.calls_of("sendMessage", chat_id=chat_id)[after:]
        if any(text in call.params["text"] for call in calls):
            return calls
        time.sleep(0.1)
    pytest.fail(f"Nothing with {text!r} sent to chat {chat_id}: {_texts(api, chat_id)}")


def _source(text):
    """The source of an answer: its last line, in italics; None for another message."""
    match = re.search(r"\n<i>([^<]+)</i>$", text)
    return match and match.group(1)


def test_the_bot_started_without_the_bot_api_and_sets_its_webhook_with_the_secret_on_request(bot, telegram_api):
    assert "Telegram webhook not set" in bot.log()
    assert _post(bot, "/webhooks/telegram/set_webhook", {}, secret=TELEGRAM_SECRET) == 200
    [call] = telegram_api.calls_of("setWebhook")
    assert call.token == TELEGRAM_TOKEN
    assert call.params["url"] == TELEGRAM_WEBHOOK_URL and call.params["secret_token"] == TELEGRAM_SECRET


def test_a_question_with_the_secret_is_answered_in_its_chat_with_source_and_disclaimer(bot, telegram_api):
    assert _post(bot, "/webhooks/telegram/webhook", message_update(501, "Kenapa betis saya sering kram di malam hari?"),
                 secret=TELEGRAM_SECRET) == 200
    calls = _sent_until(telegram_api, 501, "bukan dokter")
    *answers, disclaimer = [call.params["text"] for call in calls]
    assert answers and all(_source(answer) for answer in answers), answers  # no plain text sent besides
    assert "Kram malam otot betis" in _source(answers[0])
    assert "bukan dokter" in disclaimer
    assert all(call.params["parse_mode"] == "HTML" and len(call.params["text"]) <= 4096 for call in calls)
    assert telegram_api.calls_of("getMe") == []


@pytest.mark.parametrize("secret, status, chat_id", [(None, 401, 601), ("wrong-secret", 403, 602), ("", 403, 603)])
def test_an_update_without_the_right_secret_is_refused_and_answered_nowhere(bot, telegram_api, secret, status, chat_id):
    assert _post(bot, "/webhooks/telegram/webhook", message_update(chat_id, "Halo"), secret=secret) == status
    time.sleep(2)
    assert _texts(telegram_api, chat_id) == []


def test_buttons_come_as_an_inline_keyboard_and_a_pressed_button_is_answered(bot, telegram_api):
    assert _post(bot, "/webhooks/telegram/webhook", message_update(502, "Betis saya sering kram kalau habis lari"),
                 secret=TELEGRAM_SECRET) == 200
    offer = _sent_until(telegram_api, 502, "Mau saya jelaskan")[-1]
    keyboard = reply_markup(offer)["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == ["/affirm", "/deny"]
    before = len(_texts(telegram_api, 502))
    assert _post(bot, "/webhooks/telegram/webhook", _offer_pressed(502, "/affirm"), secret=TELEGRAM_SECRET) == 200
    tips = [call.params["text"] for call in _sent_until(telegram_api, 502, "bukan dokter", after=before)]
    assert any(_source(text) for text in tips) and "bukan dokter" in tips[-1]
    assert telegram_api.calls_of("answerCallbackQuery", callback_query_id="cb-502")


def test_start_greets_in_indonesian(bot, telegram_api):
    assert _post(bot, "/webhooks/telegram/webhook", message_update(503, "/start"), secret=TELEGRAM_SECRET) == 200
    [greeting] = telegram_api.wait_for("sendMessage", chat_id=503)
    assert "kram betis" in greeting.params["text"] and "bukan dokter" in greeting.params["text"]


def test_thumbs_down_pressed_under_an_answer_is_thanked_recorded_and_offers_a_person(bot, telegram_api):
    question = "Kenapa betis saya sering kram di malam hari?"
    assert _post(bot, "/webhooks/telegram/webhook", message_update(504, question), secret=TELEGRAM_SECRET) == 200
    disclaimer = _sent_until(telegram_api, 504, "bukan dokter")[-1]
    rows = [[(b["text"], b["callback_data"]) for b in row] for row in reply_markup(disclaimer)["inline_keyboard"]]
    assert rows[-1] == [("👍 Membantu", '/feedback{"value":"up"}'), ("👎 Tidak membantu", '/feedback{"value":"down"}')]
    assert all(len(row) == 1 and data.startswith("/ask_") for row in rows[:-1] for _, data in row)

    before = len(_texts(telegram_api, 504))
    press = callback_query_update(504, rows[-1][1][1], disclaimer.params["text"])
    assert _post(bot, "/webhooks/telegram/webhook", press, secret=TELEGRAM_SECRET) == 200
    assert telegram_api.wait_for("answerCallbackQuery", callback_query_id="cb-504")
    [thanks] = _sent_until(telegram_api, 504, "Terima kasih", after=before)
    assert "Terima kasih" in thanks.params["text"]
    assert reply_markup(thanks)["inline_keyboard"] == [
        [{"text": "Bicara dengan tenaga kesehatan", "callback_data": "/ask_human"}]
    ]
    feedback_slots = bot.slot_values("504", "feedback", TELEGRAM)
    for _ in range(50):  # the conversation is stored just after its replies are sent
        if feedback_slots:
            break
        time.sleep(0.1)
        feedback_slots = bot.slot_values("504", "feedback", TELEGRAM)
    [feedback] = feedback_slots
    assert feedback["value"] == "down" and feedback["question"] == question and feedback["passages"]

    press = callback_query_update(504, "/ask_human", thanks.params["text"])
    assert _post(bot, "/webhooks/telegram/webhook", press, secret=TELEGRAM_SECRET) == 200
    assert _sent_until(telegram_api, 504, "1500-567", after=before + 1)
