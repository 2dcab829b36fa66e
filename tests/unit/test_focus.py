"""The focus carried between turns: when a message follows up, and what a follow-up searches."""

from dialogue.focus import Focus, next_focus, starts_a_topic
from dialogue.reading import read

NIGHT_CRAMP = "Kenapa betis saya sering kram di malam hari?"


def _after(analyzer, *turns, intent="ask_cause") -> Focus:
    focus = Focus()
    for text in turns:
        focus = next_focus(focus, read(text, [], analyzer), intent)
    return focus


def test_a_new_question_is_searched_as_it_was_written(analyzer):
    focus = _after(analyzer, NIGHT_CRAMP)
    assert focus.query == NIGHT_CRAMP and focus.aspect == "cause"
    assert ("context", "malam") in focus.terms and focus.subject == ("betis", "kram")


def test_a_follow_up_is_searched_as_itself_plus_the_previous_topic(analyzer):
    focus = _after(analyzer, NIGHT_CRAMP, "Bagaimana cara mencegahnya?")
    assert focus.aspect == "prevention"
    assert focus.query == "Bagaimana cara mencegahnya? betis kram malam"


def test_a_follow_up_naming_only_a_context_replaces_the_context_and_keeps_the_aspect(analyzer):
    focus = _after(analyzer, NIGHT_CRAMP, "kalau pada ibu hamil?")
    assert focus.aspect == "cause"
    assert ("context", "kehamilan") in focus.terms and ("context", "malam") not in focus.terms
    assert focus.query == "kalau pada ibu hamil? penyebab betis kram kehamilan"


def test_an_english_follow_up_keeps_the_english_topic_in_formal_words(analyzer):
    focus = _after(analyzer, "Why do my calves cramp when running?", "what about at night?")
    assert focus.aspect == "cause" and ("context", "malam") in focus.terms and ("context", "berlari") not in focus.terms
    assert "betis kram" in focus.query


def test_three_turns_carry_the_topic_through_a_follow_up(analyzer):
    focus = _after(analyzer, NIGHT_CRAMP, "Bagaimana cara mengatasinya?", "kalau lansia?")
    assert focus.aspect == "treatment" and ("context", "usia lanjut") in focus.terms
    assert "betis kram" in focus.query


def test_a_message_naming_a_complaint_of_its_own_starts_a_new_focus(analyzer):
    focus = _after(analyzer, NIGHT_CRAMP, "Kalau kedutan di betis, apa penyebabnya?")
    assert focus.query == "Kalau kedutan di betis, apa penyebabnya?" and ("symptom", "kram") not in focus.terms


def test_a_message_with_a_topic_of_its_own_and_no_follow_up_cue_starts_a_new_focus(analyzer):
    assert starts_a_topic(read("Different question: what is lumbar radiculopathy?", [], analyzer))
    assert not starts_a_topic(read("Kapan saya harus ke dokter?", [], analyzer))
    assert not starts_a_topic(read("biasanya brp lama?", [], analyzer))


def test_yang_lain_repeats_the_search_and_offer_accepted_asks_for_relief(analyzer):
    first = _after(analyzer, NIGHT_CRAMP).showing(["p1"])
    assert next_focus(first, read("yang lain?", [], analyzer), "ask_more") == first
    relief = next_focus(first, read("ya", [], analyzer), "affirm")
    assert relief.aspect == "treatment" and relief.query == "cara mengatasi dan meredakan betis kram malam"


def test_nothing_to_search_for_gives_no_focus_but_a_follow_up_keeps_the_previous(analyzer):
    assert _after(analyzer, "kenapa ya?") == Focus()
    assert _after(analyzer, NIGHT_CRAMP, "sakit banget").has_topic


def test_the_focus_survives_its_slot_and_a_broken_slot_is_no_focus(analyzer):
    focus = _after(analyzer, NIGHT_CRAMP, "Bagaimana cara mencegahnya?").showing(["a", "b"])
    assert Focus.from_slot(focus.to_slot()) == focus
    assert Focus.from_slot(None) == Focus() and Focus.from_slot("garbage") == Focus()
    assert Focus().to_slot() is None
