"""The triage by meaning, fitted on the small index's examples with the real model: it escalates
descriptions no rule names, not ordinary complaints; its category is the nearest emergencies'."""

import numpy as np
import pytest

from dialogue.components import example_vectors
from knowledge.examples import Example
from safety.meaning import MeaningTriage
from safety.red_flags import triage

# Phrasings of our own (not exemplars, not in any evaluation set) that the rules do not name.
UNNAMED_EMERGENCIES = [
    ("Bapak habis nyangkul seharian di sawah, sekarang omongannya ngawur dan badannya panas sekali", "heat_illness"),
    ("After the long hike in the sun my brother is babbling and his skin feels like fire", "heat_illness"),
    ("Anak saya habis upacara lama di lapangan, sekarang ngomongnya tidak karuan dan kulitnya merah kering",
     "heat_illness"),
]
CALM = [
    "Betis saya kram sebentar tadi malam, sekarang sudah baik",
    "Kaki saya kesemutan setelah duduk bersila, lalu hilang",
    "Is it normal for my calf to twitch after a workout?",
]


def _embedded(small_components, text: str) -> np.ndarray:
    return small_components.embedder.embed([triage(text).affirmed or text])[0]


@pytest.mark.parametrize("text, category", UNNAMED_EMERGENCIES)
def test_an_emergency_no_rule_names_is_escalated_by_its_meaning(small_components, text, category):
    assert not triage(text).emergency  # the rules miss it
    alarm = small_components.triage.assess(_embedded(small_components, text))
    assert alarm is not None and alarm.category == category and alarm.probability >= small_components.triage.threshold


@pytest.mark.parametrize("text", CALM)
def test_an_ordinary_complaint_is_not_escalated_by_its_meaning(small_components, text):
    assert small_components.triage.assess(_embedded(small_components, text)) is None


def test_the_triage_needs_exemplars_of_both_kinds_and_a_probability_as_threshold(small_index):
    vectors = example_vectors(small_index)
    answered = [e for e in small_index.examples if e.kind == "answered"]
    with pytest.raises(ValueError, match="emergency and calm"):
        MeaningTriage(answered, vectors[: len(answered)], 0.8)
    with pytest.raises(ValueError, match="threshold"):
        MeaningTriage(small_index.examples, vectors, 1.5)
    with pytest.raises(ValueError):
        MeaningTriage([Example("x")], vectors[:2], 0.8)
