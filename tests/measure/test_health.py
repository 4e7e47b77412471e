"""tandem.measure.instrument_health: each verdict on data built to deserve it."""

from __future__ import annotations

import numpy as np
import pytest

from tandem.measure import instrument_health
from tandem.measure.health import fit_verdict

SCALES = ["l1"] * 4 + ["l2"] * 4 + ["m1"] * 4 + ["m2"] * 4
LENSES = {"l1": "leadership", "l2": "leadership", "m1": "management", "m2": "management"}
ITEMS = [f"q{j}" for j in range(16)]


def _sheets(
    n: int, r: float, *, seed: int = 3, loading: float = 0.8, noise_item: bool = False
) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lens = rng.normal(size=(n, 2)) @ np.linalg.cholesky([[1, r], [r, 1]]).T
    x = np.repeat(lens, 8, axis=1) * loading + rng.normal(scale=0.6, size=(n, 16))
    if noise_item:
        x[:, 3] = rng.normal(size=n)
    return x


def _health(x: np.ndarray, **kwargs):  # type: ignore[no-untyped-def]
    return instrument_health(x, items=ITEMS, item_scale=SCALES, scale_lens=LENSES, **kwargs)


def test_two_related_lenses_are_found() -> None:
    health = _health(_sheets(600, 0.5))
    assert health.status == "fitted" and health.structure == "two_related"
    assert health.fit_verdict == "good"
    assert abs(health.lens_correlation - 0.5) < 0.1
    assert health.difference is not None and health.difference.p < 0.001
    assert health.weak_items == ()
    assert all(scale.verdict == "good" for scale in health.scales)


def test_one_lens_when_raters_do_not_separate_them() -> None:
    health = _health(_sheets(600, 1.0 - 1e-9))
    assert health.structure == "one_lens"


def test_hardly_distinct_and_largely_separate_lenses() -> None:
    assert _health(_sheets(2000, 0.92)).structure == "hardly_distinct"
    assert _health(_sheets(600, 0.1)).structure == "two_separate"


def test_a_question_that_measures_nothing_is_flagged() -> None:
    health = _health(_sheets(600, 0.5, noise_item=True))
    weak = {item.item: item.flags for item in health.weak_items}
    assert list(weak) == ["q3"]
    assert "low_loading" in weak["q3"] and "low_item_rest" in weak["q3"]


def test_below_the_sample_a_model_needs_nothing_is_fitted() -> None:
    x = _sheets(600, 0.5)
    health = _health(x[:150])
    assert health.status == "too_few" and health.two_lens is None
    assert health.min_sheets == 200  # max(200, 5 x 33 parameters)
    assert health.scales[0].alpha > 0.7  # reliability still comes at 30 sheets
    assert np.isnan(_health(x[:20]).scales[0].alpha)


def test_missing_answers_leave_out_only_their_sheets() -> None:
    x = _sheets(600, 0.5)
    x[:50, 0] = np.nan
    health = _health(x)
    assert health.n_sheets == 600 and health.n_complete == 550


def test_groups_that_use_the_questions_alike_are_invariant() -> None:
    x = _sheets(800, 0.5)
    groups = ["self"] * 200 + ["manager"] * 200 + ["peer"] * 200 + ["direct_report"] * 200
    health = _health(x, groups=groups)
    self_vs_others, observers = health.comparisons
    assert self_vs_others.status == "fitted" and self_vs_others.level == "scalar"
    assert self_vs_others.sizes == (200, 600)
    assert observers.groups == ("manager", "peer", "direct_report")
    assert observers.level == "scalar"


def test_self_ratings_on_another_footing_break_scalar_invariance() -> None:
    x = _sheets(800, 0.5)
    x[:200, :4] += 1.2  # self-raters lift one scale's questions only: not the same intercepts
    groups = ["self"] * 200 + ["peer"] * 600
    self_vs_others, observers = _health(x, groups=groups).comparisons
    assert self_vs_others.metric == "holds"
    assert self_vs_others.scalar == "fails" and self_vs_others.level == "metric"
    assert observers.status == "too_few" and observers.sizes == (0, 600, 0)


def test_bad_input_is_refused_with_what_was_wrong() -> None:
    x = _sheets(300, 0.5)
    with pytest.raises(ValueError, match="one entry per column"):
        instrument_health(x, items=ITEMS[:3], item_scale=SCALES, scale_lens=LENSES)
    with pytest.raises(ValueError, match="one entry per sheet"):
        _health(x, groups=["self"])
    with pytest.raises(ValueError, match="names lenses"):
        instrument_health(x, items=ITEMS, item_scale=SCALES, scale_lens={"l1": "vision"})
    one_question = {"l1": "leadership", "m1": "management"}
    scales = ["l1"] + ["x"] * 11 + ["m1"] * 4
    assert (
        instrument_health(x, items=ITEMS, item_scale=scales, scale_lens=one_question).status
        == "failed"
    )


def test_fit_verdicts_follow_hu_and_bentler() -> None:
    two = _health(_sheets(600, 0.5)).two_lens
    assert two is not None and fit_verdict(two) == "good"
    one = _health(_sheets(600, 0.5)).one_lens
    assert one is not None and fit_verdict(one) == "poor"
