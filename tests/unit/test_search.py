import pytest

from embeddings.encoder import Encoder
from embeddings.index import IndexSetError
from embeddings.query import Query, Topic, build_query
from embeddings.search import Retriever, mentions_all


@pytest.fixture()
def retriever(small_retriever) -> Retriever:
    return small_retriever


def test_search_returns_ranked_hits_best_first(retriever):
    hits = retriever.search("penyebab mati rasa kaki saat berlari", top_k=5)
    assert [hit.rank for hit in hits] == [1, 2, 3, 4, 5]
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


def test_answer_hits_only_keep_passages_that_mention_the_symptom(retriever):
    query = build_query("ask_cause", Topic(symptom=("kesemutan",), body_part=("kaki",)))
    hits = retriever.answer_hits(query)
    assert hits and all("kesemutan" in (h.passage.section + h.passage.content).lower() for h in hits)


def test_answer_hits_abstain_when_no_passage_mentions_the_symptom(retriever):
    assert retriever.answer_hits(build_query("ask_cause", Topic(symptom=("gatal",), body_part=("kaki",)))) == []


def test_a_covered_symptom_in_a_body_part_the_documents_do_not_cover_gets_no_answer(retriever):
    # The same question about the leg is answered: the refusal comes from the body part.
    assert retriever.answer_hits(build_query("ask_cause", Topic(symptom=("kram",), body_part=("kaki",)))) != []
    assert retriever.answer_hits(build_query("ask_cause", Topic(symptom=("kram",), body_part=("perut",)))) == []


def test_answer_hits_abstain_below_the_minimum_score(small_index, encoder):
    query = Query("penyebab kram kaki")
    assert Retriever(small_index, encoder, top_k=32, min_score=0.30, second_margin=0.03).answer_hits(query)
    assert Retriever(small_index, encoder, top_k=32, min_score=0.99, second_margin=0.03).answer_hits(query) == []


def test_a_second_passage_is_shown_only_within_the_margin_of_the_best(small_index, encoder):
    query = build_query("ask_cause", Topic(symptom=("kram",), body_part=("kaki",)))
    none_close = Retriever(small_index, encoder, top_k=32, min_score=0.0, second_margin=0.0).answer_hits(query)
    all_close = Retriever(small_index, encoder, top_k=32, min_score=0.0, second_margin=1.0).answer_hits(query)
    assert len(none_close) == 1
    assert len(all_close) == 2 and all_close[0] == none_close[0]


def test_a_retriever_refuses_an_encoder_of_another_model(small_index):
    with pytest.raises(IndexSetError):
        Retriever(small_index, Encoder("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"), 32, 0.4, 0.03)


def test_a_passage_must_mention_one_form_of_every_group_in_heading_or_content(small_passages):
    passage = small_passages[0]
    heading, word = passage.section.lower(), passage.content.split()[0].lower()
    assert mentions_all(passage, ())
    assert mentions_all(passage, ((heading, "tidak-ada"), (word,)))
    assert not mentions_all(passage, ((heading,), ("tidak-ada",)))
