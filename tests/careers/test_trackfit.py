"""Track fit ranks the three tracks from profile, motivation and interests, and says why."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.careers.trackfit import TRACKS, track_fit

score = st.one_of(st.none(), st.floats(min_value=1.0, max_value=5.0, allow_nan=False))
label = st.one_of(st.none(), st.sampled_from(["leader-manager", "leader", "manager", "emerging"]))


def inputs() -> st.SearchStrategy[dict]:  # type: ignore[type-arg]
    return st.fixed_dictionaries(
        {
            "placement": label,
            "leaning": label,
            "borderline": st.booleans(),
            "developing": score,
            "advancement": score,
            "interests": st.fixed_dictionaries(
                {
                    "hands_on_expertise": score,
                    "owning_an_area": score,
                    "developing_people": score,
                }
            ),
        }
    )


def test_nothing_to_go_on_means_no_recommendation() -> None:
    fit = track_fit()
    assert fit.recommended == ()
    assert "Answer the motivation and interest questions" in fit.reasons[0]
    assert "no released assessment" in fit.cautions[0]


def test_a_people_first_manager_who_wants_to_develop_people_is_pointed_to_management() -> None:
    fit = track_fit(
        placement="manager",
        developing=4.7,
        advancement=2.0,
        interests={"developing_people": 5.0, "hands_on_expertise": 3.0, "owning_an_area": 3.0},
    )
    assert fit.recommended == ("manager",)
    assert any("developing people" in r for r in fit.reasons)
    assert any("management behaviours" in r for r in fit.reasons)


def test_status_first_motivation_moves_an_ambitious_person_away_from_management() -> None:
    fit = track_fit(
        placement="leader",
        developing=3.0,
        advancement=4.7,
        interests={"developing_people": 4.0, "owning_an_area": 4.0, "hands_on_expertise": 2.0},
    )
    assert fit.recommended == ("lead",)
    assert any("advancement or standing" in c for c in fit.cautions)


def test_a_borderline_placement_counts_half_and_says_so() -> None:
    full = track_fit(placement="leader")
    half = track_fit(placement="borderline", leaning="leader", borderline=True)
    assert full.score_of["lead"] == 1.0
    assert half.score_of["lead"] == 0.5
    assert any("only just" in r for r in half.reasons)


def test_ties_recommend_every_tied_track() -> None:
    fit = track_fit(interests={"hands_on_expertise": 4.0, "owning_an_area": 4.0})
    assert set(fit.recommended) == {"ic", "lead"}


def test_out_of_range_scores_are_refused() -> None:
    with pytest.raises(ValueError, match="runs from 1 to 5"):
        track_fit(interests={"owning_an_area": 6.0})


@given(inputs())
def test_the_ranking_covers_every_track_once_and_recommends_the_best(args: dict) -> None:  # type: ignore[type-arg]
    fit = track_fit(**args)
    assert sorted(t for t, _ in fit.scores) == sorted(TRACKS)
    values = [v for _, v in fit.scores]
    assert values == sorted(values, reverse=True)
    if fit.recommended:
        assert fit.recommended[0] == fit.scores[0][0]
        assert all(fit.score_of[t] == values[0] for t in fit.recommended)


@given(inputs(), st.floats(min_value=0.0, max_value=4.0))
def test_more_interest_in_people_never_lowers_managements_score(args: dict, more: float) -> None:  # type: ignore[type-arg]
    before = track_fit(**args).score_of["manager"]
    current = args["interests"]["developing_people"]
    args["interests"]["developing_people"] = min(5.0, (current or 3.0) + more)
    after = track_fit(**args).score_of["manager"]
    if current is not None:
        assert after >= before


@given(inputs())
def test_any_input_gives_a_recommendation_with_a_reason_or_caution(args: dict) -> None:  # type: ignore[type-arg]
    fit = track_fit(**args)
    if fit.recommended:
        assert fit.reasons or fit.cautions
