"""The complete-data path of the pairwise sums gives what the general path gives."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.measure.correlation import pairwise_correlation, pairwise_covariance
from tandem.measure.reliability import cronbach_alpha, omega_from_correlation, omega_total


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(3, 60),
    columns=st.integers(2, 6),
    seed=st.integers(0, 2**31 - 1),
    whole=st.booleans(),
)
def test_complete_tables_match_the_pairwise_path(rows, columns, seed, whole) -> None:  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 6, size=(rows, columns)).astype(float)
    if not whole:
        x += rng.normal(scale=0.3, size=x.shape)
    # One extra row with nothing answered sends the same table down the general path.
    general = np.vstack([x, np.full((1, columns), np.nan)])
    np.testing.assert_allclose(
        pairwise_covariance(x), pairwise_covariance(general), rtol=1e-12, atol=1e-12
    )
    np.testing.assert_allclose(
        pairwise_correlation(x), pairwise_correlation(general), rtol=1e-12, atol=1e-12
    )


def test_omega_from_alphas_covariance_is_omega_from_the_answers() -> None:
    rng = np.random.default_rng(4)
    x = rng.integers(1, 6, size=(400, 5)).astype(np.int8)
    x[:, 1:] = np.clip(x[:, :1] + rng.integers(-1, 2, size=(400, 4)), 1, 5)
    reverse = [False, True, False, False, False]
    result = cronbach_alpha(x, reverse=reverse)
    sd = np.sqrt(np.diag(result.covariance))
    from_alpha = omega_from_correlation(result.covariance / np.outer(sd, sd)).omega_total
    keyed = np.where(np.array(reverse), 6 - x.astype(float), x)
    assert abs(from_alpha - omega_total(keyed).omega_total) < 1e-12
