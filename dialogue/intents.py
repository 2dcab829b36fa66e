"""The bot's intents as the dialogue reads them: which aspect each health question asks about,
which intents the answer action handles, and the statuses an answer turn ends in.

The names match bot/domain and bot/data; the rules route exactly ANSWERING_INTENTS to
action_answer_question (a test keeps them in step).
"""

from __future__ import annotations

import re
from typing import Mapping

from knowledge.aspects import GENERAL

# The aspect each health question intent asks about (knowledge.aspects.ASPECTS).
ASPECT_OF_INTENT: Mapping[str, str] = {
    "ask_cause": "cause",
    "ask_treatment": "treatment",
    "ask_prevention": "prevention",
    "ask_symptoms": "symptoms",
    "ask_definition": "definition",
    "ask_when_to_see_doctor": "see_doctor",
    "ask_diagnosis": "diagnosis",
    "describe_symptom": GENERAL,
}
COMPLAINT_INTENT = "describe_symptom"  # a complaint told, with or without a question
# Answered by the rules alone, unless the message names a complaint (then it is one: nlu.safety_triage).
SMALL_TALK_INTENTS = frozenset({"greet", "goodbye", "thanks", "bot_challenge"})
MORE_INTENT = "ask_more"  # "yang lain?": the next passage for the same question
OFFER_ACCEPTED_INTENT = "affirm"  # "ya" to the offer of relief tips (the rules route it only then)
OFFER_ASPECT = "treatment"
FALLBACK_INTENT = "nlu_fallback"  # intent unclear: answered when the message names something to search
# NLU's guess that a message is about something else: searched too (NLU is help, not a gate), and
# refused as out of scope unless the documents answer it well.
OUT_OF_SCOPE_INTENT = "out_of_scope"
EMERGENCY_INTENT = "emergency"  # a red flag by the rules: answered by the rules with 112/119, never searched
# How much of a drug to take, or which to buy: the rules refuse, then the documents' relief advice.
DOSE_INTENT, DOSE_ASPECT = "ask_dose", "treatment"
ANSWERING_INTENTS = frozenset(
    {*ASPECT_OF_INTENT, MORE_INTENT, OFFER_ACCEPTED_INTENT, FALLBACK_INTENT, DOSE_INTENT, OUT_OF_SCOPE_INTENT}
)

# What an answer turn ends in; the rules branch on it (slot answer_status).
EMERGENCY = "emergency"  # it reads as a red flag by meaning: the rules escalate, nothing is searched
ANSWERED = "answered"  # passages from the documents are shown
NO_TOPIC = "no_topic"  # nothing to search for, now or earlier in the conversation ("sakit", "kenapa ya?")
NOT_UNDERSTOOD = "not_understood"  # the same, and NLU was unsure of the intent too
NOT_FOUND = "not_found"  # about the bot's topics, searched, nothing good enough
OUT_OF_SCOPE = "out_of_scope"  # about something else: a body part the articles do not cover, or
# nothing good enough for a question nearer what they do not cover (or that NLU took for that)
NO_MORE = "no_more"  # "yang lain?" found nothing not shown already


# A button's payload sent as the message ("/ask_prevention", '/feedback{"value": "up"}'): Rasa takes
# its intent and entities from it; it has no words of its own.
_PAYLOAD = re.compile(r"/\w+(\{.*\})?", re.DOTALL)


def is_payload(text: str) -> bool:
    """Whether `text` is an intent payload rather than words someone wrote."""
    return bool(_PAYLOAD.fullmatch(text.strip()))


def intent_aspect(intent: str) -> str:
    """The aspect `intent` asks about; general for any other intent."""
    return DOSE_ASPECT if intent == DOSE_INTENT else ASPECT_OF_INTENT.get(intent, GENERAL)
