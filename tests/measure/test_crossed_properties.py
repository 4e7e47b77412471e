"""crossed_reml: invariants (hypothesis), boundary fits, declined designs and bad input."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import tandem.measure.crossed as crossed
from tandem.measure import CrossedFit, crossed_reml
from tests.measure.test_crossed_reference import fitted

REL = 1e-6
ABS = 1e-7


@st.composite
def designs(draw: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A small crossed design: each ratee rated by 2 or more of the raters, 1-5 answers."""
    n_ratees = draw(st.integers(3, 7))
    n_raters = draw(st.integers(3, 7))
    ratee, rater = [], []
    for i in range(n_ratees):
        chosen = draw(st.sets(st.integers(0, n_raters - 1), min_size=2, max_size=n_raters))
        ratee += [i] * len(chosen)
        rater += sorted(chosen)
    values = draw(
        st.lists(
            st.integers(2, 10).map(lambda v: v / 2),
            min_size=len(ratee),
            max_size=len(ratee),
        )
    )
    y, a, b = np.array(values), np.array(ratee), np.array(rater)
    assume(np.ptp(y) > 0)
    assume(np.unique(b).shape[0] >= 2)
    return y, a, b


def fit_of(design: tuple[np.ndarray, np.ndarray, np.ndarray]) -> CrossedFit:
    y, a, b = design
    return crossed_reml(y, ratee=a, rater=b)


def effects(fit: CrossedFit) -> tuple[dict[Any, float], dict[Any, float]]:
    return (
        dict(zip(fit.ratee_ids.tolist(), fit.ratee_effects.tolist(), strict=True)),
        dict(zip(fit.rater_ids.tolist(), fit.rater_effects.tolist(), strict=True)),
    )


def assert_same_variances(
    one: CrossedFit, other: CrossedFit, scale: float = 1.0, rel: float = REL
) -> None:
    for name, value in one.variances.items():
        assert other.variances[name] == pytest.approx(value * scale**2, rel=rel, abs=ABS), name


@given(designs(), st.randoms(use_true_random=False))
@settings(max_examples=40, deadline=None)
def test_reordering_rows_and_renaming_ids_changes_nothing(design: Any, rnd: Any) -> None:
    y, a, b = design
    fit = fit_of(design)
    assume(fit.separable)
    order = np.array(rnd.sample(range(y.shape[0]), y.shape[0]))
    # New names that sort in another order than the old ones.
    ratee_names = np.array([f"p{99 - i:02d}" for i in range(a.max() + 1)])
    rater_names = np.array([f"r{99 - i:02d}" for i in range(b.max() + 1)])
    other = crossed_reml(y[order], ratee=ratee_names[a[order]], rater=rater_names[b[order]])
    assert other.separable == fit.separable and other.boundary == fit.boundary
    assert other.intercept == pytest.approx(fit.intercept, rel=REL, abs=ABS)
    assert other.reml_criterion == pytest.approx(fit.reml_criterion, rel=REL, abs=ABS)
    assert_same_variances(fit, other)
    mine, theirs = effects(fit), effects(other)
    for i, value in mine[0].items():
        assert theirs[0][ratee_names[i]] == pytest.approx(value, abs=1e-6)
    for j, value in mine[1].items():
        assert theirs[1][rater_names[j]] == pytest.approx(value, abs=1e-6)


@given(designs(), st.floats(-50, 50), st.floats(0.1, 20))
@example(
    design=(
        np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.5]),
        np.array([0, 0, 1, 1, 1, 2, 2, 2]),
        np.array([0, 1, 0, 1, 2, 0, 1, 2]),
    ),
    shift=0.0,
    scale=0.5,
)
@settings(max_examples=40, deadline=None)
def test_shifting_moves_only_the_intercept_and_scaling_scales(
    design: Any, shift: float, scale: float
) -> None:
    y, a, b = design
    fit = fit_of(design)
    assume(fit.separable)
    moved = crossed_reml(scale * y + shift, ratee=a, rater=b)
    assert moved.intercept == pytest.approx(scale * fit.intercept + shift, rel=REL, abs=1e-6)
    # Two fits of rescaled data stop at their own tolerances: the variances agree to about
    # 1e-5 of their size (this test in CI found 2.5e-6 apart), not to 1e-6.
    assert_same_variances(fit, moved, scale, rel=1e-5)
    # The model identifies variance ratios (theta squared); next to a zero variance the
    # criterion is flat in theta itself (theta 5e-5 and 7e-5 fit equally well; found by this
    # test in CI), so theta is compared on the scale the variances above are.
    np.testing.assert_allclose(np.square(moved.theta), np.square(fit.theta), rtol=1e-5, atol=1e-8)
    np.testing.assert_allclose(moved.ratee_effects, scale * fit.ratee_effects, atol=1e-6 * scale)
    np.testing.assert_allclose(moved.rater_effects, scale * fit.rater_effects, atol=1e-6 * scale)
    # Only r^2 carries the unit: REMLcrit(k y) = REMLcrit(y) + 2 (n - 1) log k.
    expected = fit.reml_criterion + 2 * (fit.n - 1) * math.log(scale)
    assert moved.reml_criterion == pytest.approx(expected, rel=REL, abs=1e-6)


@given(designs())
@settings(max_examples=60, deadline=None)
def test_each_factors_effects_sum_to_zero_and_intervals_hold_the_score(design: Any) -> None:
    # The mixed-model equations give Z_k' r = u_k / theta_k and 1' r = 0, so sum_k b_k = 0.
    fit = fit_of(design)
    assume(fit.separable)
    assert fit.converged
    assert abs(fit.ratee_effects.sum()) < 1e-8 * (1 + np.abs(fit.ratee_effects).sum())
    assert abs(fit.rater_effects.sum()) < 1e-8 * (1 + np.abs(fit.rater_effects).sum())
    assert min(fit.var_ratee, fit.var_rater) >= 0 and fit.var_residual > 0
    scores = fit.adjusted_scores(level=0.9)
    assert (scores.lower <= scores.score).all() and (scores.score <= scores.upper).all()
    # The prediction error adds the intercept's uncertainty to lme4's conditional variance.
    assert (scores.se >= fit.ratee_effect_sd - 1e-12).all()


@given(designs())
@settings(max_examples=40, deadline=None)
def test_swapping_ratee_and_rater_swaps_the_answers(design: Any) -> None:
    y, a, b = design
    fit = fit_of(design)
    assume(fit.separable)
    swapped = crossed_reml(y, ratee=b, rater=a)
    assert swapped.var_ratee == pytest.approx(fit.var_rater, rel=REL, abs=ABS)
    assert swapped.var_rater == pytest.approx(fit.var_ratee, rel=REL, abs=ABS)
    assert swapped.reml_criterion == pytest.approx(fit.reml_criterion, rel=REL, abs=ABS)
    np.testing.assert_allclose(swapped.rater_effects, fit.ratee_effects, atol=1e-6)
    np.testing.assert_allclose(swapped.ratee_effects, fit.rater_effects, atol=1e-6)


def general_optimum(design: tuple[np.ndarray, np.ndarray, np.ndarray]) -> float:
    """The lowest criterion bounded L-BFGS-B finds with numerical gradients (scipy, not Newton)."""
    import scipy.optimize

    y, a, b = design
    _, ratee_idx = np.unique(a, return_inverse=True)
    _, rater_idx = np.unique(b, return_inverse=True)
    arranged = crossed._Design(y, ratee_idx, rater_idx)

    def deviance(theta: np.ndarray) -> float:
        point = crossed._evaluate(arranged, theta**2)
        return math.inf if point is None else point.deviance

    result = scipy.optimize.minimize(
        deviance,
        np.sqrt(crossed._start(arranged)),
        method="L-BFGS-B",
        bounds=[(0.0, math.sqrt(crossed.PSI_MAX))] * 2,
        options={"ftol": 1e-15, "gtol": 1e-9, "eps": 1e-7},
    )
    return float(result.fun)


@given(designs())
@settings(max_examples=30, deadline=None)
def test_newton_finds_a_criterion_no_higher_than_a_general_optimiser(design: Any) -> None:
    fit = fit_of(design)
    assume(fit.separable)
    general = general_optimum(design)
    assert fit.reml_criterion <= general + 1e-9 * abs(general)


def sparse_path(patch: pytest.MonkeyPatch) -> None:
    """Send every design, however small, down the sparse path."""
    patch.setattr(crossed, "DENSE_LEVELS", 0)
    patch.setattr(crossed, "DENSE_MAX_LEVELS", 0)


@given(designs())
@settings(max_examples=40, deadline=None)
def test_the_sparse_path_fits_what_the_dense_one_fits(design: Any) -> None:
    """Boundary fits included: a ratio at 0 leaves the Schur complement diagonal."""
    dense = fit_of(design)
    with pytest.MonkeyPatch.context() as patch:
        sparse_path(patch)
        sparse = fit_of(design)
    assert sparse.separable == dense.separable
    assume(dense.separable)
    assert sparse.boundary == dense.boundary
    assert sparse.reml_criterion == pytest.approx(dense.reml_criterion, rel=1e-9, abs=1e-9)
    assert_same_variances(dense, sparse)
    np.testing.assert_allclose(sparse.ratee_effect_sd, dense.ratee_effect_sd, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(sparse.rater_effect_sd, dense.rater_effect_sd, rtol=1e-6, atol=1e-9)


def test_the_sparse_path_agrees_with_the_dense_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond 5,000 levels on both sides the Schur complement is factored sparsely."""
    dense = fitted("sim360")
    monkeypatch.setattr(crossed, "DENSE_LEVELS", 10)
    y, a, b = (np.asarray(v) for v in sim360_columns())
    sparse = crossed_reml(y, ratee=a, rater=b)
    assert sparse.converged
    # The same Newton steps with the same exact gradient: the same fit, to the stopping rule.
    for name, value in dense.variances.items():
        assert sparse.variances[name] == pytest.approx(value, rel=1e-8)
    assert sparse.reml_criterion == pytest.approx(dense.reml_criterion, rel=1e-13)
    np.testing.assert_allclose(sparse.ratee_effects, dense.ratee_effects, atol=1e-8)
    np.testing.assert_allclose(sparse.rater_effects, dense.rater_effects, atol=1e-8)
    np.testing.assert_allclose(sparse.ratee_effect_sd, dense.ratee_effect_sd, rtol=1e-8)
    np.testing.assert_allclose(sparse.rater_effect_sd, dense.rater_effect_sd, rtol=1e-8)
    np.testing.assert_allclose(sparse.ratee_prediction_var, dense.ratee_prediction_var, rtol=1e-8)


def team_design(teams: int, size: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Everyone rates the others in their own team of ``size``, plus one person next door."""
    rng = np.random.default_rng(seed)
    people = teams * size
    ratee, rater = [], []
    for person in range(people):
        team = person // size
        mates = [team * size + k for k in range(size) if team * size + k != person]
        for other in [*mates, (person + size) % people]:
            ratee.append(person)
            rater.append(other)
    a, b = np.array(ratee), np.array(rater)
    y = rng.normal(0, 0.6, people)[a] + rng.normal(0, 0.3, people)[b] + rng.normal(0, 0.5, a.size)
    return y, a, b


def test_a_design_whose_factor_fills_in_is_solved_densely(monkeypatch: pytest.MonkeyPatch) -> None:
    """Raters drawn at random from the whole group fill the sparse factor in (about 8,700 pairs
    per level here), teams in a ring do not (about 800)."""
    monkeypatch.setattr(crossed, "DENSE_LEVELS", 10)
    rng = np.random.default_rng(3)
    a = np.repeat(np.arange(300), 6)
    b = rng.integers(0, 300, a.size)
    y = rng.normal(size=a.size)
    assert crossed._Design(y, a, b).dense
    y, a, b = team_design(30, 10, seed=3)
    assert not crossed._Design(y, a, b).dense
    monkeypatch.setattr(crossed, "DENSE_MAX_LEVELS", 100)  # too many levels for the dense path
    a = np.repeat(np.arange(300), 6)
    assert not crossed._Design(rng.normal(size=a.size), a, rng.integers(0, 300, a.size)).dense


def test_a_team_design_fits_the_same_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    y, a, b = team_design(40, 8, seed=5)
    dense = crossed_reml(y, ratee=a, rater=b)
    sparse_path(monkeypatch)
    sparse = crossed_reml(y, ratee=a, rater=b)
    assert dense.converged and sparse.converged
    assert sparse.reml_criterion == pytest.approx(dense.reml_criterion, rel=1e-13)
    assert_same_variances(dense, sparse, rel=1e-9)
    np.testing.assert_allclose(sparse.ratee_prediction_var, dense.ratee_prediction_var, rtol=1e-9)
    np.testing.assert_allclose(sparse.rater_effect_sd, dense.rater_effect_sd, rtol=1e-9)


def sim360_columns() -> tuple[list[float], list[str], list[str]]:
    import csv

    from tests.measure.refdata import REFERENCE

    with (REFERENCE / "sim360_crossed.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [float(r["score"]) for r in rows], [r["ratee"] for r in rows], [r["rater"] for r in rows]


BOUNDARY = (
    [5, 4, 4, 3, 4, 3, 2, 3, 3, 5, 4, 5],
    ["ana"] * 3 + ["ben"] * 3 + ["cy"] * 3 + ["dee"] * 3,
    ["r1", "r2", "r3", "r2", "r3", "r4", "r3", "r4", "r1", "r4", "r1", "r2"],
)


def test_a_boundary_fit_says_so_like_lme4() -> None:
    """R: lmer(y ~ 1 + (1 | ratee) + (1 | rater), REML = TRUE) on these 12 ratings gives a
    singular fit: rater variance 0, ratee 0.7314816, residual 0.3333333, REMLcrit 27.6946777751,
    intercept 3.75 (lme4 1.1-31)."""
    y, ratee, rater = BOUNDARY
    fit = crossed_reml(y, ratee=ratee, rater=rater)
    assert fit.converged and fit.separable
    assert fit.boundary == ("rater",)
    assert fit.var_rater == 0.0 and fit.theta[1] == 0.0
    assert fit.var_ratee == pytest.approx(0.7314816, rel=1e-6)
    assert fit.var_residual == pytest.approx(0.3333333, rel=1e-6)
    assert fit.reml_criterion == pytest.approx(27.6946777751, rel=1e-10)
    assert fit.intercept == pytest.approx(3.75)
    np.testing.assert_array_equal(fit.rater_effects, 0.0)
    assert "boundary fit" in fit.note and "rater variance is estimated at 0" in fit.note


def test_missing_values_are_dropped_and_counted() -> None:
    y, ratee, rater = BOUNDARY
    fit = crossed_reml(
        [*y, math.nan, math.nan], ratee=[*ratee, "ana", "zoe"], rater=[*rater] * 1 + ["r1", "r9"]
    )
    clean = crossed_reml(y, ratee=ratee, rater=rater)
    assert (fit.n, fit.n_dropped) == (12, 2)
    assert fit.reml_criterion == clean.reml_criterion
    assert "zoe" not in fit.ratee_ids.tolist() and "r9" not in fit.rater_ids.tolist()


@pytest.mark.parametrize(
    ("values", "ratee", "rater", "message"),
    [
        ([1, 2, 3], ["a", "a", "a"], ["x", "y", "z"], "at least 2 ratees and 2 raters"),
        ([1, 2, 3], ["a", "b", "c"], ["x", "x", "x"], "got 3 ratee(s) and 1 rater(s)"),
        ([1, 2, math.nan], ["a", "b", "c"], ["x", "x", "y"], "got 2 ratee(s) and 1 rater(s)"),
        ([1, 2, 3], ["a", "b"], ["x", "y", "z"], "ratee has 2 ids for 3 values"),
        ([1, 2, math.inf, 3], ["a", "b", "a", "b"], ["x", "y", "y", "x"], "infinite"),
        ([3, 3, 3, 3], ["a", "b", "a", "b"], ["x", "y", "y", "x"], "the same value"),
        ([[1, 2], [3, 4]], ["a", "b"], ["x", "y"], "must be 1-D"),
        (["4", "5"], ["a", "b"], ["x", "y"], "must be numeric"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(
    values: Any, ratee: Any, rater: Any, message: str
) -> None:
    with pytest.raises(ValueError) as caught:
        crossed_reml(values, ratee=ratee, rater=rater)
    assert message in str(caught.value)


def test_a_bad_level_is_refused() -> None:
    y, ratee, rater = BOUNDARY
    with pytest.raises(ValueError, match="between 0 and 1"):
        crossed_reml(y, ratee=ratee, rater=rater).adjusted_scores(level=95)
