"""Example questions: labels resolved to passages, stale labels refused, out-of-scope examples read
from the NLU data; none is an evaluation question."""

import pytest

import settings
from evaluation.questions import asked, comparable
from knowledge.examples import (
    EXAMPLES_PATH,
    Example,
    answered_examples,
    examples_from_jsonl,
    examples_to_jsonl,
    out_of_scope_examples,
)


def test_every_passage_is_answered_by_an_example_question(corpus, examples):
    answered = {pid for example in examples for pid in example.passage_ids}
    assert answered == {p.id for p in corpus}


def test_a_label_that_matches_no_passage_is_refused_with_its_question(tmp_path, corpus):
    stale = tmp_path / "examples.yml"
    stale.write_text('questions:\n  - {text: "Apa ini?", answers: ["kalimat yang tidak ada di artikel mana pun"]}\n')
    with pytest.raises(ValueError, match="Apa ini"):
        answered_examples(corpus, stale)


def test_out_of_scope_examples_come_from_the_nlu_data_and_answer_nothing():
    found = out_of_scope_examples(settings.load({}).out_of_scope_nlu_path)
    assert len(found) > 100 and not any(example.in_scope for example in found)


def test_examples_survive_jsonl(examples):
    assert examples_from_jsonl(examples_to_jsonl(examples)) == examples
    expected = {"text": "x", "passage_ids": (), "kind": "out_of_scope", "category": "", "aspect": ""}
    assert Example("x").to_dict() == expected


def test_no_evaluation_question_is_an_example_question(examples):
    evaluated = asked()
    assert EXAMPLES_PATH.is_file() and len(evaluated) > 300
    assert [e.text for e in examples if comparable(e.text) in evaluated] == []


def test_no_example_question_is_a_near_copy_of_an_evaluation_question(examples):
    """Word sets overlapping by three quarters or more count as a copy with small edits."""
    evaluated = [set(text.split()) for text in asked()]
    near = [
        e.text
        for e in examples
        if any(
            len(words & other) / len(words | other) >= 0.75
            for words in [set(comparable(e.text).split())]
            for other in evaluated
        )
    ]
    assert near == []
