"""The red-flag detector: every category, chat spelling, English, negation, and the team's suite."""

import pytest
import yaml

import settings
from safety.normalize import normalize
from safety.red_flags import CATEGORIES, triage

# Phrasings of our own, apart from evaluation/safety_suite.yml.
EMERGENCIES = [
    ("Betis kanan saya bengkak dan merah sejak pulang dari umroh", "dvt_pe"),
    ("kaki kiri bengkak, sakit, abis operasi caesar", "dvt_pe"),
    ("tiba2 sesek napas pdhl betis lg bengkak", "dvt_pe"),
    ("I've got chest pain and I'm coughing blood", "dvt_pe"),
    ("mulut bapak mencong dan tangannya lemas", "stroke"),
    ("ngomongnya pelo sejak tadi pagi", "stroke"),
    ("My wife suddenly can't see out of her left eye", "stroke"),
    ("pantat dan selangkangan kebas, pinggang sakit", "cauda_equina"),
    ("Back pain and I've lost control of my bladder", "cauda_equina"),
    ("kaki kanan tiba-tiba dingin dan pucat, sakit banget", "limb_ischaemia"),
    ("My foot is suddenly cold and blue and I can't move my toes", "limb_ischaemia"),
    ("anak saya kejang2 dan matanya mendelik", "seizure_unconscious"),
    ("He collapsed and is unconscious", "seizure_unconscious"),
    ("habis kecelakaan motor betis keras dan sakitnya makin parah", "compartment"),
    ("kram betis udah 25 menit gk ilang", "prolonged_cramp"),
    ("calf cramp for over an hour", "prolonged_cramp"),
]
CALM = [
    "Betis saya kram setelah main futsal",
    "Kaki kesemutan kalau duduk bersila",
    "Saya tidak sesak napas, cuma betis pegal",
    "betis kram tapi gak bengkak, gak merah, gak panas",
    "No chest pain, no swelling, just a night cramp",
    "Wajah tidak mencong dan bicara jelas, hanya kaki kesemutan",
    "kramnya cuma 2 menit terus hilang",
    "Saya tidak sadar kalau betis saya memar",
    "Kenapa betis saya kejang saat berenang?",
    "Apa saja tanda bahaya kram kaki?",
]


@pytest.mark.parametrize("text, category", EMERGENCIES)
def test_an_emergency_raises_its_category(text, category):
    assert triage(text).category == category


@pytest.mark.parametrize("text", CALM)
def test_an_ordinary_complaint_is_not_an_emergency(text):
    assert not triage(text).emergency, triage(text)


def test_a_denied_sign_is_reported_as_denied_and_the_same_sign_said_is_a_red_flag():
    assert "breathless" in triage("tidak sesak napas").denied
    assert triage("tiba-tiba sesak napas").emergency


def test_chat_spelling_is_normalized():
    assert normalize("gk bs napas tb2, kejang2") == "tidak bisa napas tiba-tiba, kejang-kejang"


def test_the_team_suite_is_fully_recalled_without_false_alarms():
    suite = yaml.safe_load((settings.ROOT / "evaluation" / "safety_suite.yml").read_text(encoding="utf-8"))
    assert set(suite["red_flags"]) == set(CATEGORIES)
    missed = [t for texts in suite["red_flags"].values() for t in texts if not triage(t).emergency]
    calm = [t for texts in suite["calm"].values() for t in texts]
    false_alarms = [t for t in calm if triage(t).emergency]
    assert missed == []
    assert len(false_alarms) <= 0.02 * len(calm), false_alarms
