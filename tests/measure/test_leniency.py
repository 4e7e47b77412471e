"""cycle_leniency: which adjusted scores a report may show, checked by a reader doing algebra.

The reader of one person's report sees the person's others' scores (means of the ratings about
the person, per shown group) and the adjusted score. With the variance ratios fixed, the
adjusted score is a linear combination ``c'y`` of every rating (tested below against the fit),
so the reader's knowledge is a matrix of linear forms. A combination of them involving only
the ratings of a set ``G`` of raters exists exactly when removing ``G``'s columns lowers the
rank. We give the reader more than the report shows (the variance ratios, the intercept's
weights, the design) and check that no set of raters below the minimum is singled out
whenever the rule shows the score, and that the check does find the leak in a design the rule
declines.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pytest

from tandem.measure import crossed_reml
from tandem.measure.leniency import FEW_CONNECTED, FEW_LINKED, NO_SPREAD, cycle_leniency


def weights(ratee: np.ndarray, rater: np.ndarray, theta: tuple[float, float], p: int) -> np.ndarray:
    """``c`` with ``adjusted score of p = c'y`` at fixed variance ratios (GLS + BLUP)."""
    n = ratee.shape[0]
    z1 = np.eye(ratee.max() + 1)[ratee]
    z2 = np.eye(rater.max() + 1)[rater]
    v = np.eye(n) + theta[0] ** 2 * z1 @ z1.T + theta[1] ** 2 * z2 @ z2.T
    w = np.linalg.inv(v)
    ones = np.ones(n)
    beta = ones @ w / (ones @ w @ ones)
    blup = theta[0] ** 2 * z1[:, p] @ w @ (np.eye(n) - np.outer(ones, beta))
    return beta + blup


def leaks(forms: np.ndarray, unknown: np.ndarray, protected: list[np.ndarray]) -> list[int]:
    """Indices of protected column sets on which some combination of ``forms`` lives."""
    m = forms[:, unknown]
    cols = np.flatnonzero(unknown)
    rank = np.linalg.matrix_rank(m, tol=1e-9)
    found = []
    for k, members in enumerate(protected):
        keep = ~np.isin(cols, members)
        if np.linalg.matrix_rank(m[:, keep], tol=1e-9) < rank:
            found.append(k)
    return found


def reader_forms(
    ratee: np.ndarray, rater: np.ndarray, group: list[str], c: np.ndarray, p: int
) -> np.ndarray:
    """What the reader of p's report sees: per-group and all-others means, and ``c``."""
    forms = []
    about = ratee == p
    for g in sorted(set(group)):
        rows = about & (np.array(group) == g)
        if rows.any():
            forms.append(rows / rows.sum())
    forms.append(about / about.sum())
    forms.append(c)
    return np.array(forms, dtype=float)


def check_design(
    y: np.ndarray, ratee: np.ndarray, rater: np.ndarray, group: list[str], person: list[int]
) -> tuple[Any, dict[int, list[int]]]:
    """Run the rule, and the reader's algebra on every person whose score it shows."""
    n_people = ratee.max() + 1
    result = cycle_leniency(
        y[:, None],
        ratee=ratee,
        rater=rater,
        person=person,
        group=group,
        scale_ids=["s"],
        others_shown=np.ones((n_people, 1), dtype=bool),
    )
    scale = result.scales[0]
    fit = crossed_reml(y, ratee=ratee, rater=rater)
    found: dict[int, list[int]] = {}
    for p in range(n_people):
        c = weights(ratee, rater, fit.theta, p)
        if scale.shown[p]:
            assert c @ y == pytest.approx(scale.score[p], abs=1e-6)
        own = rater == person[p]
        managers = {
            int(r) for r, g, t in zip(rater, group, ratee, strict=True) if g == "manager" and t == p
        }
        known = own | np.isin(rater, list(managers))
        protected = [
            np.flatnonzero(np.isin(rater, list(members)))
            for members in itertools.combinations(
                sorted(set(rater.tolist()) - managers - {person[p]}), 2
            )
        ]
        found[p] = leaks(reader_forms(ratee, rater, group, c, p), ~known, protected)
    return scale, found


def random_design(
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], list[int]]:
    """People 0..P-1 rated by peers drawn from a pool of raters 100.., plus a manager 50."""
    n_people = int(rng.integers(4, 7))
    pool = 100 + np.arange(int(rng.integers(4, 8)))
    ratee, rater, group = [], [], []
    for p in range(n_people):
        for r in rng.choice(pool, size=3, replace=False):
            ratee.append(p)
            rater.append(int(r))
            group.append("peer")
        ratee.append(p)
        rater.append(50)
        group.append("manager")
    leniency = {int(r): rng.normal(0, 0.5) for r in [*pool, 50]}
    standing = rng.normal(0, 0.6, n_people)
    y = np.array(
        [
            3.5 + standing[p] + leniency[r] + rng.normal(0, 0.3)
            for p, r in zip(ratee, rater, strict=True)
        ]
    )
    return y, np.array(ratee), np.array(rater), group, list(range(n_people))


def test_the_adjusted_score_is_the_linear_form_the_reader_is_given() -> None:
    rng = np.random.default_rng(7)
    y, ratee, rater, group, person = random_design(rng)
    scale, _ = check_design(y, ratee, rater, group, person)
    assert scale.shown.any()


@pytest.mark.parametrize("seed", range(12))
def test_no_shown_adjusted_score_singles_out_raters_below_the_minimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    y, ratee, rater, group, person = random_design(rng)
    scale, found = check_design(y, ratee, rater, group, person)
    assert scale.shown.any()
    for p in np.flatnonzero(scale.shown):
        assert found[int(p)] == [], f"person {p}: a pair of raters is singled out"


def test_the_rule_declines_the_design_where_a_pair_would_be_singled_out() -> None:
    # Ana (0) is rated by r1, r2, r3 and her manager (50); Ben (1) and Cy (2) by r1, r2 and
    # the same manager, who knows their own ratings. Ana's adjusted score would mix only r1's
    # and r2's ratings of Ben and Cy with her own: a pair, below the minimum of 3.
    ratee = np.array([0, 0, 0, 0, 1, 1, 1, 2, 2, 2])
    rater = np.array([101, 102, 103, 50, 101, 102, 50, 101, 102, 50])
    group = ["peer", "peer", "peer", "manager"] + ["peer", "peer", "manager"] * 2
    y = np.array([4.4, 3.1, 3.9, 4.0, 4.8, 3.0, 3.6, 4.1, 2.7, 3.2])
    scale, found = check_design(y, ratee, rater, group, [0, 1, 2])
    assert scale.fitted
    assert found[0], "the reader's algebra finds the pair"
    assert not scale.shown[0] and scale.reason[0] == FEW_CONNECTED


def test_people_whose_raters_rate_nobody_else_are_not_adjusted() -> None:
    rng = np.random.default_rng(3)
    y, ratee, rater, group, person = random_design(rng)
    # A newcomer rated by three raters nobody else had.
    extra = ratee.max() + 1
    ratee = np.concatenate((ratee, [extra] * 3))
    rater = np.concatenate((rater, [900, 901, 902]))
    y = np.concatenate((y, [4.0, 3.0, 3.5]))
    result = cycle_leniency(
        y[:, None],
        ratee=ratee,
        rater=rater,
        person=[*person, extra],
        group=[*group, "peer", "peer", "peer"],
        scale_ids=["s"],
        others_shown=np.ones((extra + 1, 1), dtype=bool),
    )
    scale = result.scales[0]
    assert not scale.shown[extra] and scale.reason[extra] == FEW_LINKED


def test_when_raters_do_not_differ_nothing_moves_and_the_report_says_why() -> None:
    # Ratings are the person's standing plus noise that no rater shares: the rater variance
    # fits at exactly 0.
    ratee = np.repeat(np.arange(6), 4)
    rater = np.array([(p + k) % 8 for p in range(6) for k in range(4)])
    standing = np.array([3.0, 4.0, 2.5, 3.5, 4.5, 2.0])
    noise = np.tile([0.1, -0.1, 0.05, -0.05], 6)
    y = standing[ratee] + noise
    result = cycle_leniency(
        y[:, None],
        ratee=ratee,
        rater=rater,
        person=[f"p{i}" for i in range(6)],
        group=["peer"] * 24,
        scale_ids=["s"],
        others_shown=np.ones((6, 1), dtype=bool),
    )
    scale = result.scales[0]
    assert scale.fitted and scale.variance["rater"] == 0.0
    assert set(scale.reason) == {NO_SPREAD} and not scale.shown.any()
    assert np.isnan(scale.score).all()
    assert scale.share()["rater"] == 0.0 and scale.share()["ratee"] > 0.9
