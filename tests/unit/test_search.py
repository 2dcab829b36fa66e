import pytest

import settings
from embeddings.encoder import Encoder
from embeddings.fusion import Fusion
from embeddings.index import IndexSetError
from embeddings.query import Query, Topic, build_query
from embeddings.search import Retriever, aspect_match, mentions_all


def _retriever(small_retriever, **changes) -> Retriever:
    return small_retriever.replaced(**changes)


def test_search_ranks_eligible_passages_best_first_with_their_evidence(small_retriever):
    hits = small_retriever.search(Query.plain("penyebab mati rasa kaki saat berlari"))
    assert [hit.rank for hit in hits] == list(range(1, len(hits) + 1))
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert hits[0].lexical > 0 and -1 <= hits[0].dense <= 1


def test_a_passage_found_only_lexically_is_a_candidate_with_its_cosine(small_retriever):
    narrow = _retriever(small_retriever, top_k=1)
    hits = narrow.search(Query.plain("sindrom kompartemen kronis cecs"))
    assert 1 <= len(hits) <= 2
    assert any("ompartemen" in hit.passage.content for hit in hits)


def test_answer_hits_only_keep_passages_that_mention_the_symptom(small_retriever):
    hits = small_retriever.answer_hits(build_query("cause", Topic(symptom=("kesemutan",), body_part=("kaki",))))
    assert all("kesemutan" in (h.passage.section + h.passage.content).lower() for h in hits)


def test_answer_hits_abstain_when_no_passage_mentions_the_symptom(small_retriever):
    assert small_retriever.answer_hits(build_query("cause", Topic(symptom=("gatal",), body_part=("kaki",)))) == []


def test_a_covered_symptom_in_a_body_part_the_documents_do_not_cover_gets_no_answer(small_retriever):
    # The same question about the leg is answered: the refusal comes from the body part.
    assert small_retriever.answer_hits(build_query("cause", Topic(symptom=("kram",), body_part=("kaki",)))) != []
    assert small_retriever.answer_hits(build_query("cause", Topic(symptom=("kram",), body_part=("perut",)))) == []


def test_answer_hits_abstain_below_the_minimum_score(small_retriever):
    query = build_query("cause", Topic(symptom=("kram",), body_part=("kaki",)))
    assert _retriever(small_retriever, min_score=0.0).answer_hits(query)
    assert _retriever(small_retriever, min_score=5.0).answer_hits(query) == []


def test_a_second_passage_is_shown_only_within_the_margin_of_the_best(small_retriever):
    query = build_query("cause", Topic(symptom=("kram",), body_part=("kaki",)))
    none_close = _retriever(small_retriever, min_score=0.0, second_margin=0.0).answer_hits(query)
    all_close = _retriever(small_retriever, min_score=0.0, second_margin=5.0, max_chars=10_000).answer_hits(query)
    assert len(none_close) == 1
    assert len(all_close) == 2 and all_close[0] == none_close[0]


def test_the_aspect_asked_lifts_the_passages_about_it(small_retriever):
    topic = Topic(symptom=("kram",), body_part=("kaki",))
    without = _retriever(small_retriever, fusion=Fusion(aspect_boost=0.0)).search(build_query("treatment", topic))
    boosted = _retriever(small_retriever, fusion=Fusion(aspect_boost=1.0)).search(build_query("treatment", topic))
    assert boosted[0].passage.aspects[0] == "treatment"
    assert [h.passage.id for h in boosted] != [h.passage.id for h in without] or without[0].passage.aspects[0] == "treatment"


def test_a_second_passage_is_selected_only_when_the_first_leaves_room(small_retriever):
    query = build_query("cause", Topic(symptom=("kram",), body_part=("kaki",)))
    roomy = _retriever(small_retriever, min_score=0.0, second_margin=5.0, max_chars=10_000).answer_hits(query)
    tight = _retriever(small_retriever, min_score=0.0, second_margin=5.0, max_chars=len(roomy[0].passage.content) + 199)
    assert len(roomy) == 2 and len(tight.answer_hits(query)) == 1


def test_passages_already_shown_are_not_found_again(small_retriever):
    query = build_query("cause", Topic(symptom=("kram",), body_part=("kaki",)))
    first = small_retriever.search(query)[0]
    again = small_retriever.search(build_query("cause", Topic(symptom=("kram",), body_part=("kaki",)), exclude=(first.passage.id,)))
    assert first.passage.id not in {hit.passage.id for hit in again}


def test_aspect_match_counts_the_main_aspect_fully_and_others_half(small_passages):
    passage = next(p for p in small_passages if len(p.aspects) > 1)
    assert aspect_match(passage, passage.aspects[0]) == 1.0
    assert aspect_match(passage, passage.aspects[1]) == 0.5
    assert aspect_match(passage, "general") == 0.0


def test_a_retriever_refuses_an_encoder_of_another_model(small_retriever):
    with pytest.raises(IndexSetError):
        _retriever(small_retriever, encoder=Encoder("sentence-transformers/paraphrase-multilingual-MiniLM-L12-v2"))


def test_a_passage_must_mention_one_form_of_every_group_in_heading_or_content(small_passages):
    passage = small_passages[0]
    heading, word = passage.section.lower(), passage.content.split()[0].lower()
    assert mentions_all(passage, ())
    assert mentions_all(passage, ((heading, "tidak-ada"), (word,)))
    assert not mentions_all(passage, ((heading,), ("tidak-ada",)))


def test_the_default_settings_make_a_valid_fusion():
    defaults = settings.load({})
    assert defaults.fusion_method in ("weighted", "rrf") and defaults.stemming


class _CountingEncoder:
    def __init__(self, encoder: Encoder) -> None:
        self.model_name, self.encoder, self.calls = encoder.model_name, encoder, 0

    def encode(self, texts):
        self.calls += 1
        return self.encoder.encode(texts)


@pytest.mark.parametrize("query_cache, encodings", [(4, 1), (0, 2)])
def test_a_repeated_query_is_embedded_once_unless_the_cache_is_off(small_retriever, query_cache, encodings):
    encoder = _CountingEncoder(small_retriever.encoder)
    retriever = _retriever(small_retriever, encoder=encoder, query_cache=query_cache)
    first, again = (retriever.search(Query.plain("kram betis di malam hari")) for _ in range(2))
    assert encoder.calls == encodings and first == again
