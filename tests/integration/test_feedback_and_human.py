"""Feedback, suggestions and the way to a person over REST against the real bot: the payloads
any client can send, and what the conversation keeps of them in the tracker store."""

import time
import uuid

import settings
from editorial.content_report import write_report
from editorial.store import read_conversations
from editorial.tally import tally
from embeddings.index import PASSAGES_FILE
from knowledge.passages import read_passages
from tests.integration.bot_process import Bot

QUESTION = "Kenapa betis saya sering kram di malam hari?"
UP, DOWN = '/feedback{"value":"up"}', '/feedback{"value":"down"}'
NOT_FOUND = "tidak menemukan"


def _sender() -> str:
    return f"feedback-{uuid.uuid4().hex[:12]}"


def test_the_disclaimer_after_an_answer_carries_suggestions_then_thumbs_up_and_down(bot: Bot):
    replies = bot.say(_sender(), QUESTION)
    buttons = replies[-1]["buttons"]
    assert "bukan dokter" in replies[-1]["text"]
    assert [b["payload"] for b in buttons[-2:]] == [UP, DOWN]
    assert buttons[:-2] and all(b["payload"].startswith("/ask_") for b in buttons[:-2])


def test_every_suggestion_clicked_is_answered_from_the_documents(bot: Bot):
    sender = _sender()
    suggested = bot.say(sender, QUESTION)[-1]["buttons"][:-2]
    for button in suggested:
        replies = bot.say(sender, button["payload"])
        texts = " ".join(reply.get("text") or "" for reply in replies)
        assert "Sumber: " in texts and NOT_FOUND not in texts, (button, texts)
        bot.say(sender, QUESTION)  # back to the question the buttons were offered for
    [*_, last] = bot.slot_values(sender, "answered")
    assert last["status"] == "answered" and last["question"] == QUESTION


def test_thumbs_down_is_thanked_offers_a_person_and_is_stored_with_its_question_and_passages(bot: Bot):
    sender = _sender()
    bot.say(sender, QUESTION)
    [answered] = bot.slot_values(sender, "answered")
    assert answered["question"] == QUESTION and answered["status"] == "answered" and answered["passages"]

    [thanks] = bot.say(sender, DOWN)
    assert "Terima kasih" in thanks["text"]
    assert thanks["buttons"] == [{"title": "Bicara dengan tenaga kesehatan", "payload": "/ask_human"}]
    assert bot.slot_values(sender, "feedback") == [
        {"value": "down", "question": QUESTION, "passages": answered["passages"]}
    ]
    [contact] = bot.say(sender, "/ask_human")
    assert "1500-567" in contact["text"]


def test_thumbs_up_is_thanked_briefly_and_stored(bot: Bot):
    sender = _sender()
    bot.say(sender, QUESTION)
    [thanks] = bot.say(sender, UP)
    assert "Terima kasih" in thanks["text"] and "buttons" not in thanks
    [feedback] = bot.slot_values(sender, "feedback")
    assert feedback["value"] == "up" and feedback["question"] == QUESTION


def test_an_unanswered_question_is_stored_with_its_status(bot: Bot):
    sender = _sender()
    question = "Tangan saya sering kesemutan, kenapa ya?"
    bot.say(sender, question)
    assert bot.slot_values(sender, "answered") == [{"question": question, "status": "out_of_scope", "passages": []}]


def test_feedback_not_offered_is_read_as_text_and_not_stored(bot: Bot):
    sender = _sender()
    bot.say(sender, QUESTION)
    assert bot.say(sender, '/feedback{"value":"meh"}')  # a value no button offers
    bot.say(sender, QUESTION)
    bot.say(sender, DOWN)
    assert bot.say(sender, DOWN)  # offered once, under the answer: a second vote is text
    assert [vote["value"] for vote in bot.slot_values(sender, "feedback")] == ["down"]


def test_asking_for_a_person_gives_the_contact(bot: Bot):
    for message in ("saya mau bicara dengan dokter", "Bicara dengan tenaga kesehatan", "can I talk to a nurse?"):
        [contact] = bot.say(_sender(), message)
        assert "1500-567" in contact["text"] and "puskesmas" in contact["text"], message


def test_an_emergency_asking_for_a_doctor_gets_112_first(bot: Bot):
    emergency = "saya mau bicara dengan dokter, kaki kiri saya tiba-tiba dingin, pucat dan tidak bisa digerakkan"
    replies = bot.say(_sender(), emergency)
    assert "112" in replies[0]["text"] and not any("1500-567" in (reply.get("text") or "") for reply in replies)


def test_feedback_given_over_rest_is_counted_by_the_content_report(bot: Bot, tmp_path):
    sender = _sender()
    question = f"Kenapa betis saya kram waktu malam? ({uuid.uuid4().hex[:6]})"
    bot.say(sender, question)
    bot.say(sender, DOWN)
    [answered] = bot.slot_values(sender, "answered")
    config = settings.load({"TRACKER_STORE_URL": f"sqlite:///{bot.tracker_db}", "TRACKER_RETENTION_DAYS": "1"})
    passages = read_passages(config.index_dir / PASSAGES_FILE)
    counted = tally(read_conversations(config.tracker_store_url, config.tracker_retention_days), passages)
    [first] = [votes for votes in counted.passages if votes.name == answered["passages"][0]]
    assert first.shown >= 1 and first.down >= 1
    [markdown, table, _] = write_report(config, tmp_path, time.time())
    assert sender not in markdown.read_text(encoding="utf-8") + table.read_text(encoding="utf-8")
