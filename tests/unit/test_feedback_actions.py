"""action_record_feedback and action_human_contact run as the action server runs them: a Tracker
built from the slots and the latest message Rasa parses from a button's payload."""

import asyncio
from typing import Any, Dict, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.human_contact import ActionHumanContact
from actions.record_feedback import ActionRecordFeedback

ANSWERED = {"question": "Kenapa betis saya kram di malam hari?", "status": "answered", "passages": ["kram-1", "kram-2"]}


def _tracker(intent: str, entities: Optional[list] = None, answered: Optional[Dict[str, Any]] = None) -> Tracker:
    return Tracker(
        sender_id="test",
        slots={"answered": answered, "feedback": None},
        latest_message={"text": f"/{intent}", "intent": {"name": intent}, "entities": entities or []},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def _run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, {event["name"]: event["value"] for event in events}


def _value(value):
    return [{"entity": "value", "value": value, "start": 10, "end": 10 + len(value)}]


@pytest.mark.parametrize("value, reply", [("up", "utter_feedback_up"), ("down", "utter_feedback_down")])
def test_feedback_on_an_answer_is_recorded_with_its_question_and_passages_and_thanked(value, reply):
    messages, slots = _run(ActionRecordFeedback(), _tracker("feedback", _value(value), ANSWERED))
    assert [m["response"] for m in messages] == [reply]
    assert slots == {"feedback": {"value": value, "question": ANSWERED["question"], "passages": ["kram-1", "kram-2"]}}


def test_feedback_on_an_unanswered_question_keeps_that_question():
    unanswered = {"question": "apa itu sindrom piriformis?", "status": "not_found", "passages": []}
    _, slots = _run(ActionRecordFeedback(), _tracker("feedback", _value("down"), unanswered))
    assert slots["feedback"] == {"value": "down", "question": "apa itu sindrom piriformis?", "passages": []}


def test_feedback_before_any_answer_is_recorded_empty_and_says_there_is_nothing_to_rate():
    messages, slots = _run(ActionRecordFeedback(), _tracker("feedback", _value("up")))
    assert [m["response"] for m in messages] == ["utter_feedback_nothing_rated"]
    assert slots == {"feedback": {"value": "up", "question": "", "passages": []}}


@pytest.mark.parametrize("entities", [_value("meh"), _value("UP "), []])
def test_a_value_other_than_up_or_down_is_not_recorded_and_explained(entities):
    messages, slots = _run(ActionRecordFeedback(), _tracker("feedback", entities, ANSWERED))
    assert [m["response"] for m in messages] == ["utter_feedback_unknown"] and slots == {}


def test_asking_for_a_person_gives_the_default_contact(monkeypatch):
    monkeypatch.delenv("HUMAN_CONTACT", raising=False)
    messages, slots = _run(ActionHumanContact(), _tracker("ask_human"))
    [message] = messages
    assert "1500-567" in message["text"] and "puskesmas" in message["text"] and slots == {}


def test_the_contact_is_the_human_contact_setting(monkeypatch):
    monkeypatch.setenv("HUMAN_CONTACT", "Hubungi klinik kami: 021-555-0100.")
    [message], _ = _run(ActionHumanContact(), _tracker("ask_human"))
    assert message["text"] == "Hubungi klinik kami: 021-555-0100."
