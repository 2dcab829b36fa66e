"""action_answer_question run as the action server runs it: a Tracker, a CollectingDispatcher,
and a small real index with the real model."""

import asyncio
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_question import ActionAnswerQuestion
from actions.buttons import feedback_payload


def _tracker(
    intent: str, text: str, focus: Optional[dict] = None, entities: Optional[List[Dict[str, Any]]] = None
) -> Tracker:
    return Tracker(
        sender_id="test",
        slots={"answer_status": "pending", "focus": focus, "answered": None},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def _run(action: ActionAnswerQuestion, tracker: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, {event["name"]: event["value"] for event in events}


@pytest.fixture()
def action(small_components) -> ActionAnswerQuestion:
    return ActionAnswerQuestion(small_components)


def test_a_question_is_answered_with_passage_and_source_and_its_focus_is_kept(action):
    messages, slots = _run(action, _tracker("ask_cause", "Kenapa kaki saya mati rasa saat berlari?"))
    *passages, disclaimer = messages
    assert 1 <= len(passages) <= 2
    for message in passages:  # each passage: its payload for the channels, its plain text for REST clients
        answer = message["custom"]["answer"]
        assert answer["passage"] in message["text"] and message["text"].endswith(answer["source"])
    assert disclaimer["response"] == "utter_disclaimer"  # in the same action: no extra prediction
    assert slots["answer_status"] == "answered"
    focus = slots["focus"]
    assert focus["query"] == "Kenapa kaki saya mati rasa saat berlari?" and focus["aspect"] == "cause"
    assert ["symptom", "mati rasa"] in focus["terms"] and ["context", "berlari"] in focus["terms"]
    assert 1 <= len(focus["shown"]) == len(passages)


def test_a_follow_up_rewrites_its_query_from_the_focus_in_the_slot(action):
    _, first = _run(action, _tracker("ask_cause", "Kenapa kaki saya mati rasa saat berlari?"))
    messages, after = _run(action, _tracker("ask_treatment", "Bagaimana cara mengatasinya?", first["focus"]))
    assert messages and after["answer_status"] == "answered"
    assert after["focus"]["query"] == "Bagaimana cara mengatasinya? kaki mati rasa berlari"
    assert after["focus"]["aspect"] == "treatment"


def test_yang_lain_shows_another_passage_of_the_same_search(action):
    _, first = _run(action, _tracker("ask_cause", "Kenapa kaki saya mati rasa saat berlari?"))
    messages, after = _run(action, _tracker("ask_more", "yang lain?", first["focus"]))
    assert messages and after["answer_status"] == "answered"
    assert set(first["focus"]["shown"]) < set(after["focus"]["shown"])


def test_a_question_without_a_topic_searches_nothing_and_says_so(action):
    messages, slots = _run(action, _tracker("ask_prevention", "Bagaimana cara mencegahnya?"))
    assert messages == []
    assert slots == {
        "answer_status": "no_topic",
        "focus": None,
        "answered": {"question": "Bagaimana cara mencegahnya?", "status": "no_topic", "passages": []},
    }


def test_every_answer_records_the_question_its_status_and_the_passages_shown_best_first(action):
    messages, slots = _run(action, _tracker("ask_cause", "Kenapa  kaki saya mati rasa saat berlari?"))
    assert slots["answered"] == {
        "question": "Kenapa kaki saya mati rasa saat berlari?",
        "status": "answered",
        "passages": slots["focus"]["shown"],
    }
    shown = [message["custom"]["answer"]["passage"] for message in messages if message.get("custom")]
    assert len(shown) == len(slots["answered"]["passages"])


def test_under_the_disclaimer_come_the_suggested_questions_then_thumbs_up_and_down(action):
    messages, _ = _run(action, _tracker("ask_cause", "Kenapa kaki saya mati rasa saat berlari?"))
    buttons = messages[-1]["buttons"]
    assert [b["payload"] for b in buttons[-2:]] == [feedback_payload("up"), feedback_payload("down")]
    assert buttons[-2]["title"].startswith("👍") and buttons[-1]["title"].startswith("👎")
    assert all(b["payload"].startswith("/ask_") for b in buttons[:-2])


def test_suggestions_setting_limits_them_and_zero_leaves_only_feedback(small_components, monkeypatch):
    question = _tracker("ask_cause", "Kenapa kaki saya mati rasa saat berlari?")
    monkeypatch.setenv("SUGGESTIONS", "1")
    assert len(_run(ActionAnswerQuestion(small_components), question)[0][-1]["buttons"]) == 3
    monkeypatch.setenv("SUGGESTIONS", "0")
    buttons = _run(ActionAnswerQuestion(small_components), question)[0][-1]["buttons"]
    assert [b["payload"] for b in buttons] == [feedback_payload("up"), feedback_payload("down")]


def test_every_suggested_question_is_answered_with_a_passage_not_shown_yet(action):
    offered = 0
    for question in ("Kenapa kaki saya mati rasa saat berlari?", "kaki saya sering spasme, apa penyebabnya?"):
        messages, first = _run(action, _tracker("ask_cause", question))
        suggested = messages[-1]["buttons"][:-2]
        offered += len(suggested)
        for button in suggested:  # the payload as the button sends it: an intent and no words
            intent = button["payload"].lstrip("/")
            after_messages, after = _run(action, _tracker(intent, button["payload"], first["focus"]))
            assert after["answer_status"] == "answered", button
            assert after["answered"]["passages"][0] not in first["focus"]["shown"]
            assert after["answered"]["question"] == after["focus"]["query"]  # what the button asked
    assert offered

def test_a_button_payload_is_a_follow_up_with_no_words_of_its_own(action):
    _, first = _run(action, _tracker("ask_cause", "Kenapa kaki saya mati rasa saat berlari?"))
    _, after = _run(action, _tracker("ask_prevention", "/ask_prevention", first["focus"]))
    assert after["focus"]["query"] == "cara mencegah kaki mati rasa berlari"
    assert after["focus"]["aspect"] == "prevention"


def test_a_body_part_the_documents_do_not_cover_gets_no_passage(action):
    messages, slots = _run(
        action,
        _tracker("ask_cause", "perut saya kram setelah makan", entities=[{"entity": "body_part", "value": "perut"}]),
    )
    assert messages == [] and slots["answer_status"] == "out_of_scope"


def test_accepting_the_offer_answers_how_to_relieve_the_current_topic(action):
    _, first = _run(action, _tracker("describe_symptom", "betis saya kram waktu lari"))
    messages, after = _run(action, _tracker("affirm", "ya", first["focus"]))
    assert messages and after["answer_status"] == "answered" and after["focus"]["aspect"] == "treatment"
    treatment_words = ("pijat", "regang", "istirahat", "perawatan", "pengobatan", "es")
    assert any(word in messages[0]["text"].lower() for word in treatment_words)
