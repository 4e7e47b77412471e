"""Invariants of the numeric functions (hypothesis), and their input checks."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tandem.measure import (
    ad_m,
    bliese_icc,
    cronbach_alpha,
    icc,
    omega_total,
    pairwise_covariance,
    rwg,
    rwg_j,
    score_interval,
    standard_error_of_measurement,
)

likert = hnp.arrays(
    np.int8, st.tuples(st.integers(5, 40), st.integers(2, 6)), elements=st.integers(1, 5)
)


def usable(x: np.ndarray) -> bool:
    """Every item varies and the summed score varies (else alpha is undefined)."""
    f = np.asarray(x, float)
    return bool(np.all(f.std(axis=0) > 0) and f.sum(axis=1).std() > 0)


@settings(max_examples=60)
@given(likert)
def test_alpha_never_exceeds_one(x: np.ndarray) -> None:
    assume(usable(x))
    result = cronbach_alpha(x)
    # NaN (undefined, e.g. standardised items that cancel out) is allowed; above 1 is not.
    assert not result.raw_alpha > 1 + 1e-12
    assert not result.std_alpha > 1 + 1e-12
    assert not np.any(np.abs(result.r_drop) > 1 + 1e-12)


@settings(max_examples=60)
@given(likert, st.randoms(use_true_random=False))
def test_reordering_respondents_changes_nothing(x: np.ndarray, rnd: object) -> None:
    assume(usable(x))
    order = list(range(x.shape[0]))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    a, b = cronbach_alpha(x), cronbach_alpha(x[order])
    assert a.raw_alpha == pytest.approx(b.raw_alpha, rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(a.alpha_if_dropped, b.alpha_if_dropped, rtol=1e-9, atol=1e-12)


@settings(max_examples=60)
@given(likert)
def test_reverse_keys_equal_flipping_the_data(x: np.ndarray) -> None:
    assume(usable(x))
    reverse = np.arange(x.shape[1]) % 2 == 1
    flipped = np.where(reverse, 6 - x, x)
    assume(usable(flipped))
    a = cronbach_alpha(x, reverse=reverse, scale_min=1, scale_max=5)
    b = cronbach_alpha(flipped)
    assert a.raw_alpha == pytest.approx(b.raw_alpha, rel=1e-9, abs=1e-12)
    assert a.mean == pytest.approx(b.mean, rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(a.raw_r, b.raw_r, rtol=1e-9, atol=1e-12)


@settings(max_examples=40)
@given(likert)
def test_integer_and_float_paths_agree(x: np.ndarray) -> None:
    assume(usable(x))
    a, b = cronbach_alpha(x), cronbach_alpha(x.astype(float))
    assert a.raw_alpha == pytest.approx(b.raw_alpha, rel=1e-9, abs=1e-12)
    assert a.sd == pytest.approx(b.sd, rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(a.raw_r, b.raw_r, rtol=1e-9, atol=1e-12)


def test_complete_data_gives_the_textbook_alpha() -> None:
    rng = np.random.default_rng(3)
    x = rng.integers(1, 6, size=(200, 4)) + rng.integers(0, 2, size=(200, 1))
    c = np.cov(x, rowvar=False)
    expected = 4 / 3 * (1 - np.trace(c) / c.sum())
    assert cronbach_alpha(x).raw_alpha == pytest.approx(expected, abs=1e-12)


def test_pairwise_covariance_equals_numpy_without_missing() -> None:
    x = np.random.default_rng(4).normal(size=(50, 3))
    np.testing.assert_allclose(pairwise_covariance(x), np.cov(x, rowvar=False), atol=1e-12)


def test_alpha_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match="at least 2 items"):
        cronbach_alpha(np.ones((5, 1)))
    with pytest.raises(ValueError, match="item '2' has no variance"):
        cronbach_alpha([[1, 3], [2, 3], [3, 3]])
    with pytest.raises(ValueError, match="the items cancel out"):
        cronbach_alpha([[1, 3], [2, 2], [3, 1]])
    with pytest.raises(ValueError, match="one flag per item"):
        cronbach_alpha([[1, 2], [2, 3], [3, 3]], reverse=[True])
    with pytest.raises(ValueError, match="numeric"):
        cronbach_alpha([["a", "b"], ["c", "d"]])


def test_omega_needs_three_items_and_is_at_most_one() -> None:
    with pytest.raises(ValueError, match="at least 3 items"):
        omega_total(np.random.default_rng(1).normal(size=(20, 2)))
    x = np.random.default_rng(2).normal(size=(300, 1)) + np.random.default_rng(3).normal(
        size=(300, 5)
    )
    result = omega_total(x)
    assert result.converged and 0 < result.omega_total <= 1


tables = hnp.arrays(
    np.float64,
    st.tuples(st.integers(3, 12), st.integers(2, 6)),
    elements=st.integers(1, 9).map(float),
)


@settings(max_examples=60)
@given(tables, st.randoms(use_true_random=False))
def test_icc_ignores_the_order_of_targets(x: np.ndarray, rnd: object) -> None:
    assume(np.ptp(x.mean(axis=1)) > 0 and np.ptp(x) > 0)
    order = list(range(x.shape[0]))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    a, b = icc(x), icc(x[order])
    for fa, fb in zip(a.forms, b.forms, strict=True):
        if abs(fa.value) > 1e6:  # a denominator that is 0 in exact arithmetic: only rounding
            assert abs(fb.value) > 1e6  # decides the sign and size, in any order of targets
            continue
        assert fa.value == pytest.approx(fb.value, rel=1e-9, abs=1e-9)


@settings(max_examples=60)
@given(tables, st.floats(-5, 5))
def test_icc3_ignores_a_judge_who_adds_a_constant(x: np.ndarray, shift: float) -> None:
    assume(np.ptp(x.mean(axis=1)) > 0)
    moved = x.copy()
    moved[:, 0] += shift
    assume(icc(x).ms_error > 1e-9)
    assert icc(moved).icc3.value == pytest.approx(icc(x).icc3.value, rel=1e-9, abs=1e-9)


def test_a_perfectly_consistent_table_has_icc3_of_one() -> None:
    result = icc([[3.0, 2.0], [2.0, 1.0], [5.0, 4.0]])  # judge 2 = judge 1 - 1: no error
    assert result.icc3.value == 1.0 and result.icc3k.value == 1.0
    assert result.icc3.f == float("inf")


def test_icc_needs_a_complete_table() -> None:
    with pytest.raises(ValueError, match="row 2, column 1 is empty"):
        icc([[1, 2], [np.nan, 3], [2, 2]])


@settings(max_examples=60)
@given(hnp.arrays(np.int64, st.integers(4, 60), elements=st.integers(1, 5)), st.data())
def test_rwg_and_rwg_j_stay_between_zero_and_one(values: np.ndarray, data: st.DataObject) -> None:
    groups = np.array(
        data.draw(st.lists(st.integers(0, 3), min_size=values.size, max_size=values.size))
    )
    for result in (
        rwg(values, groups, scale_points=5),
        rwg_j(np.column_stack([values, values[::-1]]), groups, scale_points=5),
    ):
        finite = result.values[~np.isnan(result.values)]
        assert np.all((finite >= 0) & (finite <= 1))
    deviation = ad_m(values, groups)
    assert np.all(deviation.values >= 0)


def test_perfect_agreement_gives_rwg_one_and_ad_zero() -> None:
    groups = [1, 1, 1, 2, 2]
    assert rwg([4, 4, 4, 2, 2], groups, scale_points=5).values.tolist() == [1.0, 1.0]
    assert ad_m([4, 4, 4, 2, 2], groups).values.tolist() == [0.0, 0.0]


def test_one_member_groups_have_no_rwg() -> None:
    result = rwg_j([[1, 2], [2, 2], [5, 5]], ["a", "a", "b"], scale_points=5)
    assert np.isnan(result.values[1]) and result.sizes.tolist() == [2, 1]


def test_bliese_icc_rejects_a_single_group() -> None:
    with pytest.raises(ValueError, match="at least 2 groups"):
        bliese_icc([1, 2, 3], ["a", "a", "a"])


def test_sem_and_interval() -> None:
    sem = standard_error_of_measurement(sd=[1.0, 2.0], reliability=[0.75, 0.91])
    np.testing.assert_allclose(sem, [0.5, 0.6])
    ci = score_interval([3.0], sem=0.5, level=0.9)
    assert ci.lower[0] == pytest.approx(3 - 1.6448536 * 0.5, abs=1e-6)
    with pytest.raises(ValueError, match="reliability must be between 0 and 1"):
        standard_error_of_measurement(sd=1.0, reliability=1.2)
    with pytest.raises(ValueError, match="level must be between 0 and 1"):
        score_interval([1.0], sem=0.1, level=95)
