"""What the dialogue reads in a message: aspect, vocabulary terms, its own topic, follow-up cues."""

import pytest

from dialogue.reading import read


def test_a_question_is_read_for_its_aspect_terms_and_topic(analyzer):
    reading = read("Kenapa betis saya sering kram di malam hari?", [], analyzer)
    assert reading.aspect == "cause"
    assert set(reading.values("symptom")) == {"kram"} and reading.values("body_part") == ("betis",)
    assert reading.values("context") == ("malam",)
    assert reading.subject == ("betis", "kram")  # "malam hari" is its context, "kenapa" how it asks
    assert reading.names_a_complaint and not reading.opens_follow_up and not reading.points_back


def test_chat_spellings_and_english_name_the_same_terms(analyzer):
    chat = read("knp betis gw keram mulu tiap malem", [], analyzer)
    english = read("Why do my calves cramp at night?", [], analyzer)
    for reading in (chat, english):
        assert (reading.values("symptom"), reading.values("body_part"), reading.values("context")) == (
            ("kram",),
            ("betis",),
            ("malam",),
        )
        assert reading.aspect == "cause"


def test_nlu_entities_add_terms_the_words_do_not_show(analyzer):
    reading = read("Apa ini?", [{"entity": "condition", "value": "varises"}], analyzer)
    assert reading.values("condition") == ("varises",)


@pytest.mark.parametrize(
    "text, opens, points",
    [
        ("Bagaimana cara mencegahnya?", False, True),
        ("kalau pas hamil gimana?", True, False),
        ("klo lansia?", True, False),
        ("What about at night?", True, False),
        ("and how do I prevent it?", True, True),
        ("Apakah itu berbahaya?", False, True),
    ],
)
def test_follow_up_cues_are_an_opening_or_a_word_pointing_back(analyzer, text, opens, points):
    reading = read(text, [], analyzer)
    assert (reading.opens_follow_up, reading.points_back) == (opens, points)
    assert not reading.names_a_complaint


@pytest.mark.parametrize("text", ["sakit", "kenapa ya?", "Gejalanya apa saja?", "tolong dong"])
def test_vague_messages_have_nothing_to_search_for(analyzer, text):
    assert not read(text, [], analyzer).has_something_to_search


@pytest.mark.parametrize("text", ["Apa itu radikulopati lumbar?", "kaki saya gatal", "Resep rendang padang?"])
def test_a_topic_outside_the_vocabulary_still_has_something_to_search(analyzer, text):
    assert read(text, [], analyzer).has_something_to_search
