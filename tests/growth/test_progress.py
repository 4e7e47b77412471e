"""Reliable change in plain words, and the chart's geometry: pure functions."""

from __future__ import annotations

import doctest

import pytest

from tandem.growth import progress
from tandem.growth.progress import chart, scale_change
from tandem.measure import reliable_change


def test_the_doctests_hold() -> None:
    assert doctest.testmod(progress).failed == 0


def _change(before: float | None, after: float | None, **kw: float | None):  # type: ignore[no-untyped-def]
    return scale_change(
        scale_id="sd",
        scale_name="Setting direction",
        before=before,
        after=after,
        sd=kw.get("sd", 0.5),
        reliability=kw.get("reliability", 0.8),
    )


def test_only_a_change_beyond_measurement_error_is_called_real() -> None:
    # sd 0.5, alpha 0.8: SEM = 0.5 * sqrt(0.2) = 0.2236, S_diff = 0.3162, so |change| must
    # exceed 1.96 * 0.3162 = 0.62 (Jacobson & Truax 1991).
    up = _change(3.0, 3.75)
    assert up.verdict == "increase"
    assert up.needed == pytest.approx(0.6198, abs=1e-4)
    assert up.rci == pytest.approx(
        float(reliable_change([3.0], [3.75], sd=0.5, reliability=0.8).rci[0])
    )
    assert up.words.startswith("A real change: others now see more of this")
    small = _change(3.0, 3.5)
    assert small.verdict == "within error"
    assert small.words.startswith("Within measurement error")
    down = _change(4.0, 3.0)
    assert down.verdict == "decrease" and "see less" in down.words


def test_it_cannot_say_without_both_scores_or_without_reliability() -> None:
    assert _change(None, 3.0).verdict == "unknown"
    missing = _change(3.0, 4.5, reliability=None)
    assert missing.verdict == "unknown"
    assert missing.difference == pytest.approx(1.5)
    assert "no reliability figures" in missing.words


def test_the_chart_places_scores_on_the_answer_scale_and_breaks_at_hidden_scores() -> None:
    drawn = chart(
        cycles=["2024", "2025", "2026"],
        scales=[("a", "A"), ("b", "B")],
        scores=[{"a": 1.0, "b": 3.0}, {"a": None, "b": 4.0}, {"a": 5.0, "b": 5.0}],
    )
    a, b = drawn.series
    assert [p.label for p in a.points] == ["2024", "2026"]
    assert a.path.count("M") == 2, "a hidden score breaks the line"
    assert b.path.count("M") == 1 and b.path.count("L") == 2
    assert b.points[-1].y == drawn.plot_top
    assert [t.label for t in drawn.y_ticks] == ["1", "2", "3", "4", "5"]
