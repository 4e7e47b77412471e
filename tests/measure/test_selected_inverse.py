"""The selected inverse: S^-1 where the sparse factor has entries, against numpy's inverse."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse
from scipy.sparse import linalg as splinalg

from tandem.measure._selected_inverse import selected_inverse


def factored(s: sparse.csc_matrix) -> tuple[np.ndarray, object]:
    """``S``'s selected inverse through SuperLU's symmetric ``L D L'``, and the factor."""
    factor = splinalg.splu(
        s, permc_spec="MMD_AT_PLUS_A", diag_pivot_thresh=0.0, options={"SymmetricMode": True}
    )
    assert np.array_equal(factor.perm_r, factor.perm_c)
    return factor.perm_c, factor


@given(st.integers(2, 60), st.floats(0.5, 6.0), st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None)
def test_every_entry_in_the_pattern_is_the_inverse(size: int, degree: float, seed: int) -> None:
    rng = np.random.default_rng(seed)
    a = sparse.random(size, size, density=min(1.0, degree / size), random_state=rng, format="csc")
    s = (a @ a.T + sparse.identity(size)).tocsc()
    perm, factor = factored(s)
    inverse = selected_inverse(factor.L, factor.U.diagonal())
    full = np.linalg.inv(s.toarray())
    # The factor is of P S P': its (i, k) is S's (iperm i, iperm k).
    iperm = np.argsort(perm)
    lower = sparse.coo_matrix(factor.L)
    expected = full[iperm[lower.row], iperm[lower.col]]
    np.testing.assert_allclose(inverse.at(lower.row, lower.col), expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(inverse.at(lower.col, lower.row), expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(inverse.diagonal[perm], np.diag(full), rtol=1e-9)


def test_a_place_outside_the_pattern_is_refused() -> None:
    s = sparse.csc_matrix(np.diag([2.0, 3.0, 4.0]))
    _, factor = factored(s)
    inverse = selected_inverse(factor.L, factor.U.diagonal())
    np.testing.assert_allclose(inverse.diagonal, [0.5, 1 / 3, 0.25])
    with pytest.raises(ValueError, match="outside the factor's pattern"):
        inverse.at(np.array([0]), np.array([2]))


def test_a_chain_takes_one_column_per_depth() -> None:
    """A tridiagonal matrix: each column's only neighbour is its parent, n levels deep."""
    n = 200
    s = sparse.diags([-np.ones(n - 1), 2.5 * np.ones(n), -np.ones(n - 1)], [-1, 0, 1]).tocsc()
    perm, factor = factored(s)
    inverse = selected_inverse(factor.L, factor.U.diagonal())
    np.testing.assert_allclose(inverse.diagonal[perm], np.diag(np.linalg.inv(s.toarray())))


def test_a_plan_is_reused_for_a_factor_of_the_same_pattern() -> None:
    rng = np.random.default_rng(7)
    a = sparse.random(80, 80, density=0.04, random_state=rng, format="csc")
    first = (a @ a.T + sparse.identity(80)).tocsc()
    second = (0.3 * (a @ a.T) + 2.0 * sparse.identity(80)).tocsc()  # the same places
    _, factor = factored(first)
    plan = selected_inverse(factor.L, factor.U.diagonal()).plan
    perm, factor = factored(second)
    assert plan.matches(sparse.csc_matrix(factor.L).sorted_indices())
    reused = selected_inverse(factor.L, factor.U.diagonal(), plan)
    assert reused.plan is plan
    np.testing.assert_allclose(reused.diagonal[perm], np.diag(np.linalg.inv(second.toarray())))
    # A plan for another pattern is not used.
    _, other = factored(sparse.identity(80, format="csc") * 2.0)
    assert selected_inverse(other.L, other.U.diagonal(), plan).plan is not plan
