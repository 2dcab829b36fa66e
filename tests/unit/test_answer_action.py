"""action_answer_question run as the action server runs it: a Tracker, a CollectingDispatcher,
and a small real index with the real model."""

import asyncio
from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answer_question import ActionAnswerQuestion

SLOTS = {
    "answer_status": None,
    "symptom": None,
    "body_part": None,
    "condition": None,
    "context": None,
    "aspect": None,
    "question_words": None,
    "shown_passages": None,
}


def _tracker(intent: str, entities: List[Dict[str, Any]], text: str, slots: Optional[Dict] = None) -> Tracker:
    return Tracker(
        sender_id="test",
        slots={**SLOTS, **(slots or {})},
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.99}, "entities": entities},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def _run(action: ActionAnswerQuestion, tracker: Tracker):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    return dispatcher.messages, events


@pytest.fixture()
def action(small_retriever) -> ActionAnswerQuestion:
    return ActionAnswerQuestion(small_retriever)


def test_a_question_with_a_known_complaint_is_answered_with_passage_and_source(action):
    entities = [
        {"entity": "body_part", "value": "kaki"},
        {"entity": "symptom", "value": "mati rasa"},
        {"entity": "context", "value": "berlari"},
    ]
    messages, events = _run(action, _tracker("ask_cause", entities, "Kenapa kaki saya mati rasa saat berlari?"))
    assert 1 <= len(messages) <= 2
    assert all("Sumber: " in m["text"] and "mati rasa" in m["text"].lower() for m in messages)
    slots = {event["name"]: event["value"] for event in events}
    assert slots["answer_status"] == "answered"
    assert (slots["symptom"], slots["body_part"], slots["condition"], slots["context"]) == (
        ["mati rasa"], ["kaki"], None, ["berlari"]
    )
    assert slots["aspect"] == "cause" and slots["question_words"]
    assert 1 <= len(slots["shown_passages"]) == len(messages)


def test_a_follow_up_is_answered_about_the_topic_in_the_slots_without_repeating_a_passage(action):
    entities = [{"entity": "body_part", "value": "kaki"}, {"entity": "symptom", "value": "mati rasa"}]
    _, events = _run(action, _tracker("ask_cause", entities, "Kenapa kaki saya mati rasa?"))
    slots = {event["name"]: event["value"] for event in events}
    messages, events = _run(action, _tracker("ask_more", [], "yang lain?", slots))
    after = {event["name"]: event["value"] for event in events}
    assert messages and after["answer_status"] == "answered" and after["symptom"] == ["mati rasa"]
    assert set(slots["shown_passages"]) < set(after["shown_passages"])


def test_a_question_without_a_complaint_searches_nothing_and_says_so(action):
    messages, events = _run(action, _tracker("ask_prevention", [], "Bagaimana cara mencegahnya?"))
    assert messages == []
    assert events[0] == SlotSet("answer_status", "no_topic")


def test_a_complaint_the_documents_do_not_cover_gets_no_passage(action):
    entities = [{"entity": "symptom", "value": "gatal"}, {"entity": "body_part", "value": "kaki"}]
    messages, events = _run(action, _tracker("ask_treatment", entities, "kaki saya gatal"))
    assert messages == []
    assert events[0] == SlotSet("answer_status", "not_found")


def test_accepting_the_offer_answers_how_to_relieve_the_current_topic(action):
    slots = {"symptom": ["kram"], "body_part": ["betis"], "context": ["berlari"]}
    messages, events = _run(action, _tracker("affirm", [], "ya", slots))
    assert messages and events[0] == SlotSet("answer_status", "answered")
    assert SlotSet("symptom", ["kram"]) in events
    treatment_words = ("pijat", "regang", "istirahat", "perawatan", "pengobatan")
    assert any(word in messages[0]["text"].lower() for word in treatment_words)
