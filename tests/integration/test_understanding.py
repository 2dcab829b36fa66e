"""Understanding by meaning over REST, with the trained model, the action server and the index:
statements that build a conversation, a near miss that shares the articles' words, Javanese,
denied signs, and an emergency no rule names. The phrasings are our own, in no evaluation set."""

from typing import List

from safety.red_flags import triage

EMERGENCY_NUMBER = "112"


def _answers(replies) -> List[dict]:
    return [reply["custom"]["answer"] for reply in replies if "answer" in (reply.get("custom") or {})]


def _escalated(replies) -> bool:
    return any(EMERGENCY_NUMBER in (reply.get("text") or "") for reply in replies)


def test_statements_first_then_a_question_is_answered_with_what_they_said(bot):
    assert not _escalated(bot.say("statements", "Saya sedang hamil 34 minggu"))
    bot.say("statements", "dan hampir tiap malam saya terbangun karena betis kram")
    answers = _answers(bot.say("statements", "sebaiknya saya perbanyak makan apa?"))
    assert answers and answers[0]["title"] == "Kram malam otot betis", answers
    assert any(word in answers[0]["passage"].lower() for word in ("kalium", "magnesium", "kalsium", "makan")), answers


def test_a_near_miss_that_shares_the_articles_words_is_refused(bot):
    replies = bot.say("near-miss", "Apakah kram betis bisa menular ke anak saya?")
    assert not _answers(replies) and not _escalated(replies), replies


def test_a_javanese_question_is_answered_and_a_javanese_emergency_escalated(bot):
    answers = _answers(bot.say("javanese", "Kepiye carane supaya sikilku ora kram maneh yen turu?"))
    assert answers and answers[0]["title"] == "Kram malam otot betis", answers
    emergency = bot.say("javanese-emergency", "Tulung, raine bapak ujug-ujug mencong lan omongane pelo")
    assert _escalated(emergency) and not _answers(emergency), emergency


def test_signs_denied_in_a_list_do_not_escalate(bot):
    replies = bot.say("denied", "Saya hamil 30 minggu, tidak ada bengkak atau nyeri dada, cuma betis kram tiap malam.")
    assert not _escalated(replies) and _answers(replies), replies


def test_an_emergency_no_rule_names_is_escalated_by_its_meaning(bot):
    text = "Anak saya habis upacara lama di lapangan, sekarang ngomongnya tidak karuan dan kulitnya merah kering"
    assert not triage(text).emergency  # no rule names it: the answer turn's triage by meaning does
    replies = bot.say("meaning", text)
    assert _escalated(replies) and not _answers(replies), replies
    assert any("sengatan panas" in (reply.get("text") or "") for reply in replies), replies  # the category's sign
