from embeddings.query import Query, Topic, build_query


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


def test_a_context_alone_is_not_a_complaint_but_a_symptom_or_body_part_is():
    assert not Topic(context=("malam",)).names_a_complaint
    assert Topic(symptom=("kram",)).names_a_complaint
    assert Topic(body_part=("betis",)).names_a_complaint


def test_an_english_question_and_its_indonesian_twin_give_the_same_query():
    # "Why do my calves cramp at night?" after NLU synonyms: calves->betis, cramp->kram, at night->malam
    english = Topic.from_entities(
        [{"entity": "body_part", "value": "betis"}, {"entity": "symptom", "value": "kram"}, {"entity": "context", "value": "malam"}]
    )
    indonesian = Topic.from_values({"symptom": ["kram"], "body_part": ["betis"], "context": ["malam"]})
    assert build_query("ask_cause", english) == build_query("ask_cause", indonesian)
    assert build_query("ask_cause", english).text == "penyebab kram betis malam"


def test_the_query_requires_the_symptom_in_the_forms_the_documents_use():
    query = build_query("ask_treatment", Topic(symptom=("kram", "kedutan")))
    assert query == Query("cara mengatasi dan meredakan kram kedutan", ("kram", "kejang", "krump", "crump", "kedut"))
    assert build_query("ask_cause", Topic(symptom=("gatal",))).must_mention == ("gatal",)
    assert build_query("ask_cause", Topic(body_part=("betis",))).must_mention == ()


def test_topic_round_trips_through_slot_values():
    topic = Topic(symptom=("mati rasa",), body_part=("kaki",), context=("berlari",))
    assert Topic.from_values(topic.as_values()) == topic
    assert Topic.from_values({"symptom": None}) == Topic()
