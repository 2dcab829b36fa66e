from embeddings.query import ASPECT_OF_INTENT, ASPECT_TERMS, Query, Topic, build_query
from knowledge.aspects import ASPECTS


def test_topic_takes_canonical_values_lower_cased_once_each_and_ignores_other_entities():
    topic = Topic.from_entities(
        [
            {"entity": "body_part", "value": "Betis"},
            {"entity": "symptom", "value": "kram"},
            {"entity": "body_part", "value": "betis"},
            {"entity": "context", "value": "malam"},
            {"entity": "drug", "value": "kina"},
        ]
    )
    assert topic == Topic(symptom=("kram",), body_part=("betis",), context=("malam",))


def test_a_context_alone_is_not_a_complaint_but_a_symptom_body_part_or_condition_is():
    assert not Topic(context=("malam",)).names_a_complaint
    assert Topic(symptom=("kram",)).names_a_complaint
    assert Topic(body_part=("betis",)).names_a_complaint
    assert Topic(condition=("varises",)).names_a_complaint


def test_the_query_is_the_aspect_then_the_canonical_terms_then_the_question_words_once_each():
    topic = Topic(symptom=("kram",), body_part=("betis",), context=("malam",))
    assert build_query("cause", topic).text == "penyebab kram betis malam"
    assert build_query("general", topic, ("betis", "sering")).text == "kram betis malam sering"
    query = build_query("prevention", Topic(condition=("varises",)), ("pijat",))
    assert query.text == query.keywords == "cara mencegah varises pijat"
    assert query.aspect == "prevention"


def test_each_named_kind_must_be_mentioned_in_a_form_the_documents_use():
    query = build_query("treatment", Topic(symptom=("kram", "kedutan"), body_part=("betis",), context=("malam",)))
    assert query.must_mention == (
        ("kram", "kejang", "krump", "crump", "spasme", "kedut"),
        ("betis", "gastrocnemius", "kaki", "tungkai"),
    )
    assert query.context == ("malam", "tidur", "mimpi")


def test_a_known_value_counts_as_its_own_entity_whatever_nlu_tagged_it():
    topic = Topic.from_entities([{"entity": "body_part", "value": "anak"}, {"entity": "symptom", "value": "kram"}])
    assert topic == Topic(symptom=("kram",), context=("anak",))


def test_a_value_the_documents_do_not_cover_must_appear_as_itself():
    query = build_query("cause", Topic(symptom=("kram",), body_part=("perut",)))
    assert query.must_mention[1] == ("perut",)
    assert build_query("cause", Topic(context=("malam",))).must_mention == ()


def test_passages_already_shown_are_excluded_and_an_unknown_aspect_is_general():
    query = build_query("nonsense", Topic(symptom=("kram",)), exclude=("a", "b"))
    assert query.exclude == ("a", "b") and query.aspect == "general"


def test_a_plain_query_searches_the_raw_text_and_requires_nothing():
    assert Query.plain("kram betis") == Query("kram betis", "kram betis")


def test_every_intent_asks_about_a_known_aspect_with_words_for_it():
    assert set(ASPECT_OF_INTENT.values()) <= set(ASPECTS) == set(ASPECT_TERMS)


def test_topic_round_trips_through_slot_values():
    topic = Topic(symptom=("mati rasa",), body_part=("kaki",), condition=("neuropati",), context=("berlari",))
    assert Topic.from_values(topic.as_values()) == topic
    assert Topic.from_values({"symptom": None}) == Topic()
