import pytest

from embeddings.index import IndexSetError
from embeddings.query import Query, Topic, build_query
from embeddings.search import Retriever, mentions_any


@pytest.fixture()
def retriever(small_index, encoder) -> Retriever:
    return Retriever(small_index, encoder, top_k=32, min_score=0.40, second_margin=0.03)


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


def test_answer_hits_abstain_below_the_minimum_score(small_index, encoder):
    strict = Retriever(small_index, encoder, min_score=0.99)
    assert strict.answer_hits(Query("penyebab kram kaki")) == []


def test_a_second_passage_is_shown_only_within_the_margin_of_the_best(small_index, encoder):
    query = build_query("ask_cause", Topic(symptom=("kram",), body_part=("kaki",)))
    none_close = Retriever(small_index, encoder, min_score=0.0, second_margin=0.0).answer_hits(query)
    all_close = Retriever(small_index, encoder, min_score=0.0, second_margin=1.0).answer_hits(query)
    assert len(none_close) == 1
    assert len(all_close) == 2 and all_close[0] == none_close[0]


def test_a_retriever_refuses_an_encoder_of_another_model(small_index):
    from embeddings.encoder import Encoder

    with pytest.raises(IndexSetError):
        Retriever(small_index, Encoder("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"))


def test_mentions_any_looks_at_heading_and_content(small_passages):
    passage = small_passages[0]
    assert mentions_any(passage, ())
    assert mentions_any(passage, (passage.section.lower(),))
    assert not mentions_any(passage, ("kata-yang-tidak-ada",))
