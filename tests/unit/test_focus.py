"""The focus carried between turns: how a message can be read (on its own, or continuing the
previous focus), what each reading searches, and what a person says of themselves staying."""

from dialogue.focus import Focus, readings
from dialogue.reading import read

NIGHT_CRAMP = "Kenapa betis saya sering kram di malam hari?"


def _first(analyzer, text: str, intent: str = "ask_cause") -> Focus:
    own = readings(Focus(), read(text, [], analyzer), intent).own
    assert own is not None
    return own


def _continued(analyzer, previous: Focus, text: str, intent: str = "ask_cause") -> Focus:
    continued = readings(previous, read(text, [], analyzer), intent).continued
    assert continued is not None
    return continued


def test_a_first_question_is_read_on_its_own_as_it_was_written(analyzer):
    options = readings(Focus(), read(NIGHT_CRAMP, [], analyzer), "ask_cause")
    assert options.continued is None and options.own is not None
    assert options.own.query == NIGHT_CRAMP and options.own.aspect == "cause"
    assert ("context", "malam") in options.own.terms and options.own.subject == ("betis", "kram")


def test_a_follow_up_continued_is_searched_as_itself_plus_the_previous_topic(analyzer):
    focus = _continued(analyzer, _first(analyzer, NIGHT_CRAMP), "Bagaimana cara mencegahnya?")
    assert focus.aspect == "prevention"
    assert focus.query == "Bagaimana cara mencegahnya? betis kram malam"


def test_a_follow_up_naming_only_a_context_replaces_the_context_and_keeps_the_aspect(analyzer):
    focus = _continued(analyzer, _first(analyzer, NIGHT_CRAMP), "kalau pada ibu hamil?")
    assert focus.aspect == "cause"
    assert ("context", "kehamilan") in focus.terms and ("context", "malam") not in focus.terms
    assert focus.query == "kalau pada ibu hamil? penyebab betis kram kehamilan"


def test_an_english_follow_up_keeps_the_english_topic_in_formal_words(analyzer):
    first = _first(analyzer, "Why do my calves cramp when running?")
    focus = _continued(analyzer, first, "what about at night?")
    assert focus.aspect == "cause" and ("context", "malam") in focus.terms and ("context", "berlari") not in focus.terms
    assert "betis kram" in focus.query


def test_a_statement_adds_its_words_to_the_topic_for_the_next_question(analyzer):
    twitching = _first(analyzer, "betis saya kedutan terus", "describe_symptom")
    week = _continued(analyzer, twitching, "udah seminggu", "describe_symptom")
    later = _continued(analyzer, week, "bisa hilang sendiri gak?")
    assert "seminggu" in later.subject and "kedutan" in later.query


def test_what_a_person_says_of_themselves_stays_with_a_new_complaint(analyzer):
    pregnant = _first(analyzer, "Saya hamil 34 minggu", "describe_symptom")
    own = readings(pregnant, read("kaki saya sering kram tiap malam", [], analyzer), "describe_symptom").own
    assert own is not None and ("context", "kehamilan") in own.terms and own.query.endswith("kehamilan")
    child = readings(pregnant, read("kalau anak saya kram kaki?", [], analyzer), "ask_cause").own
    assert child is not None and ("context", "kehamilan") not in child.terms  # someone else now


def test_yang_lain_repeats_the_search_and_offer_accepted_asks_for_relief(analyzer):
    first = _first(analyzer, NIGHT_CRAMP).showing(["p1"])
    assert readings(first, read("yang lain?", [], analyzer), "ask_more").candidates == (first,)
    (relief,) = readings(first, read("ya", [], analyzer), "affirm").candidates
    assert relief.aspect == "treatment" and relief.query == "cara mengatasi dan meredakan betis kram malam"


def test_nothing_to_search_for_reads_as_nothing_first_and_as_a_follow_up_after_a_topic(analyzer):
    assert readings(Focus(), read("kenapa ya?", [], analyzer), "ask_cause").candidates == ()
    after = readings(_first(analyzer, NIGHT_CRAMP), read("kenapa ya?", [], analyzer), "ask_cause")
    assert after.own is None and after.continued is not None and after.continued.has_topic


def test_the_focus_survives_its_slot_and_a_broken_slot_is_no_focus(analyzer):
    focus = _continued(analyzer, _first(analyzer, NIGHT_CRAMP), "Bagaimana cara mencegahnya?").showing(["a", "b"])
    assert Focus.from_slot(focus.to_slot()) == focus
    assert Focus.from_slot(None) == Focus() and Focus.from_slot("garbage") == Focus()
    assert Focus().to_slot() is None
