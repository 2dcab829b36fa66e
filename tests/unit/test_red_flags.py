"""The red-flag detector: every category, chat spelling, English, negation, and the team's suite."""

import pytest

from evaluation.conversations import SUITE_PARTS, suite_conversations
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
    ("anak saya kejang2 dan matanya mendelik", "seizure"),
    ("He collapsed and is unconscious", "collapse"),
    ("Abis lari 10K siang bolong, temen gw ngelantur dan kulitnya panas", "heat_illness"),
    ("After a marathon in the midday sun he stopped sweating and keeps vomiting", "heat_illness"),
    ("hampir pingsan pas jogging, jantungnya berdebar kencang", "collapse"),
    ("Rai separo mati rasa, sikil tengen ujug-ujug lemes", "stroke"),
    ("Bitis abdi bareuh, beureum, haneut, jeung nyeri pisan", "dvt_pe"),
    ("Wentisku kram wiwit esuk nganti saiki durung mari", "prolonged_cramp"),
    ("Suku abdi keram 3 jam teu eureun-eureun", "prolonged_cramp"),
    ("habis kecelakaan motor betis keras dan sakitnya makin parah", "compartment"),
    ("kram betis udah 25 menit gk ilang", "prolonged_cramp"),
    ("calf cramp for over an hour", "prolonged_cramp"),
    ("Suku abdi keram ti tadi subuh, ayeuna geus beurang can cageur", "prolonged_cramp"),
    ("Sikilku keram ket mau isuk ora uwis-uwis", "prolonged_cramp"),
    ("Otot betisku ngunci dari tadi sore sampai sekarang", "prolonged_cramp"),
    ("My calf has been locked in a cramp for hours and won't let go", "prolonged_cramp"),
    ("Pak Ujang ragrag tina tangkal, ayeuna teu ngarespon", "collapse"),
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
    "kram betis 15 menit lalu hilang sendiri",  # it eased
    "Betis saya kram sejak pagi dan sering kambuh",  # cramps that come and go, not one that lasts
    "Kram betis dari pagi tadi, sekarang sudah hilang",
    "Can cramps go away by themselves?",
    "I can run for hours without a cramp",
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


@pytest.mark.parametrize(
    "text, denied, affirmed",
    [
        ("Tidak ada bengkak atau nyeri dada, cuma kram malam", {"swelling", "chest"}, "cuma kram malam"),
        ("Hamil 30 minggu, tidak ada bengkak atau nyeri dada. Kenapa kram?", {"swelling", "chest"},
         "Hamil 30 minggu. Kenapa kram?"),
        ("no swelling, no chest pain, just cramps", {"swelling", "chest"}, "just cramps"),
        ("My calf has no swelling, redness or pain", {"swelling", "red_warm", "pain"}, "My calf has"),
        ("gak ada tanda-tanda seperti bengkak maupun sesak napas", {"swelling", "breathless"}, ""),
        ("ora abuh, ora lara dada, mung keram", {"swelling", "chest"}, "mung keram"),
    ],
)
def test_a_denial_reaches_every_sign_listed_after_it(text, denied, affirmed):
    found = triage(text)
    assert not found.emergency
    assert denied <= found.denied
    assert found.affirmed == affirmed


def test_only_denials_of_serious_signs_are_cut_from_the_message():
    assert triage("Bagaimana supaya tidak kram lagi?").affirmed == "Bagaimana supaya tidak kram lagi?"


@pytest.mark.parametrize(
    "text",
    [
        "Betis tidak bengkak, tapi tiba-tiba sesak napas dan nyeri dada",
        "Betis tidak bengkak, nyeri dada sejak pagi",  # a comma without an "atau" ends the list
        "kaki tidak bengkak, tidak tahu kenapa, dada sakit dan sesak",
        "No swelling and now I'm coughing blood",
    ],
)
def test_a_denial_stops_at_the_end_of_its_list(text):
    assert triage(text).emergency


def test_chat_spelling_is_normalized():
    assert normalize("gk bs napas tb2, kejang2") == "tidak bisa napas tiba-tiba, kejang-kejang"


def test_the_team_suite_that_the_rules_were_written_on_is_fully_recalled_without_false_alarms():
    suite = [c for part in SUITE_PARTS for c in suite_conversations(part)]
    assert {c.category for c in suite if c.kind == "red_flag"} == set(CATEGORIES) - {"heat_illness"}
    missed = [c.last.text for c in suite if c.kind == "red_flag" and not triage(c.last.text).emergency]
    calm = [c.last.text for c in suite if c.kind == "calm"]
    false_alarms = [text for text in calm if triage(text).emergency]
    assert missed == []
    assert len(false_alarms) <= 0.02 * len(calm), false_alarms
