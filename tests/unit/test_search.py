"""Hybrid search over a small real index (two articles, their example questions, the real model)."""

from dataclasses import replace

import pytest

from embeddings.encoder import Encoder
from embeddings.index import IndexSetError, PassageIndex
from embeddings.search import Query, Retriever, aspect_match, mentioned_share


def _retriever(small_retriever, **changes) -> Retriever:
    return small_retriever.replaced(**changes)


def test_search_ranks_passages_best_first_with_their_evidence(small_retriever):
    hits = small_retriever.search(Query("Apa penyebab kaki mati rasa saat berlari?"))
    assert [hit.rank for hit in hits] == list(range(1, len(hits) + 1))
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert hits[0].lexical > 0 and -1 <= hits[0].dense <= 1 and -1 <= hits[0].example <= 1


def test_the_question_itself_is_searched_so_a_condition_outside_the_vocabulary_is_found(small_retriever):
    hits = small_retriever.answer_hits(Query("Apa itu sindrom pelampiasan pergelangan kaki?"))
    assert hits and "pelampiasan" in hits[0].passage.content.lower()


def test_a_passage_found_only_lexically_is_a_candidate_with_its_cosine(small_retriever):
    narrow = _retriever(small_retriever, top_k=1)
    hits = narrow.search(Query("sindrom kompartemen kronis cecs"))
    assert any("ompartemen" in hit.passage.content for hit in hits)
    assert all(-1 <= hit.dense <= 1 for hit in hits)


def test_a_passage_without_example_questions_is_scored_by_its_own_cosine(small_passages, encoder, small_retriever):
    bare = _retriever(small_retriever, index=PassageIndex.build(small_passages, encoder))
    hits = bare.search(Query("Apa penyebab kaki mati rasa saat berlari?"))
    assert hits and all(hit.example == hit.dense for hit in hits)


def test_an_example_question_like_the_one_asked_lifts_its_passage(small_retriever, small_examples):
    example = next(e for e in small_examples if e.in_scope)
    hits = small_retriever.search(Query(example.text))
    assert hits[0].passage.id in example.passage_ids and hits[0].example > 0.99


def test_a_question_like_an_out_of_scope_example_scores_lower_with_the_penalty(small_retriever, small_examples):
    question = next(e for e in small_examples if not e.in_scope).text
    lenient = _retriever(small_retriever, fusion=replace(small_retriever.fusion, scope_penalty=0.0)).search(
        Query(question)
    )
    strict = small_retriever.search(Query(question))
    assert strict[0].score < lenient[0].score


def test_answer_hits_abstain_below_the_minimum_score(small_retriever):
    query = Query("kram kaki saat berlari")
    assert _retriever(small_retriever, min_score=0.0).answer_hits(query)
    assert _retriever(small_retriever, min_score=5.0).answer_hits(query) == []


def test_a_second_passage_is_shown_only_within_the_margin_of_the_best(small_retriever):
    query = Query("kram kaki saat berlari")
    none_close = _retriever(small_retriever, min_score=0.0, second_margin=0.0).answer_hits(query)
    all_close = _retriever(small_retriever, min_score=0.0, second_margin=5.0, max_chars=10_000).answer_hits(query)
    assert len(none_close) == 1
    assert len(all_close) == 2 and all_close[0] == none_close[0]


def test_a_second_passage_is_selected_only_when_the_first_leaves_room(small_retriever):
    query = Query("kram kaki saat berlari")
    roomy = _retriever(small_retriever, min_score=0.0, second_margin=5.0, max_chars=10_000).answer_hits(query)
    tight = _retriever(small_retriever, min_score=0.0, second_margin=5.0, max_chars=len(roomy[0].passage.content) + 199)
    assert len(roomy) == 2 and len(tight.answer_hits(query)) == 1


def test_the_aspect_asked_lifts_the_passages_about_it(small_retriever):
    question = Query("kram kaki", aspect="treatment")
    boosted = _retriever(small_retriever, fusion=replace(small_retriever.fusion, aspect_boost=1.0)).search(question)
    assert boosted[0].passage.aspects[0] == "treatment"


def test_a_passage_mentioning_the_terms_named_is_lifted(small_retriever):
    plain = Query("kram kaki")
    named = Query("kram kaki", mentions=(("kompartemen",),))
    boosted = _retriever(small_retriever, fusion=replace(small_retriever.fusion, term_boost=1.0))
    assert "kompartemen" in boosted.search(named)[0].passage.content.lower()
    assert boosted.search(plain)[0].score < boosted.search(named)[0].score


def test_passages_already_shown_are_not_found_again(small_retriever):
    first = small_retriever.search(Query("kram kaki saat berlari"))[0]
    again = small_retriever.search(Query("kram kaki saat berlari", exclude=(first.passage.id,)))
    assert first.passage.id not in {hit.passage.id for hit in again}


def test_aspect_match_counts_the_main_aspect_fully_and_others_half(small_passages):
    passage = next(p for p in small_passages if len(p.aspects) > 1)
    assert aspect_match(passage, passage.aspects[0]) == 1.0
    assert aspect_match(passage, passage.aspects[1]) == 0.5
    assert aspect_match(passage, "general") == 0.0


def test_mentioned_share_counts_the_groups_found_in_title_heading_or_text(small_passages):
    passage = small_passages[0]
    heading, word = passage.section.lower(), passage.content.split()[0].lower()
    assert mentioned_share(passage, ()) == 0.0
    assert mentioned_share(passage, ((heading, "tidak-ada"), (word,))) == 1.0
    assert mentioned_share(passage, ((heading,), ("tidak-ada",))) == 0.5


def test_a_retriever_refuses_an_encoder_of_another_model(small_retriever):
    with pytest.raises(IndexSetError):
        _retriever(small_retriever, encoder=Encoder("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"))


class _CountingEncoder:
    def __init__(self, encoder: Encoder) -> None:
        self.model_name, self.encoder, self.calls = encoder.model_name, encoder, 0

    def encode_queries(self, texts):
        self.calls += 1
        return self.encoder.encode_queries(texts)


@pytest.mark.parametrize("query_cache, encodings", [(4, 1), (0, 2)])
def test_a_repeated_query_is_embedded_once_unless_the_cache_is_off(small_retriever, query_cache, encodings):
    encoder = _CountingEncoder(small_retriever.encoder)
    retriever = _retriever(small_retriever, encoder=encoder, query_cache=query_cache)
    first, again = (retriever.search(Query("kram betis di malam hari")) for _ in range(2))
    assert encoder.calls == encodings and first == again
