"""Simulated 360s with known rater leniencies: the adjustment helps, and says when it cannot.

Each simulation follows tests/reference/ref_crossed.R: 300 ratees whose true standing has SD
0.45, raters whose leniency has SD 0.35, and noise of SD 0.55 on a scale centred at 3.4. A
score is judged by how close it comes to the ratee's true score ``3.4 + standing``.

Measured over the eight seeds below (numbers are the means over seeds):

* 6 raters per ratee drawn from 150 colleagues (each rates about 12 people): root mean square
  error of the raw means 0.267, of the adjusted scores 0.207 (22% smaller); correlation with the
  true standing 0.859 -> 0.887. Shrinking raw means toward the mean with the *true* variances
  (the best a one-way model could do) reaches only 0.228: the rest is leniency removed. 95%
  intervals cover the true score 95.4% of the time.
* 6 raters per ratee from 5,000 colleagues (almost every rater rates one person): raw 0.259,
  adjusted 0.222, one-way shrinkage 0.223. With few raters seen on more than one person there is
  little leniency to learn, and the gain falls to what shrinkage alone gives, while the
  intervals stay honest (95.3%).
* One rater per ratee: Tandem declines (``separable`` False) and shows the plain means.
"""

from __future__ import annotations

import numpy as np
import pytest

from tandem.measure import crossed_reml

SEEDS = range(8)
MU, SD_TRUE, SD_LENIENCY, SD_NOISE = 3.4, 0.45, 0.35, 0.55


def simulate(
    seed: int, *, ratees: int = 300, pool: int = 150, per_ratee: int = 6
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ratings, ratee ids, rater ids and each ratee's true score."""
    rng = np.random.default_rng(seed)
    standing = rng.normal(0, SD_TRUE, ratees)
    leniency = rng.normal(0, SD_LENIENCY, pool)
    ratee = np.repeat(np.arange(ratees), per_ratee)
    rater = np.concatenate([rng.choice(pool, per_ratee, replace=False) for _ in range(ratees)])
    y = MU + standing[ratee] + leniency[rater] + rng.normal(0, SD_NOISE, ratee.shape[0])
    return y, ratee, rater, MU + standing


def rmse(estimate: np.ndarray, truth: np.ndarray) -> float:
    return float(np.sqrt(np.mean((estimate - truth) ** 2)))


def measure(pool: int) -> dict[str, float]:
    """Mean over seeds of RMSE (raw, adjusted, one-way oracle), correlations and coverage."""
    rows = []
    for seed in SEEDS:
        y, ratee, rater, truth = simulate(seed, pool=pool)
        scores = crossed_reml(y, ratee=ratee, rater=rater).adjusted_scores()
        # The best a one-way model could do: shrink raw means with the true variances.
        k = 6
        weight = k * SD_TRUE**2 / (k * SD_TRUE**2 + SD_LENIENCY**2 + SD_NOISE**2)
        shrunk = MU + weight * (scores.raw_mean - MU)
        rows.append(
            [
                rmse(scores.raw_mean, truth),
                rmse(scores.score, truth),
                rmse(shrunk, truth),
                np.corrcoef(scores.raw_mean, truth)[0, 1],
                np.corrcoef(scores.score, truth)[0, 1],
                np.mean((scores.lower <= truth) & (truth <= scores.upper)),
            ]
        )
    names = ["raw", "adjusted", "one_way", "r_raw", "r_adjusted", "coverage"]
    return dict(zip(names, np.mean(rows, axis=0).tolist(), strict=True))


def test_adjusted_scores_recover_true_standing_better_than_raw_means() -> None:
    m = measure(pool=150)
    assert m["raw"] == pytest.approx(0.267, abs=0.002)
    assert m["adjusted"] == pytest.approx(0.207, abs=0.002)
    assert m["adjusted"] < 0.8 * m["raw"]  # 22% smaller
    assert m["adjusted"] < m["one_way"] - 0.02  # more than shrinkage: leniency removed
    assert m["r_adjusted"] > m["r_raw"] + 0.025  # 0.859 -> 0.887
    assert 0.94 <= m["coverage"] <= 0.97


def test_with_raters_seen_once_the_gain_falls_to_shrinkage_and_intervals_stay_honest() -> None:
    m = measure(pool=5000)
    assert m["adjusted"] < m["raw"]
    assert abs(m["adjusted"] - m["one_way"]) < 0.005  # 0.222 vs 0.223
    assert 0.94 <= m["coverage"] <= 0.97


def test_one_rater_per_ratee_who_rates_no_one_else_is_declined() -> None:
    rng = np.random.default_rng(1)
    y = MU + rng.normal(0, 0.7, 40)
    ids = [f"p{i}" for i in range(40)]
    fit = crossed_reml(y, ratee=ids, rater=[f"r{i}" for i in range(40)])
    scores = fit.adjusted_scores()
    assert not fit.separable and not scores.adjusted
    assert "every rater rates exactly one ratee" in fit.note
    np.testing.assert_allclose(scores.score, scores.raw_mean)
    assert np.isnan(scores.se).all() and np.isnan(fit.ratee_effects).all()
    assert np.isnan([fit.var_ratee, fit.var_rater, fit.var_residual, fit.intercept]).all()


def test_each_ratee_rated_only_by_their_manager_is_declined() -> None:
    """A manager rating their five reports: manager leniency and team quality look the same."""
    rng = np.random.default_rng(2)
    manager = np.repeat(np.arange(8), 5)
    y = MU + rng.normal(0, 0.45, 40) + rng.normal(0, 0.35, 8)[manager]
    fit = crossed_reml(y, ratee=np.arange(40), rater=manager)
    scores = fit.adjusted_scores()
    assert not fit.separable and not scores.adjusted
    assert "every ratee has exactly one rater" in fit.note
    np.testing.assert_allclose(scores.score, scores.raw_mean)
    np.testing.assert_array_equal(scores.n_raters, 1)
