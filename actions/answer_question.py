"""action_answer_question: answer a health question from the documents, or say it cannot."""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Mapping, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

import settings
from actions.answer_format import answers
from actions.buttons import answer_buttons
from actions.components import shared_components
from dialogue.answering import Answer, answer
from dialogue.components import Components
from dialogue.focus import Focus
from dialogue.intents import ANSWERED, DOSE_INTENT, EMERGENCY
from dialogue.records import ANSWERED_SLOT, answered_record
from dialogue.suggestions import Suggestion, suggestions

FOCUS_SLOT = "focus"
STATUS_SLOT = "answer_status"
RED_FLAG_SLOT = "red_flag"  # the category the emergency responses name (bot/domain/safety.yml)
DISCLAIMER = "utter_disclaimer"  # a domain response, edited in bot/domain/health.yml
NO_DOSE = "utter_no_dose"  # bot/domain/safety.yml


class ActionAnswerQuestion(Action):
    """Answers the latest message in the conversation's focus (kept in the `focus` slot) with
    passages and their sources, one message each: its plain text and its `answer` payload, then
    the disclaimer (the domain's `utter_disclaimer`) with the suggested next questions and 👍 / 👎
    as buttons, all in one action.

    Sets `answer_status` (answered, emergency, no_topic, not_understood, not_found, out_of_scope,
    no_more) for the rules to branch on (an emergency with its category in `red_flag`: the rules
    escalate it), `focus` for the next turn's follow-up, and `answered` (the question, the
    status, the passages shown) for editors and for feedback.
    """

    def __init__(self, components: Optional[Components] = None) -> None:
        self._components = components
        config = settings.load()
        self._answer_chars, self._suggestions = config.max_answer_chars, config.suggestions

    def name(self) -> Text:
        return "action_answer_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        message = tracker.latest_message or {}
        # Retrieval is CPU-bound: off the event loop, so that concurrent conversations are
        # embedded on both cores and the server keeps answering meanwhile.
        reply, suggested = await asyncio.get_running_loop().run_in_executor(
            None,
            answer_turn,
            self._components or shared_components(),
            Focus.from_slot(tracker.get_slot(FOCUS_SLOT)),
            (message.get("intent") or {}).get("name") or "",
            message.get("entities") or [],
            message.get("text") or "",
            self._suggestions,
        )
        if (message.get("intent") or {}).get("name") == DOSE_INTENT and reply.status != EMERGENCY:
            dispatcher.utter_message(response=NO_DOSE)  # what is refused first, then the general advice
        for shown in answers(reply.hits, self._answer_chars):
            dispatcher.utter_message(text=shown.text, json_message=shown.payload())
        if reply.status == ANSWERED:  # in this turn, not one more prediction
            dispatcher.utter_message(response=DISCLAIMER, buttons=answer_buttons(suggested))
        emergency = [SlotSet(RED_FLAG_SLOT, reply.red_flag)] if reply.status == EMERGENCY else []
        return [
            *emergency,
            SlotSet(STATUS_SLOT, reply.status),
            SlotSet(FOCUS_SLOT, reply.focus.to_slot()),
            SlotSet(ANSWERED_SLOT, answered_record(reply)),
        ]


def answer_turn(
    components: Components, focus: Focus, intent: str, entities: List[Mapping], text: str, limit: int
) -> Tuple[Answer, Tuple[Suggestion, ...]]:
    """The answer to a message, and at most `limit` next questions to suggest when it is answered."""
    reply = answer(components, focus, intent, entities, text)
    return reply, suggestions(components, reply.focus, limit) if reply.status == ANSWERED and limit else ()

