"""The labelled retrieval questions are well formed and their labels point at real passages."""

from collections import Counter

from evaluation.questions import answering_ids, load_split, unmatched_phrases


def test_the_set_has_both_splits_every_category_and_enough_questions():
    dev, test = load_split("dev"), load_split("test")
    assert len(dev) + len(test) >= 150
    for split in (dev, test):
        categories = Counter(q.category for q in split)
        assert {"formal", "informal", "en", "follow-up", "out_of_scope"} <= set(categories)
    ids = [q.id for q in dev + test]
    assert len(ids) == len(set(ids))
    assert not {q.text.lower() for q in dev} & {q.text.lower() for q in test}


def test_every_answer_phrase_is_verbatim_in_a_passage(corpus):
    for split in ("dev", "test"):
        assert unmatched_phrases(load_split(split), corpus) == {}


def test_every_in_scope_question_has_an_answering_passage_and_out_of_scope_ones_none(corpus):
    for split in ("dev", "test"):
        for question in load_split(split):
            assert bool(answering_ids(question, corpus)) != question.out_of_scope, question.id
