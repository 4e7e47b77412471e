"""Suggestions from a report, and actions that fit: pure functions."""

from __future__ import annotations

import doctest

from hypothesis import given
from hypothesis import strategies as st

from tandem.growth import suggest
from tandem.growth.suggest import fitting_actions, suggest_focus

NAMES = {s: s.title() for s in ["pb", "os", "cp", "sd", "ap", "mi"]}


def test_the_doctests_hold() -> None:
    assert doctest.testmod(suggest).failed == 0


def test_it_suggests_the_highest_as_strengths_and_the_lowest_as_gaps() -> None:
    found = suggest_focus(
        scale_names=NAMES,
        others_scores={"pb": 2.0, "os": 3.0, "cp": 3.5, "sd": 4.5, "ap": 4.0, "mi": 2.5},
        self_scores={},
        percentiles={"sd": 91.0},
    )
    assert [s.scale_id for s in found.strengths] == ["sd", "ap"]
    assert [s.scale_id for s in found.gaps] == ["pb", "mi"]
    assert (
        found.strengths[0].reason == "Others rated this among your highest (4.50, 91st percentile)."
    )


def test_a_blind_spot_comes_first_among_the_gaps() -> None:
    found = suggest_focus(
        scale_names=NAMES,
        others_scores={"pb": 2.0, "os": 3.0, "cp": 3.5, "sd": 4.5, "ap": 4.0, "mi": 2.5},
        self_scores={},
        percentiles={},
        blind_spot_scales=["os"],
    )
    assert [s.scale_id for s in found.gaps] == ["os", "pb"]
    assert found.gaps[0].reason.startswith("A blind spot")


def test_hidden_scores_are_never_suggested_and_level_scores_suggest_nothing() -> None:
    found = suggest_focus(
        scale_names=NAMES,
        others_scores={"pb": None, "sd": 3.0, "ap": 3.0},
        self_scores={"pb": 5.0},
        percentiles={},
    )
    assert found.strengths == () and found.gaps == ()
    assert found.source == "others"


def test_with_no_others_shown_it_falls_back_to_self_ratings_and_says_so() -> None:
    found = suggest_focus(
        scale_names=NAMES,
        others_scores={s: None for s in NAMES},
        self_scores={"pb": 4.0, "sd": 2.0, "ap": 3.0},
        percentiles={"pb": 99.0},
    )
    assert found.source == "self"
    assert [s.scale_id for s in found.strengths] == ["pb"]
    assert found.strengths[0].reason == "You rated this among your highest (4.00)."


scores = st.dictionaries(
    st.sampled_from(sorted(NAMES)),
    st.one_of(st.none(), st.floats(min_value=1, max_value=5, allow_nan=False)),
)


@given(scores, st.lists(st.sampled_from(sorted(NAMES))))
def test_suggestion_invariants(others: dict[str, float | None], blind: list[str]) -> None:
    found = suggest_focus(
        scale_names=NAMES,
        others_scores=others,
        self_scores={},
        percentiles={},
        blind_spot_scales=blind,
    )
    chosen = [s.scale_id for s in (*found.strengths, *found.gaps)]
    assert len(found.strengths) <= 2 and len(found.gaps) <= 2
    assert len(chosen) == len(set(chosen)), "never the same scale twice"
    assert all(others.get(sid) is not None for sid in chosen), "only scores the report shows"
    # A blind spot is a gap at any level (others see less than the person does); every other
    # gap scores below every strength.
    level_gaps = [g.score for g in found.gaps if g.scale_id not in blind]
    if found.strengths and level_gaps:
        assert min(s.score for s in found.strengths) > max(level_gaps)
    assert not {s.scale_id for s in found.strengths} & set(blind), "a blind spot is no strength"


def test_fitting_actions_rank_by_how_many_focus_scales_they_grow() -> None:
    fits = fitting_actions([(1, ["sd"]), (2, ["pb"]), (3, ["sd", "ap"]), (4, [])], ["sd", "ap"])
    assert [(f.action_id, f.matches) for f in fits] == [(3, ("sd", "ap")), (1, ("sd",))]
