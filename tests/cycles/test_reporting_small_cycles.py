"""Percentiles against a comparison group of a handful of people would mislead: none are shown."""

from __future__ import annotations

import numpy as np

from tandem.cycles.reporting.presentation import MIN_NORM_GROUP, build_report
from tandem.measure import load_instrument, score_360


def _report(group_size: int) -> dict:  # type: ignore[type-arg]
    instrument = load_instrument("tandem-lm-1")
    rng = np.random.default_rng(3)
    answers = rng.integers(1, 6, size=(4, len(instrument.all_items)))
    answers[1:, len(instrument.items) :] = -1
    scored = score_360(
        answers,
        ratee=np.zeros(4, int),
        ratee_ids=["ana"],
        group=["self", "peer", "peer", "peer"],
        instrument=instrument,
        profile_cuts=(3.5, 3.5),
    )
    data = next(scored.ratee_dicts())
    data["norm_group_size"] = group_size
    return data


def test_a_small_cycle_shows_no_percentile_and_says_why() -> None:
    instrument = load_instrument("tandem-lm-1")
    view = build_report(_report(3), instrument, comments=[], person_name="Ana", cycle_name="C")
    scale = view.roles[0].scales[0]
    assert scale.percentile is None
    assert "too small" in view.norm_note and "3 people" in view.norm_note
    assert scale.percentile_sentence == "", "said once for the report, not once per scale"


def test_a_large_enough_cycle_shows_percentiles_with_the_group_size() -> None:
    instrument = load_instrument("tandem-lm-1")
    data = _report(MIN_NORM_GROUP)
    view = build_report(data, instrument, comments=[], person_name="Ana", cycle_name="C")
    scale = view.roles[0].scales[0]
    assert scale.percentile == data["norms"][scale.id]["percentile"]
    assert f"{MIN_NORM_GROUP} people rated in this cycle" in view.norm_note
