import pytest

from embeddings.fusion import Fusion, ranks, saturate


def test_weighted_fusion_adds_cosine_saturated_bm25_and_the_aspect_boost():
    fusion = Fusion(dense_weight=0.6, lexical_weight=0.4, lexical_half=2.0, aspect_boost=0.1)
    (score,) = fusion.scores([0.5], [2.0], [1.0], [0.0])
    assert score == pytest.approx(0.6 * 0.5 + 0.4 * 0.5 + 0.1)


def test_saturated_bm25_is_bounded_and_half_at_the_half_point():
    assert saturate(0.0, 2.0) == 0.0
    assert saturate(2.0, 2.0) == 0.5
    assert saturate(1e9, 2.0) < 1.0
    assert saturate(-1.0, 2.0) == 0.0


def test_the_aspect_boost_can_lift_a_passage_about_the_aspect_asked_above_a_closer_one():
    fusion = Fusion(aspect_boost=0.1)
    off_aspect, on_aspect = fusion.scores([0.60, 0.55], [3.0, 3.0], [0.0, 1.0], [0.0, 0.0])
    assert on_aspect > off_aspect
    assert Fusion(aspect_boost=0.0).scores([0.60, 0.55], [3.0, 3.0], [0.0, 1.0], [0.0, 0.0])[0] > on_aspect - 0.1


def test_a_passage_that_speaks_of_the_context_asked_is_preferred():
    fusion = Fusion(aspect_boost=0.0, context_boost=0.05)
    elsewhere, in_context = fusion.scores([0.5, 0.5], [2.0, 2.0], [0.0, 0.0], [0.0, 1.0])
    assert in_context == pytest.approx(elsewhere + 0.05)


def test_reciprocal_rank_fusion_depends_on_ranks_only():
    fusion = Fusion(method="rrf", rrf_k=60, aspect_boost=0.0)
    a = fusion.scores([0.9, 0.1, 0.5], [1.0, 9.0, 5.0], [0, 0, 0], [0, 0, 0])
    b = fusion.scores([0.3, 0.01, 0.2], [0.1, 90.0, 0.5], [0, 0, 0], [0, 0, 0])
    assert a == b
    assert a[2] == pytest.approx(0.5 / 62 + 0.5 / 62)


def test_ranks_are_one_based_highest_first_and_stable():
    assert ranks([0.2, 0.9, 0.2, 0.5]) == [3, 1, 4, 2]


def test_fusion_refuses_unknown_methods_and_misaligned_evidence():
    with pytest.raises(ValueError):
        Fusion(method="max")
    with pytest.raises(ValueError):
        Fusion(lexical_half=0)
    with pytest.raises(ValueError):
        Fusion().scores([0.1, 0.2], [1.0], [0.0, 0.0], [0.0, 0.0])
