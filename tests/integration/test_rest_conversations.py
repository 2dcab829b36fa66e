"""Whole conversations over the REST channel with the trained model, the action server and the index."""

NIGHT_CRAMP_ARTICLE = "Kram malam otot betis"
DISCLAIMER = "bukan dokter"


def _texts(replies):
    return [reply.get("text", "") for reply in replies]


def _answered_from(replies, title=""):
    """Passages with their source (from the article `title`, any if empty), then the disclaimer."""
    texts = _texts(replies)
    sources = [text for text in texts if "Sumber: " in text]
    return bool(sources) and all(f"Sumber: {title}" in text for text in sources) and DISCLAIMER in texts[-1]


def test_greeting_says_what_the_bot_answers_and_that_it_is_not_a_doctor(bot):
    texts = _texts(bot.say("greeter", "Halo"))
    assert len(texts) == 1 and "kram betis" in texts[0] and "bukan dokter" in texts[0]


def test_the_night_cramp_question_is_answered_from_the_night_cramp_article(bot):
    replies = bot.say("id-night", "Kenapa betis saya sering kram di malam hari?")
    assert _answered_from(replies, NIGHT_CRAMP_ARTICLE), replies


def test_the_english_night_cramp_question_is_answered_from_the_same_article(bot):
    replies = bot.say("en-night", "Why do my calves cramp at night?")
    assert _answered_from(replies, NIGHT_CRAMP_ARTICLE), replies


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


def test_a_complaint_the_documents_do_not_cover_gets_no_passage_and_examples_to_ask(bot):
    replies = bot.say("hands", "Kenapa tangan saya sering kesemutan?")
    assert [reply for reply in replies if "Sumber:" in reply.get("text", "")] == []
    assert "tidak menemukan jawabannya" in replies[0]["text"] and len(replies[0]["buttons"]) == 3


def test_a_condition_the_articles_describe_is_answered(bot):
    replies = bot.say("condition", "Apa itu sindrom kompartemen?")
    assert _answered_from(replies, "Kram otot betis dan mati rasa kaki saat berlari"), replies


def test_a_yes_out_of_context_asks_for_a_question(bot):
    texts = _texts(bot.say("stray-yes", "ya"))
    assert len(texts) == 1 and "Silakan tulis pertanyaan" in texts[0]
