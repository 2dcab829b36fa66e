"""Follow-ups: the focus carried between turns, with the real small index and model."""

from embeddings.conversation import (
    ANSWERED,
    NO_MORE,
    NO_TOPIC,
    NOT_UNDERSTOOD,
    Focus,
    answer,
    focus_from_slots,
    focus_slots,
    next_focus,
)
from embeddings.query import Topic

NIGHT_CRAMP = [
    {"entity": "body_part", "value": "betis"},
    {"entity": "symptom", "value": "kram"},
    {"entity": "context", "value": "malam"},
]
RUNNING_NUMBNESS = [
    {"entity": "body_part", "value": "kaki"},
    {"entity": "symptom", "value": "mati rasa"},
    {"entity": "context", "value": "berlari"},
]


def test_a_question_without_a_complaint_keeps_the_topic_and_asks_about_its_own_aspect(analyzer):
    first = next_focus(Focus(), "ask_cause", NIGHT_CRAMP, "Kenapa betis saya sering kram di malam hari?", analyzer)
    assert first.topic == Topic(symptom=("kram",), body_part=("betis",), context=("malam",))
    assert first.aspect == "cause"
    follow = next_focus(first, "ask_prevention", [], "Bagaimana cara mencegahnya?", analyzer)
    assert follow.topic == first.topic and follow.aspect == "prevention"
    assert follow.query().text.startswith("cara mencegah kram betis malam")


def test_a_follow_up_whose_words_name_no_aspect_keeps_the_aspect_asked_before(analyzer):
    first = next_focus(Focus(), "ask_treatment", NIGHT_CRAMP, "cara mengatasi kram betis malam", analyzer)
    follow = next_focus(first, "ask_more", [{"entity": "context", "value": "kehamilan"}], "kalau pas hamil gimana?", analyzer)
    assert follow.aspect == "treatment"
    assert follow.topic == Topic(symptom=("kram",), body_part=("betis",), context=("kehamilan",))
    assert follow.shown == ()


def test_a_new_complaint_replaces_the_whole_topic(analyzer):
    first = next_focus(Focus(), "ask_cause", NIGHT_CRAMP, "kenapa betis kram malam", analyzer)
    new = next_focus(first, "ask_cause", RUNNING_NUMBNESS, "kenapa kaki mati rasa saat berlari", analyzer)
    assert new.topic == Topic(symptom=("mati rasa",), body_part=("kaki",), context=("berlari",))


def test_more_keeps_the_question_and_accepting_the_offer_asks_for_relief(analyzer):
    first = Focus(Topic(symptom=("kram",)), "cause", ("kram",), ("p1",))
    assert next_focus(first, "ask_more", [], "yang lain?", analyzer) == first
    assert next_focus(first, "affirm", [], "ya", analyzer) == Focus(Topic(symptom=("kram",)), "treatment")


def test_more_shows_passages_not_shown_yet_until_there_are_none(small_retriever):
    reply = answer(small_retriever, Focus(), "ask_cause", RUNNING_NUMBNESS, "Kenapa kaki mati rasa saat berlari?")
    assert reply.status == ANSWERED
    seen = set(reply.focus.shown)
    for _ in range(40):
        reply = answer(small_retriever, reply.focus, "ask_more", [], "yang lain?")
        if reply.status == NO_MORE:
            break
        new = {hit.passage.id for hit in reply.hits}
        assert new and not new & seen
        seen |= new
    assert reply.status == NO_MORE and reply.hits == ()


def test_nothing_is_searched_without_a_complaint_now_or_before(small_retriever):
    assert answer(small_retriever, Focus(), "ask_prevention", [], "Bagaimana cara mencegahnya?").status == NO_TOPIC
    assert answer(small_retriever, Focus(), "nlu_fallback", [], "hmm gitu ya").status == NOT_UNDERSTOOD


def test_an_unclear_intent_is_answered_when_the_message_names_a_complaint(small_retriever):
    reply = answer(small_retriever, Focus(), "nlu_fallback", RUNNING_NUMBNESS, "kaki mati rasa lari")
    assert reply.status == ANSWERED


def test_the_focus_round_trips_through_slots():
    focus = Focus(Topic(symptom=("kram",), context=("malam",)), "prevention", ("cara", "cegah"), ("p1", "p2"))
    slots = focus_slots(focus)
    assert slots["body_part"] is None and slots["shown_passages"] == ["p1", "p2"]
    assert focus_from_slots(slots) == focus
    assert focus_from_slots({}) == Focus()
