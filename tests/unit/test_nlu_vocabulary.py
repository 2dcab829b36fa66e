"""The NLU data and the dialogue speak the same vocabulary and intents."""

import json
import re
from typing import Dict, Iterator, Set, Tuple

import yaml

import settings
from dialogue.intents import ANSWERING_INTENTS, ASPECT_OF_INTENT, MORE_INTENT
from dialogue.vocabulary import ENTITIES, entity_of

NLU_DIR = settings.ROOT / "bot" / "data" / "nlu"
_PLAIN = re.compile(r"\[([^\]]+)\]\((\w+)\)")
_JSON = re.compile(r"\[([^\]]+)\](\{[^}]*\})")


def _nlu_items() -> Iterator[dict]:
    for path in sorted(NLU_DIR.glob("*.yml")):
        yield from yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]


def _lines(block: str) -> Iterator[str]:
    return (line.lstrip("- ").strip() for line in block.splitlines() if line.strip())


def _synonyms() -> Dict[str, str]:
    table = {}
    for item in _nlu_items():
        if "synonym" in item:
            for variant in _lines(item["examples"]):
                table[variant.lower()] = item["synonym"]
    return table


def _annotations() -> Iterator[Tuple[str, str, str]]:
    """(entity, annotated text, value after synonyms) for every annotation in the NLU data."""
    synonyms = _synonyms()
    for item in _nlu_items():
        if "intent" not in item:
            continue
        for example in _lines(item["examples"]):
            for text, entity in _PLAIN.findall(example):
                yield entity, text, synonyms.get(text.lower(), text.lower())
            for text, meta in _JSON.findall(example):
                data = json.loads(meta)
                yield data["entity"], text, data.get("value", synonyms.get(text.lower(), text.lower()))


def test_every_annotated_value_is_canonical_and_in_the_vocabulary_under_its_entity():
    canonical: Set[str] = set(_synonyms().values())
    unknown = [
        (entity, text, value)
        for entity, text, value in _annotations()
        if value not in canonical or entity_of(value) != entity
    ]
    assert unknown == []


def test_every_synonym_maps_to_a_vocabulary_value():
    assert sorted(value for value in set(_synonyms().values()) if entity_of(value) is None) == []


def test_the_topics_of_the_articles_are_all_trained():
    values = {value for entity, _, value in _annotations() if entity != "context"}
    assert {"kram", "kesemutan", "mati rasa", "kedutan", "kejang", "betis", "kaki", "sindrom kompartemen"} <= values


def test_every_health_intent_has_an_aspect_and_every_aspect_is_an_intent():
    domain = yaml.safe_load((settings.ROOT / "bot" / "domain" / "health.yml").read_text(encoding="utf-8"))
    assert set(domain["intents"]) == set(ASPECT_OF_INTENT) | {MORE_INTENT}
    assert set(domain["entities"]) == set(ENTITIES)


def test_the_rules_send_exactly_the_answering_intents_to_the_answer_action():
    routed = set()
    for path in sorted((settings.ROOT / "bot" / "data" / "rules").glob("*.yml")):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            steps = rule["steps"]
            for position, step in enumerate(steps):
                if step.get("action") != "action_answer_question":
                    continue
                # The user turn before it, past the bot's own responses (ask_dose: utter_no_dose).
                before = [s for s in steps[:position] if not str(s.get("action", "")).startswith("utter_")]
                if before:
                    routed |= {item["intent"] for item in before[-1].get("or", [before[-1]]) if "intent" in item}
    # "affirm" is routed only after the offer of relief tips (the rule's preceding action).
    assert routed == set(ANSWERING_INTENTS)


def test_the_annotations_are_read():
    # Guards the tests above against passing on an empty read.
    assert len(list(_annotations())) > 300


def test_every_answering_intent_marks_the_answer_pending_until_the_action_answers():
    domain = yaml.safe_load((settings.ROOT / "bot" / "domain" / "health.yml").read_text(encoding="utf-8"))
    [from_intent] = [m for m in domain["slots"]["answer_status"]["mappings"] if m["type"] == "from_intent"]
    assert from_intent["value"] == "pending" and set(from_intent["intent"]) == set(ANSWERING_INTENTS)
