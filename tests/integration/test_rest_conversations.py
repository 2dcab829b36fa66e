"""Whole conversations over the REST channel with the trained model, the action server and the index.

The questions here are not NLU training examples (a unit test keeps evaluation questions out of it).
"""

import re

import pytest

NIGHT_CRAMP_ARTICLE = "Kram malam otot betis"
DISCLAIMER = "bukan dokter"
# Words with which the articles give causes, and prevention.
CAUSE_WORDS = ("penyebab", "menyebabkan", "disebabkan", "memicu", "dipicu", "alasan", "faktor", "karena", "akibat")
PREVENTION_WORDS = (
    "cegah",
    "pencegahan",
    "hindari",
    "menghindari",
    "agar tidak",
    "tidak berulang",
    "mengurangi frekuensi",
)


def _texts(replies):
    return [reply.get("text", "") for reply in replies]


def _answered_from(replies, title=""):
    """Passages with their source (from the article `title`, any if empty), then the disclaimer
    (a described complaint may get the offer of relief tips after it)."""
    texts = _texts(replies)
    sourced = [i for i, text in enumerate(texts) if "Sumber: " in text]
    after = texts[sourced[-1] + 1 :] if sourced else []
    from_title = all(f"Sumber: {title}" in texts[i] for i in sourced)
    return bool(sourced) and from_title and any(DISCLAIMER in text for text in after)


def test_greeting_says_what_the_bot_answers_and_that_it_is_not_a_doctor(bot):
    texts = _texts(bot.say("greeter", "Halo"))
    assert len(texts) == 1 and "kram betis" in texts[0] and "bukan dokter" in texts[0]


def test_an_answer_comes_as_its_plain_text_then_its_payload(bot):
    replies = bot.say("structured", "Kenapa betis saya sering kram di malam hari?")
    pairs = [(replies[i - 1], reply["custom"]["answer"]) for i, reply in enumerate(replies) if "custom" in reply]
    assert pairs, replies
    for plain, answer in pairs:
        assert answer["title"] == NIGHT_CRAMP_ARTICLE and answer["title"] in answer["source"]
        parts = (answer["passage"], answer["warning"], answer["source"])
        assert plain["text"] == "\n".join(part for part in parts if part)


def _passages(replies):
    return [text.lower() for text in _texts(replies) if "Sumber: " in text]


@pytest.mark.parametrize(
    "sender, question, follow_up",
    [
        ("id-night", "Kenapa betis saya sering kram di malam hari?", "Bagaimana cara mencegahnya?"),
        ("en-night", "Why do my calves cramp at night?", "And how can I prevent it?"),
    ],
)
def test_the_night_cramp_question_shows_causes_and_its_follow_up_prevention(bot, sender, question, follow_up):
    causes = bot.say(sender, question)
    assert _answered_from(causes, NIGHT_CRAMP_ARTICLE), causes
    assert any(word in _passages(causes)[0] for word in CAUSE_WORDS), causes
    prevention = bot.say(sender, follow_up)
    assert _answered_from(prevention, NIGHT_CRAMP_ARTICLE), prevention
    assert any(word in _passages(prevention)[0] for word in PREVENTION_WORDS), prevention


def test_a_condition_outside_the_vocabulary_is_searched_and_answered(bot):
    replies = bot.say("impingement", "Apa itu sindrom pelampiasan pergelangan kaki?")
    assert _answered_from(replies), replies
    assert "pelampiasan" in _passages(replies)[0]


def test_a_near_miss_about_another_body_part_gets_no_passage(bot):
    replies = bot.say("period", "kram perut pas haid obatnya apa ya")
    assert _passages(replies) == [] and all("112" not in text for text in _texts(replies))


def test_an_out_of_scope_question_gets_an_honest_refusal_and_no_passage(bot):
    texts = _texts(bot.say("cook", "Bagaimana cara membuat nasi goreng?"))
    assert texts and all("Sumber:" not in text for text in texts)
    assert "di luar yang bisa saya jawab" in texts[0]


def test_thanks_and_goodbye_close_the_conversation(bot):
    assert _answered_from(bot.say("polite", "Kenapa kaki saya kesemutan?"))
    assert "Sama-sama" in _texts(bot.say("polite", "terima kasih"))[0]
    assert "Sampai jumpa" in _texts(bot.say("polite", "dadah"))[0]


def test_a_described_complaint_gets_an_offer_and_yes_brings_relief_tips(bot):
    replies = bot.say("offer", "Betis saya sering kram kalau habis lari")
    assert any("Sumber: " in text for text in _texts(replies))
    *answer, disclaimer, offer = replies
    assert DISCLAIMER in disclaimer["text"]
    assert "meredakannya" in offer["text"] and [b["payload"] for b in offer["buttons"]] == ["/affirm", "/deny"]
    tips = bot.say("offer", "/affirm")
    assert any("Sumber: " in text for text in _texts(tips)) and DISCLAIMER in _texts(tips)[-1]


def test_a_question_naming_no_complaint_asks_which_one_is_meant(bot):
    texts = _texts(bot.say("vague", "Bagaimana cara mencegahnya?"))
    assert len(texts) == 1 and "Keluhan apa" in texts[0]


def test_a_complaint_of_a_body_part_the_documents_do_not_cover_is_declined_with_what_they_cover(bot):
    replies = bot.say("hands", "Kenapa tangan saya sering kesemutan?")
    assert [reply for reply in replies if "Sumber:" in reply.get("text", "")] == []
    assert "di luar yang bisa saya jawab" in replies[0]["text"] and "kram betis" in replies[0]["text"]


def test_a_condition_the_articles_describe_is_answered(bot):
    replies = bot.say("condition", "Apa itu sindrom kompartemen?")
    assert _answered_from(replies, "Kram otot betis dan mati rasa kaki saat berlari"), replies


def test_a_yes_out_of_context_asks_for_a_question(bot):
    texts = _texts(bot.say("stray-yes", "ya"))
    assert len(texts) == 1 and "Silakan tulis pertanyaan" in texts[0]


def test_yang_lain_shows_a_passage_not_shown_yet(bot):
    first = bot.say("follow", "Kenapa betis saya sering kram di malam hari?")
    prevention = bot.say("follow", "Bagaimana cara mencegahnya?")
    more = bot.say("follow", "ada yang lain?")
    assert _answered_from(more), more
    shown_before = set(_texts(first) + _texts(prevention))
    assert not shown_before.intersection(text for text in _texts(more) if "Sumber: " in text)


def test_an_emergency_is_escalated_with_emergency_numbers_and_no_passage(bot):
    replies = _texts(bot.say("red-flag", "Betis kiri saya tiba-tiba bengkak, merah dan panas, sekarang sesak napas"))
    assert "112" in replies[0] and "119" in replies[0] and "IGD" in replies[0]
    assert "gumpalan darah" in replies[1] and "bukan dokter" in replies[2]
    assert all("Sumber:" not in text for text in replies)


def test_a_pregnant_woman_with_ordinary_night_cramps_is_answered_not_escalated(bot):
    replies = _texts(
        bot.say("pregnant", "Saya hamil 7 bulan dan betis sering kram di malam hari, kakinya tidak bengkak")
    )
    assert all("112" not in text for text in replies)
    assert any("Sumber: " in text for text in replies) and any(DISCLAIMER in text for text in replies)


def test_a_calm_complaint_with_a_denied_sign_gets_a_normal_answer(bot):
    replies = _texts(bot.say("calm", "Betis saya kram setelah main futsal, tidak bengkak dan tidak sesak napas"))
    assert all("112" not in text for text in replies)
    assert any("Sumber: " in text for text in replies) and any(DISCLAIMER in text for text in replies)


def test_a_dose_question_is_refused_and_names_no_dose(bot):
    texts = _texts(bot.say("dose", "Berapa mg magnesium yang harus saya minum untuk kram kaki?"))
    assert "tidak memberi dosis" in texts[0]
    assert not any(re.search(r"\b\d+\s*mg\b", text) for text in texts)


def test_health_messages_are_not_written_to_the_logs_at_info_level(bot):
    marker = "kesemutanpenandaunik"
    bot.say("privacy", f"Kaki saya kesemutan {marker}")
    assert marker not in bot.log()
