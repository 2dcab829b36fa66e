"""An answer turn with the real small index and model: statuses, the focus kept, a button's
payload read as a message with no words of its own, an emergency by meaning, one encoder call."""

from dataclasses import replace

import pytest

from dialogue.answering import answer
from dialogue.focus import Focus
from dialogue.intents import ANSWERED, EMERGENCY, NO_MORE, NO_TOPIC, NOT_UNDERSTOOD, OUT_OF_SCOPE, is_payload

RUNNING = "Kenapa kaki saya mati rasa saat berlari?"


def test_a_question_is_answered_and_its_passages_are_remembered(small_components):
    reply = answer(small_components, Focus(), "ask_cause", [], RUNNING)
    assert reply.status == ANSWERED and reply.hits
    assert reply.focus.shown == tuple(hit.passage.id for hit in reply.hits)
    assert reply.ranked[: len(reply.hits)] == reply.hits


def test_yang_lain_shows_what_was_not_shown_until_nothing_is_left(small_components):
    focus, seen = answer(small_components, Focus(), "ask_cause", [], RUNNING).focus, set()
    for _ in range(len(small_components.index.passages)):
        reply = answer(small_components, focus, "ask_more", [], "yang lain?")
        if reply.status != ANSWERED:
            break
        shown = {hit.passage.id for hit in reply.hits}
        assert not shown & (seen | set(focus.shown))
        seen |= shown
        focus = reply.focus
    assert reply.status in (NO_MORE,)


def test_nothing_to_search_for_asks_which_complaint_or_to_rephrase(small_components):
    assert answer(small_components, Focus(), "ask_prevention", [], "Bagaimana cara mencegahnya?").status == NO_TOPIC
    assert answer(small_components, Focus(), "nlu_fallback", [], "hmm sakit").status == NOT_UNDERSTOOD


def test_a_body_part_the_articles_do_not_cover_is_out_of_scope_without_searching(small_components):
    reply = answer(small_components, Focus(), "ask_cause", [], "Kenapa tangan saya sering kesemutan?")
    assert reply.status == OUT_OF_SCOPE and reply.ranked == ()


def test_nlu_out_of_scope_is_help_not_a_gate(small_components):
    answered = answer(small_components, Focus(), "out_of_scope", [], "Apa penyebab kaki mati rasa saat berlari?")
    assert answered.status == ANSWERED
    declined = answer(small_components, Focus(), "out_of_scope", [], "Bagaimana cara memasak rendang?")
    assert declined.status == OUT_OF_SCOPE and declined.hits == ()


def test_an_unanswered_turn_keeps_the_conversations_focus(small_components):
    first = answer(small_components, Focus(), "ask_cause", [], RUNNING).focus
    for text in ("Bagaimana cara memasak rendang?", "Kenapa tangan saya kesemutan?"):
        assert answer(small_components, first, "ask_cause", [], text).focus == first


def test_a_statement_about_the_topics_stays_in_the_conversation_even_without_an_answer(small_components):
    statement = answer(small_components, Focus(), "describe_symptom", [], "Saya diabetes")
    assert ("condition", "diabetes") in statement.focus.terms
    later = answer(small_components, statement.focus, "ask_cause", [], "kaki saya kesemutan tiap lari, kenapa?")
    assert ("condition", "diabetes") in later.focus.terms


def test_a_follow_up_is_answered_about_the_previous_topic(small_components):
    first = answer(small_components, Focus(), "ask_cause", [], RUNNING)
    follow = answer(small_components, first.focus, "ask_treatment", [], "Bagaimana cara mengatasinya?")
    assert follow.status == ANSWERED and "mati rasa" in follow.focus.query and "berlari" in follow.focus.query


@pytest.mark.parametrize(
    "text, payload",
    [
        ("/ask_prevention", True),
        ('/feedback{"value":"down"}', True),
        (" /affirm ", True),
        ("kram/malam", False),
        ("/ kenapa kram?", False),
        ("Kenapa betis kram?", False),
    ],
)
def test_only_an_intent_payload_is_read_as_a_button(text, payload):
    assert is_payload(text) is payload


def test_a_payload_asks_its_intent_about_the_topic_and_records_the_text_searched(small_components):
    focus = answer(small_components, Focus(), "ask_cause", [], RUNNING).focus
    reply = answer(small_components, focus, "ask_treatment", [], "/ask_treatment")
    assert reply.status == ANSWERED and reply.focus.aspect == "treatment"
    assert reply.question == reply.focus.query == "cara mengatasi dan meredakan kaki mati rasa berlari"


def test_a_message_that_reads_as_an_emergency_is_escalated_before_anything_is_searched(small_components):
    text = "Bapak habis nyangkul seharian di sawah, sekarang omongannya ngawur dan badannya panas sekali"
    first = answer(small_components, Focus(), "ask_cause", [], RUNNING).focus
    reply = answer(small_components, first, "describe_symptom", [], text)
    assert (reply.status, reply.red_flag, reply.hits, reply.ranked) == (EMERGENCY, "heat_illness", (), ())
    assert reply.focus == first  # the conversation's topic is kept for after the emergency


def test_a_turn_embeds_its_message_and_its_continued_reading_in_one_encoder_call(small_components):
    fresh = replace(small_components, retriever=small_components.retriever.replaced(query_cache=0))
    first = answer(fresh, Focus(), "ask_cause", [], RUNNING)
    assert fresh.embedder.calls == 1
    follow = answer(fresh, first.focus, "ask_treatment", [], "Bagaimana cara mengatasinya kalau sudah terjadi?")
    assert follow.status == ANSWERED and fresh.embedder.calls == 2


def test_denied_signs_are_not_searched_for(small_components):
    text = "Tidak ada bengkak atau nyeri dada, cuma kaki mati rasa saat berlari. Kenapa?"
    reply = answer(small_components, Focus(), "ask_cause", [], text)
    assert reply.status == ANSWERED and reply.question == text
    assert "bengkak" not in reply.focus.query and "mati rasa" in reply.focus.query
