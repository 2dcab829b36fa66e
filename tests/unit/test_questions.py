"""The labelled retrieval questions are well formed, their labels point at real passages, and none
of them is also NLU training data."""

from collections import Counter

import yaml

import settings
from evaluation.questions import answering_ids, asked, comparable, load_split, unmatched_phrases

NLU_DIR = settings.ROOT / "bot" / "data" / "nlu"


def _training_examples():
    for path in sorted(NLU_DIR.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in (item.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    yield path.name, line.strip()[2:]


def test_the_set_has_both_splits_every_category_and_enough_questions():
    dev, test = load_split("dev"), load_split("test")
    assert len(dev) + len(test) >= 300
    for split in (dev, test):
        categories = Counter(q.category for q in split)
        assert {"formal", "informal", "en", "follow-up", "out_of_scope"} <= set(categories)
        assert categories["out_of_scope"] >= 20
    ids = [q.id for q in dev + test]
    assert len(ids) == len(set(ids))
    assert not {q.text.lower() for q in dev} & {q.text.lower() for q in test}


def test_no_evaluation_question_or_earlier_turn_is_nlu_training_data():
    evaluated = asked()
    copied = [
        (name, example, evaluated[comparable(example)])
        for name, example in _training_examples()
        if comparable(example) in evaluated
    ]
    assert copied == []


def test_no_nlu_example_is_a_near_copy_of_an_evaluation_question():
    """Word sets overlapping by three quarters or more count as a copy with small edits."""
    evaluated = [set(text.split()) for text in asked()]
    near = [
        (name, example)
        for name, example in _training_examples()
        for words in [set(comparable(example).split())]
        if any(len(words & other) / len(words | other) >= 0.75 for other in evaluated)
    ]
    assert near == []


def test_every_answer_phrase_is_verbatim_in_a_passage(corpus):
    for split in ("dev", "test"):
        assert unmatched_phrases(load_split(split), corpus) == {}


def test_every_in_scope_question_has_an_answering_passage_and_out_of_scope_ones_none(corpus):
    for split in ("dev", "test"):
        for question in load_split(split):
            assert bool(answering_ids(question, corpus)) != question.out_of_scope, question.id
