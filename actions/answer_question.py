"""action_answer_question: answer a health question from the documents, or say it cannot."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import settings
from actions.answer_format import answer_messages
from actions.retriever import shared_retriever
from embeddings.query import TOPIC_ENTITIES, Topic, build_query
from embeddings.search import Retriever

# The only offer the bot makes (utter_offer_relief) is of relief tips for the current topic.
OFFER_ASPECT = "ask_treatment"


class ActionAnswerQuestion(Action):
    """Builds a query from intent and entities, retrieves, and replies with passage and source.

    Sets `answer_status` (answered, no_topic, not_found) for the rules to branch on, and the
    topic slots to the topic it answered about.
    """

    def __init__(self, retriever: Optional[Retriever] = None) -> None:
        self._retriever = retriever
        self._answer_chars = settings.load().max_answer_chars

    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        message = tracker.latest_message or {}
        intent = (message.get("intent") or {}).get("name") or ""
        if intent == "affirm":
            aspect, topic = OFFER_ASPECT, Topic.from_values({name: tracker.get_slot(name) for name in TOPIC_ENTITIES})
        else:
            aspect, topic = intent, Topic.from_entities(message.get("entities") or [])
        if not topic.names_a_complaint:
            return [SlotSet("answer_status", "no_topic")]

        retriever = self._retriever or shared_retriever()
        hits = retriever.answer_hits(build_query(aspect, topic))
        topic_events = [SlotSet(name, values or None) for name, values in topic.as_values().items()]
        if not hits:
            return [SlotSet("answer_status", "not_found"), *topic_events]
        for text in answer_messages(hits, self._answer_chars):
            dispatcher.utter_message(text=text)
        return [SlotSet("answer_status", "answered"), *topic_events]
