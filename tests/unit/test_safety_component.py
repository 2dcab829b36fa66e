"""SafetyTriage in the NLU pipeline: emergencies and dose questions override DIET's intent."""

from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from nlu.safety_triage import SafetyTriage


def _parsed(text, intent, runner_up="describe_symptom"):
    ranking = [{"name": intent, "confidence": 0.9}, {"name": runner_up, "confidence": 0.1}]
    return Message(
        data={TEXT: text, INTENT: {"name": intent, "confidence": 0.9}, INTENT_RANKING_KEY: ranking, ENTITIES: []}
    )


def _run(message):
    [out] = SafetyTriage().process([message])
    return out.get(INTENT)["name"], [(e["entity"], e["value"]) for e in out.get(ENTITIES)]


def test_a_red_flag_becomes_the_emergency_intent_with_its_category():
    assert _run(_parsed("Wajah ayah tiba-tiba mencong", "ask_cause")) == ("emergency", [("red_flag", "stroke")])


def test_an_emergency_predicted_by_diet_stands_with_a_general_category_when_a_serious_sign_is_named():
    assert _run(_parsed("tolong saya butuh ambulans", "emergency")) == ("emergency", [("red_flag", "general")])


def test_an_emergency_predicted_by_diet_without_a_serious_sign_falls_back_to_the_runner_up():
    assert _run(_parsed("betis tiba-tiba kram saat tidur, harus bagaimana?", "emergency"))[0] == "describe_symptom"


def test_ask_dose_predicted_by_diet_without_a_dose_question_falls_back_to_the_runner_up():
    assert (
        _run(_parsed("minum obat kolesterol jadi sering kram, ada hubungannya?", "ask_dose"))[0] == "describe_symptom"
    )


def test_an_emergency_predicted_for_denied_signs_falls_back_to_the_runner_up():
    assert _run(_parsed("kaki kram tapi tidak sesak napas", "emergency"))[0] == "describe_symptom"


def test_a_dose_question_becomes_ask_dose():
    assert _run(_parsed("berapa mg magnesium sehari?", "ask_treatment")) == ("ask_dose", [])


def test_an_ordinary_question_keeps_its_intent():
    assert _run(_parsed("Kenapa betis saya kram?", "ask_cause")) == ("ask_cause", [])


def test_an_emergency_predicted_for_a_complaint_that_has_passed_falls_back_to_the_runner_up():
    assert _run(_parsed("kaki kanan kebas lalu normal lagi setelah berjalan", "emergency"))[0] == "describe_symptom"


def test_a_demoted_intent_is_never_a_small_talk_one():
    assert _run(_parsed("betis tiba-tiba kram, harus bagaimana?", "emergency", runner_up="affirm"))[0] == "nlu_fallback"
