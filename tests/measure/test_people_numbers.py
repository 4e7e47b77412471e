"""Scale scores, self vs others, norms, the leader/manager profile and reliable change."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.measure import (
    NormTable,
    index_scores,
    item_flags,
    load_instrument,
    place_profile,
    rank_item_flags,
    reliable_change,
    reverse_key,
    score_instrument,
    score_scales,
    self_other_agreement,
)

MEMBERSHIP = [[1, 0], [1, 0], [1, 0], [1, 0], [0, 1], [0, 1]]


def test_a_scale_counts_only_with_half_its_items_answered() -> None:
    nan = np.nan
    answers = [[5, 4, nan, nan, 3, 3], [5, nan, nan, nan, 3, nan]]
    result = score_scales(
        answers, membership=MEMBERSHIP, reverse=[False] * 6, scale_min=1, scale_max=5
    )
    assert result.scores[0].tolist() == [4.5, 3.0]
    assert np.isnan(result.scores[1, 0]) and result.scores[1, 1] == 3.0
    stricter = score_scales(
        answers,
        membership=MEMBERSHIP,
        reverse=[False] * 6,
        scale_min=1,
        scale_max=5,
        min_answered=0.75,
    )
    assert np.isnan(stricter.scores[0, 0])


def test_reverse_keying_is_max_plus_min_minus_x() -> None:
    assert reverse_key(
        [[1, 2, 5]], reverse=[True, True, False], scale_min=1, scale_max=5
    ).tolist() == [[5.0, 4.0, 5.0]]
    result = score_scales(
        [[5, 1, 5, 5, 1, 1]],
        membership=MEMBERSHIP,
        reverse=[False, True, False, False, False, False],
        scale_min=1,
        scale_max=5,
    )
    assert result.scores.tolist() == [[5.0, 1.0]]


def test_answers_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError, match=r"answer 7 in row 1, column 2 is outside 1\.\.5"):
        score_scales(
            [[1, 7, 1, 1, 1, 1]],
            membership=MEMBERSHIP,
            reverse=[False] * 6,
            scale_min=1,
            scale_max=5,
        )


def test_the_instrument_not_observed_code_counts_as_missing() -> None:
    inst = load_instrument("tandem-lm-1")
    answers = np.full((1, len(inst.items)), 4.0)
    answers[0, :3] = 0  # "not observed" on three planning items: 3 of 6 still answered
    scores = score_instrument(answers, inst).scores
    assert scores[0, 0] == pytest.approx((4 + 4 + 2) / 3)  # pb5 is reverse-keyed: 6 - 4


def test_agreement_categories_follow_the_rule() -> None:
    result = self_other_agreement(
        [4.6, 3.0, 4.0, 3.0, np.nan], [4.0, 3.6, 4.1, 3.1, 3.0], sd=1.0, reference=3.5
    )
    assert result.category.tolist() == [
        "over-estimator",
        "under-estimator",
        "in-agreement/good",
        "in-agreement/poor",
        "",
    ]
    wider = self_other_agreement([4.6], [4.0], sd=1.0, reference=3.5, cut=1.0)
    assert wider.category.tolist() == ["in-agreement/good"]


@given(st.floats(1, 5), st.floats(1, 5), st.floats(0.1, 2), st.floats(0, 2))
def test_swapping_self_and_others_swaps_over_and_under(
    s: float, o: float, sd: float, cut: float
) -> None:
    a = self_other_agreement([s], [o], sd=sd, reference=3.0, cut=cut).category[0]
    b = self_other_agreement([o], [s], sd=sd, reference=3.0, cut=cut).category[0]
    swap = {"over-estimator": "under-estimator", "under-estimator": "over-estimator"}
    if a in swap:
        assert b == swap[a]


def test_blind_spots_and_hidden_strengths_are_ranked() -> None:
    self_items = np.array([5.0, 2.0, 4.5, 3.0])
    others = np.array([3.0, 4.0, 2.0, 3.0])
    flags = item_flags(self_items, others, sd=1.0, reference=3.5)
    blind, hidden = rank_item_flags(flags, self_items, others)
    assert [f.index for f in blind] == [2, 0]
    assert [f.index for f in hidden] == [1]


def test_norm_percentiles_are_mid_ranks_and_survive_a_round_trip() -> None:
    population = np.array([[1.0], [2.0], [2.0], [3.0], [4.0]])
    norms = NormTable().fit(population, columns=["x"])
    assert norms.percentile([[2.0], [0.0], [9.0]]).ravel().tolist() == [40.0, 0.0, 100.0]
    assert norms.t_score([[2.4]])[0, 0] == pytest.approx(50.0)
    again = NormTable.from_dict(norms.to_dict())
    np.testing.assert_array_equal(again.percentile(population), norms.percentile(population))
    assert again.value_at(50).tolist() == [2.0]


@given(st.lists(st.floats(1, 5), min_size=3, max_size=60), st.floats(1, 5), st.floats(1, 5))
def test_percentiles_never_decrease(values: list[float], a: float, b: float) -> None:
    norms = NormTable().fit(np.array(values)[:, None])
    lo, hi = sorted([a, b])
    p = norms.percentile([[lo], [hi]]).ravel()
    assert 0 <= p[0] <= p[1] <= 100


def test_norm_table_errors() -> None:
    with pytest.raises(ValueError, match="not fitted"):
        NormTable().percentile([[1.0]])
    with pytest.raises(ValueError, match="not a Tandem norm file"):
        NormTable.from_dict({"format": "x"})
    with pytest.raises(ValueError, match="no column 'y'"):
        NormTable().fit([[1.0], [2.0]], columns=["x"]).column("y")


def test_profile_labels_and_borderline() -> None:
    profile = place_profile(
        [4.0, 4.0, 2.0, 2.0, 3.52],
        [4.0, 2.0, 4.0, 2.0, 4.0],
        leadership_cut=3.5,
        management_cut=3.5,
        leadership_sem=0.1,
        management_sem=0.1,
    )
    assert profile.placement.tolist() == [
        "leader-manager",
        "leader",
        "manager",
        "emerging",
        "borderline",
    ]
    assert profile.leaning[-1] == "leader-manager" and profile.borderline.tolist()[-1]
    certain = place_profile([3.52], [4.0], leadership_cut=3.5, management_cut=3.5)
    assert certain.placement.tolist() == ["leader-manager"]


def test_indices_need_every_member_scale() -> None:
    scores = [[4.0, 2.0, np.nan], [4.0, 2.0, 3.0]]
    result = index_scores(scores, scale_ids=["a", "b", "c"], members=["a", "c"])
    assert np.isnan(result[0]) and result[1] == 3.5
    with pytest.raises(ValueError, match="unknown"):
        index_scores(scores, scale_ids=["a", "b", "c"], members=["z"])


def test_reliable_change_follows_jacobson_truax() -> None:
    change = reliable_change([3.0, 3.0, 3.0], [3.7, 3.3, 2.2], sd=0.5, reliability=0.84)
    s_diff = np.sqrt(2) * 0.5 * np.sqrt(0.16)
    np.testing.assert_allclose(change.rci, np.array([0.7, 0.3, -0.8]) / s_diff)
    assert change.direction.tolist() == ["increase", "no reliable change", "decrease"]
    assert change.critical == pytest.approx(1.959964, abs=1e-6)
