"""The safety triage as a Rasa NLU component, placed after DIET and the FallbackClassifier.

An emergency (safety.red_flags) always becomes the `emergency` intent with its `red_flag`
category, and a dose question (safety.doses) `ask_dose`. DIET's `emergency` stands only for a
message naming a serious sign that it neither denies ("tidak sesak napas") nor says has passed
("lalu hilang"); DIET's `ask_dose` never stands alone: the deterministic checks decide. Small
talk that names a complaint ("makasih, tapi kaki saya kok masih kebas") is a described
complaint: the answer turn reads it, by meaning too (dialogue.answering), instead of a greeting.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from dialogue.intents import (
    ASPECT_OF_INTENT,
    COMPLAINT_INTENT,
    DOSE_INTENT,
    EMERGENCY_INTENT,
    FALLBACK_INTENT,
    SMALL_TALK_INTENTS,
)
from dialogue.reading import read
from embeddings.indonesian import Analyzer, Glossary
from safety.doses import asks_for_dose
from safety.red_flags import triage

RED_FLAG_ENTITY = "red_flag"
UNSPECIFIED_RED_FLAG = "general"  # DIET recognised an emergency the detector has no category for


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SafetyTriage(GraphComponent):
    """Overrides the intent of messages that are emergencies or dose questions."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "SafetyTriage":
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def __init__(self) -> None:
        self._analyzer: Optional[Analyzer] = None

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._triage(message)
        return messages

    def _names_a_complaint(self, message: Message) -> bool:
        if self._analyzer is None:
            self._analyzer = Analyzer(Glossary.load(), stemming=False)
        return read(message.get(TEXT) or "", message.get(ENTITIES) or [], self._analyzer).names_a_complaint

    def _triage(self, message: Message) -> None:
        text = message.get(TEXT) or ""
        predicted = (message.get(INTENT) or {}).get("name")
        found = triage(text)
        if found.emergency:
            self._set_intent(message, EMERGENCY_INTENT, found.category)
        elif predicted == EMERGENCY_INTENT and found.alarming and not (found.denied or found.resolved):
            self._set_intent(message, EMERGENCY_INTENT, UNSPECIFIED_RED_FLAG)
        elif asks_for_dose(text):
            self._set_intent(message, DOSE_INTENT)
        elif predicted in (EMERGENCY_INTENT, DOSE_INTENT):
            self._set_intent(message, self._runner_up(message))
        elif predicted in SMALL_TALK_INTENTS and self._names_a_complaint(message):
            self._set_intent(message, COMPLAINT_INTENT)

    @staticmethod
    def _runner_up(message: Message) -> str:
        """DIET's next health question intent, else "unclear" (answered if a complaint is named)."""
        ranking = [item["name"] for item in message.get(INTENT_RANKING_KEY) or []]
        rest = [name for name in ranking if name not in (EMERGENCY_INTENT, DOSE_INTENT)]
        return rest[0] if rest and rest[0] in ASPECT_OF_INTENT else FALLBACK_INTENT

    @staticmethod
    def _set_intent(message: Message, intent: str, red_flag: Optional[str] = None) -> None:
        ranking = [item for item in message.get(INTENT_RANKING_KEY) or [] if item["name"] != intent]
        message.set(INTENT, {"name": intent, "confidence": 1.0}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 1.0}, *ranking], add_to_output=True)
        entities = [entity for entity in message.get(ENTITIES) or [] if entity.get("entity") != RED_FLAG_ENTITY]
        if red_flag:
            text = message.get(TEXT) or ""
            entities.append(
                {
                    "entity": RED_FLAG_ENTITY,
                    "value": red_flag,
                    "start": 0,
                    "end": len(text),
                    "extractor": "SafetyTriage",
                }
            )
        message.set(ENTITIES, entities, add_to_output=True)
