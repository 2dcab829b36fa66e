"""The dose guard: how much to take and which drug to buy are refused; other questions are not."""

import pytest

from safety.doses import asks_for_dose


@pytest.mark.parametrize(
    "text",
    [
        "berapa mg magnesium untuk kram?",
        "Dosis kina untuk kram malam?",
        "obat kram kaki yang ampuh apa ya",
        "mending beli suplemen kalium merk apa",
        "How much magnesium should I take per day?",
        "Which pills should I buy for night cramps?",
    ],
)
def test_dose_and_drug_choice_questions_are_caught(text):
    assert asks_for_dose(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kenapa betis saya kram?",
        "Apakah kekurangan magnesium bisa membuat kaki sering kram?",
        "Apakah obat tertentu bisa menyebabkan kram kaki?",
        "Berapa banyak air yang perlu diminum supaya tidak kram?",
        "Berapa lama kram biasanya berlangsung?",
    ],
)
def test_ordinary_questions_are_not(text):
    assert not asks_for_dose(text)
