import pytest

import settings
from embeddings.fusion import Fusion, saturate
from embeddings.search import configured_fusion


def _fusion(**weights) -> Fusion:
    values = dict(
        dense_weight=0.0,
        example_weight=0.0,
        lexical_weight=0.0,
        lexical_half=2.0,
        aspect_boost=0.0,
        term_boost=0.0,
        scope_penalty=0.0,
    )
    return Fusion(**{**values, **weights})


def test_fusion_adds_both_cosines_saturated_bm25_and_the_boosts():
    fusion = _fusion(dense_weight=0.3, example_weight=0.7, lexical_weight=0.2, aspect_boost=0.1, term_boost=0.05)
    (score,) = fusion.scores([0.8], [0.9], [2.0], [1.0], [0.5])
    assert score == pytest.approx(0.3 * 0.8 + 0.7 * 0.9 + 0.2 * 0.5 + 0.1 + 0.05 * 0.5)


def test_saturated_bm25_is_bounded_and_half_at_the_half_point():
    assert saturate(0.0, 2.0) == 0.0
    assert saturate(2.0, 2.0) == 0.5
    assert saturate(1e9, 2.0) < 1.0
    assert saturate(-1.0, 2.0) == 0.0


def test_the_aspect_boost_can_lift_a_passage_about_the_aspect_asked_above_a_closer_one():
    off_aspect, on_aspect = _fusion(dense_weight=1.0, aspect_boost=0.1).scores(
        [0.60, 0.55], [0, 0], [0, 0], [0.0, 1.0], [0, 0]
    )
    assert on_aspect > off_aspect


def test_a_question_nearer_an_out_of_scope_example_loses_score_on_every_passage_and_a_nearer_answered_one_none():
    fusion = _fusion(dense_weight=1.0, scope_penalty=2.0)
    assert fusion.scores([0.9, 0.8], [0, 0], [0, 0], [0, 0], [0, 0], out_of_scope_gap=0.05) == pytest.approx([0.8, 0.7])
    assert fusion.scores([0.9, 0.8], [0, 0], [0, 0], [0, 0], [0, 0], out_of_scope_gap=-0.05) == pytest.approx(
        [0.9, 0.8]
    )


def test_fusion_refuses_negative_weights_a_bad_half_and_misaligned_evidence():
    with pytest.raises(ValueError):
        _fusion(dense_weight=-1.0)
    with pytest.raises(ValueError):
        _fusion(lexical_half=0)
    with pytest.raises(ValueError):
        _fusion().scores([0.1, 0.2], [0.1], [1.0, 1.0], [0.0, 0.0], [0.0, 0.0])


def test_the_default_settings_make_a_valid_fusion_whose_cosines_add_to_one():
    fusion = configured_fusion(settings.load({}))
    assert fusion.dense_weight + fusion.example_weight == pytest.approx(1.0)
