"""action_record_feedback: 👍 / 👎 on the last answer, kept in the conversation as the `feedback`
slot with the question and passages it rates (copied from the `answered` slot)."""

from __future__ import annotations

from typing import Any, Dict, List, Mapping, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from dialogue.records import ANSWERED_SLOT, DOWN, FEEDBACK_SLOT, FEEDBACK_VALUES, UP, feedback_record

VALUE_ENTITY = "value"
# What the bot says to each value (domain responses, bot/domain/feedback.yml); "down" offers to
# ask again in other words and the way to a health worker.
REPLIES = {UP: "utter_feedback_up", DOWN: "utter_feedback_down"}
NOTHING_RATED = "utter_feedback_nothing_rated"  # feedback before any answer
UNKNOWN_VALUE = "utter_feedback_unknown"  # a value other than up or down: nothing recorded


class ActionRecordFeedback(Action):
    """Records the feedback value of the latest message with the last answer's question and
    passages, and thanks for it."""

    def name(self) -> Text:
        return "action_record_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        value = next(tracker.get_latest_entity_values(VALUE_ENTITY), None)
        if value not in FEEDBACK_VALUES:
            dispatcher.utter_message(response=UNKNOWN_VALUE)
            return []
        answered = tracker.get_slot(ANSWERED_SLOT)
        dispatcher.utter_message(response=REPLIES[value] if isinstance(answered, Mapping) else NOTHING_RATED)
        return [SlotSet(FEEDBACK_SLOT, feedback_record(value, answered))]

