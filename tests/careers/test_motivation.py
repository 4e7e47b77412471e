"""The motivation check scores the instrument's own items and gives honest, non-gating advice."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.careers.motivation import (
    INTERESTS,
    MOTIVATION,
    motivation_guidance,
    score_answers,
    sections,
)
from tandem.measure import load_instrument


def test_it_asks_the_shipped_instruments_wording() -> None:
    shipped = {s.id: s for s in load_instrument("tandem-lm-1").self_sections}
    for section in sections():
        assert section == shipped[section.id]
    assert [s.id for s in sections()] == [MOTIVATION, INTERESTS]


def test_it_scores_each_subscale_as_the_mean_of_its_items() -> None:
    scores = score_answers(
        {"mtm_dev1": 5, "mtm_dev2": 4, "mtm_dev3": 3, "mtm_adv1": 1, "mtm_adv2": 2, "ti_exp1": 4}
    )
    assert scores[MOTIVATION] == {"developing_people": 4.0, "advancement_status": 1.5}
    # One of two items answered is half: enough for tandem.measure's default minimum share.
    assert scores[INTERESTS]["hands_on_expertise"] == 4.0
    assert scores[INTERESTS]["owning_an_area"] is None


def test_answers_outside_the_scale_are_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        score_answers({"mtm_dev1": 9})


@pytest.mark.parametrize(
    ("developing", "advancement", "balance"),
    [
        (5.0, 2.0, "people-first"),
        (4.0, 3.0, "people-first"),
        (4.0, 3.5, "mixed"),
        (3.5, 2.0, "mixed"),
        (4.0, 4.0, "status-first"),
        (3.0, 5.0, "status-first"),
        (3.0, 3.0, "undecided"),
        (3.2, 2.0, "undecided"),
        (3.2, 3.1, "mixed"),
        (2.5, 1.0, "not-drawn"),
        (1.0, 5.0, "not-drawn"),
        (None, 3.0, "unknown"),
    ],
)
def test_the_balance_follows_the_stated_rule(
    developing: float | None, advancement: float | None, balance: str
) -> None:
    assert motivation_guidance(developing=developing, advancement=advancement).balance == balance


def test_status_first_guidance_points_to_the_other_tracks_without_forbidding() -> None:
    guidance = motivation_guidance(developing=3.0, advancement=4.7)
    text = " ".join(guidance.advice)
    assert "nothing here stops you" in text
    assert "same senior" in text


scores = st.floats(min_value=1.0, max_value=5.0, allow_nan=False)


@given(developing=scores, advancement=scores, more=st.floats(min_value=0.0, max_value=4.0))
def test_more_status_motivation_never_makes_the_reading_more_people_first(
    developing: float, advancement: float, more: float
) -> None:
    order = ["people-first", "undecided", "mixed", "status-first", "not-drawn"]
    before = motivation_guidance(developing=developing, advancement=advancement).balance
    after = motivation_guidance(
        developing=developing, advancement=min(5.0, advancement + more)
    ).balance
    if before != "not-drawn":
        assert order.index(after) >= order.index(before)
