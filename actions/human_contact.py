"""action_human_contact: where to reach a health worker (the HUMAN_CONTACT setting)."""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

import settings


class ActionHumanContact(Action):
    """Gives the configured contact; emergencies never reach it (the safety rules answer them)."""

    def __init__(self) -> None:
        self._contact = settings.load().human_contact

    def name(self) -> Text:
        return "action_human_contact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        dispatcher.utter_message(text=self._contact)
        return []
