"""Bad models and unsuitable data get a plain ValueError that says what is wrong."""

from __future__ import annotations

import numpy as np
import pytest

import tandem.measure._cfa_fit as engine
from tandem.measure.cfa import cfa, cfa_from_covariance, chi_square_difference
from tandem.measure.invariance import measurement_invariance, multigroup_cfa

NAMES = ["a1", "a2", "a3", "b1", "b2", "b3"]
TWO = {"A": NAMES[:3], "B": NAMES[3:]}

# Correlations (rounded) of two simulated samples, with the lavaan 0.6-14 verdict on each:
# lavaan::cfa("A =~ a1 + a2 + a3; B =~ b1 + b2 + b3", sample.cov = NO_OPTIMUM,
#             sample.nobs = 150) warns "a solution has NOT been found" (converged FALSE)
NO_OPTIMUM = [
    [1.0, 0.31, 0.26, -0.08, -0.08, 0.1],
    [0.31, 1.0, 0.27, 0.02, -0.09, 0.03],
    [0.26, 0.27, 1.0, -0.09, -0.02, 0.18],
    [-0.08, 0.02, -0.09, 1.0, 0.09, 0.19],
    [-0.08, -0.09, -0.02, 0.09, 1.0, 0.17],
    [0.1, 0.03, 0.18, 0.19, 0.17, 1.0],
]
# lavaan::cfa("A =~ a1 + ... + a5; B =~ b1 + b2 + b3", sample.cov = HEYWOOD, sample.nobs = 465)
# converges with "some estimated ov variances are negative": b2 ~~ b2 = -2.74988571339
HEYWOOD = [
    [1.0, 0.55, 0.62, 0.5, 0.38, -0.04, -0.17, 0.14],
    [0.55, 1.0, 0.65, 0.49, 0.43, -0.08, -0.2, 0.21],
    [0.62, 0.65, 1.0, 0.54, 0.49, -0.06, -0.18, 0.17],
    [0.5, 0.49, 0.54, 1.0, 0.37, -0.03, -0.15, 0.14],
    [0.38, 0.43, 0.49, 0.37, 1.0, -0.02, -0.08, 0.14],
    [-0.04, -0.08, -0.06, -0.03, -0.02, 1.0, 0.33, 0.19],
    [-0.17, -0.2, -0.18, -0.15, -0.08, 0.33, 1.0, 0.31],
    [0.14, 0.21, 0.17, 0.14, 0.14, 0.19, 0.31, 1.0],
]


def sample(n: int = 300, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    f = rng.normal(size=(n, 2))
    return np.repeat(f, 3, axis=1) + rng.normal(scale=0.8, size=(n, 6))


def test_it_needs_more_complete_rows_than_items() -> None:
    x = sample(20)
    x[:15, 0] = np.nan
    with pytest.raises(ValueError, match=r"needs more complete rows than items; got 5 \(15 rows"):
        cfa(x, factors=TWO, columns=NAMES)


def test_it_refuses_an_item_used_twice() -> None:
    with pytest.raises(ValueError, match="'a1' is used by factors 'A' and 'B'"):
        cfa(sample(), factors={"A": NAMES[:3], "B": ["a1", "b1", "b2"]}, columns=NAMES)
    with pytest.raises(ValueError, match="'a1' is used twice in factor 'A'"):
        cfa(sample(), factors={"A": ["a1", "a2", "a1"]}, columns=NAMES)


def test_it_refuses_a_factor_with_one_item() -> None:
    with pytest.raises(ValueError, match="factor 'B' has 1 item"):
        cfa(sample(), factors={"A": NAMES[:3], "B": ["b1"]}, columns=NAMES)


def test_it_names_a_column_that_is_not_there() -> None:
    with pytest.raises(ValueError, match="factor 'A': no column 'a9'"):
        cfa(sample(), factors={"A": ["a1", "a9"]}, columns=NAMES)


def test_a_single_factor_of_two_items_is_not_identified() -> None:
    with pytest.raises(ValueError, match=r"not identified.*a single factor needs at least 3"):
        cfa(sample(), factors={"A": ["a1", "a2"]}, columns=NAMES)


def test_an_item_without_variance_is_named() -> None:
    x = sample()
    x[:, 4] = 3.0
    with pytest.raises(ValueError, match="item 'b2' has no variance"):
        cfa(x, factors=TWO, columns=NAMES)


def test_a_covariance_that_is_not_positive_definite_is_refused() -> None:
    x = sample()
    x[:, 5] = x[:, 3] + x[:, 4]
    with pytest.raises(ValueError, match="not positive definite"):
        cfa(x, factors=TWO, columns=NAMES)


def test_non_convergence_is_said_plainly() -> None:
    with pytest.raises(ValueError, match=r"did not converge.*'b3' has a residual variance"):
        cfa_from_covariance(NO_OPTIMUM, n_obs=150, factors=TWO, columns=NAMES)


def test_the_iteration_limit_is_said_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "MAX_ITER", 1)
    with pytest.raises(ValueError, match=r"did not converge \(after 1 iterations"):
        cfa(sample(), factors=TWO, columns=NAMES)


def test_a_negative_residual_variance_is_noted_as_lavaan_warns() -> None:
    names = ["a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3"]
    result = cfa_from_covariance(
        HEYWOOD, n_obs=465, factors={"A": names[:5], "B": names[5:]}, columns=names
    )
    assert result.residual_variances[6] == pytest.approx(-2.74988571339, abs=1e-4)
    assert result.notes and "'b2' has a negative residual variance" in result.notes[0]


def test_the_difference_test_wants_the_restricted_model_first() -> None:
    x = sample()
    two = cfa(x, factors=TWO, columns=NAMES)
    one = cfa(x, factors={"G": NAMES}, columns=NAMES)
    with pytest.raises(ValueError, match="right order"):
        chi_square_difference(two.fit, one.fit)
    other = cfa(x[:200], factors={"G": NAMES}, columns=NAMES)
    with pytest.raises(ValueError, match="different rows"):
        chi_square_difference(other.fit, two.fit)


def test_a_covariance_must_be_square_and_symmetric() -> None:
    with pytest.raises(ValueError, match="square symmetric"):
        cfa_from_covariance(
            np.ones((3, 4)), n_obs=50, factors={"A": ["a", "b", "c"]}, columns=["a", "b", "c"]
        )


def test_comparing_groups_needs_two_groups_with_rows() -> None:
    x = sample()
    with pytest.raises(ValueError, match=r"at least 2 groups.*found 1 \('only'\)"):
        measurement_invariance(x, groups=["only"] * 300, factors=TWO, columns=NAMES)
    groups = np.array(["a"] * 295 + ["b"] * 5)
    with pytest.raises(ValueError, match="group 'b' has 5 complete rows"):
        measurement_invariance(x, groups=groups, factors=TWO, columns=NAMES)


def test_rows_without_a_group_are_left_out() -> None:
    x = sample()
    groups: list[str | None] = ["a", "b"] * 150
    groups[:10] = [None] * 10
    result = multigroup_cfa(x, groups=groups, factors=TWO, columns=NAMES)
    assert result.n_obs == 290
    assert result.n_dropped == 10


def test_equal_takes_loadings_and_intercepts_only() -> None:
    x = sample()
    groups = ["a", "b"] * 150
    with pytest.raises(ValueError, match="equal takes a list"):
        multigroup_cfa(x, groups=groups, factors=TWO, columns=NAMES, equal=["residuals"])
    with pytest.raises(ValueError, match="equal takes a list"):
        multigroup_cfa(x, groups=groups, factors=TWO, columns=NAMES, equal="loadings")
