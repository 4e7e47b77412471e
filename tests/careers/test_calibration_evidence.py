"""How much evidence a calibration flag needs: below the minimums a manager is "too few to
judge", Holm's adjustment keeps fair managers from being named by chance, and a clearly biased
round is still flagged."""

from __future__ import annotations

import doctest
import itertools
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.careers import calibration as cal

TeamCounts = list[tuple[int, int]]


def _teams(counts: TeamCounts, first_id: int = 10) -> list[cal.TeamFacts]:
    return [
        cal.TeamFacts(first_id + i, f"M{first_id + i}", eligible=n, proposed=k)
        for i, (k, n) in enumerate(counts)
    ]


team = st.integers(min_value=1, max_value=40).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


def test_the_doctests_hold() -> None:
    assert doctest.testmod(cal).failed == 0


def test_holm_matches_r() -> None:
    # R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.05), method = "holm")
    #    [1] 0.05 0.08 0.09 0.09 0.09
    assert cal.holm_adjust([0.01, 0.02, 0.03, 0.04, 0.05]) == pytest.approx(
        [0.05, 0.08, 0.09, 0.09, 0.09], abs=1e-12
    )
    # R: p.adjust(c(0.04, 0.001, 0.5), method = "holm")  ->  0.080 0.003 0.500
    assert cal.holm_adjust([0.04, 0.001, 0.5]) == pytest.approx([0.08, 0.003, 0.5], abs=1e-12)
    with pytest.raises(ValueError, match="between 0 and 1"):
        cal.holm_adjust([1.5])


@given(st.lists(st.floats(min_value=0.0, max_value=1.0), max_size=30))
def test_holm_never_lowers_a_p_value_and_keeps_their_order(p_values: list[float]) -> None:
    adjusted = cal.holm_adjust(p_values)
    assert all(p <= a <= 1.0 for p, a in zip(p_values, adjusted, strict=True))
    pairs = sorted(zip(p_values, adjusted, strict=True))
    assert all(a <= b for (_, a), (_, b) in itertools.pairwise(pairs))


def test_the_first_manager_to_propose_anyone_is_too_few_to_judge() -> None:
    # The case: 1 of 3 against 0 of 147 is p = 0.020 by Fisher's test alone.
    first = cal.TeamFacts(1, "Ann", eligible=3, proposed=1)
    rates = cal.manager_rates([first, *_teams([(0, 3)] * 49)])
    assert rates.flags == ()
    assert not rates.enough_proposals
    (ann,) = rates.listed
    assert ann.team.manager == "Ann" and ann.p_value is None
    assert ann.evidence == "too few to judge: fewer than 5 proposals in the organisation"
    assert rates.proposed_nobody == 49


@settings(max_examples=60, deadline=None)
@given(st.lists(team, min_size=1, max_size=45))
def test_a_single_proposal_among_three_reports_is_never_flagged(others: TeamCounts) -> None:
    one = cal.TeamFacts(1, "One of three", eligible=3, proposed=1)
    (test,) = [t for t in cal.manager_rate_tests([one, *_teams(others)]) if t.team.manager_id == 1]
    assert not test.flagged and test.p_value is None and test.too_few


@settings(max_examples=60, deadline=None)
@given(st.lists(team, min_size=2, max_size=45))
def test_a_manager_with_fewer_than_five_reports_is_never_judged(teams: TeamCounts) -> None:
    for test in cal.manager_rate_tests(_teams(teams)):
        if test.team.eligible < cal.MIN_REPORTS:
            assert not test.flagged and not test.judged


@settings(max_examples=60, deadline=None)
@given(st.lists(team, min_size=2, max_size=45))
def test_nobody_is_flagged_before_the_organisation_has_five_proposals(teams: TeamCounts) -> None:
    tests = cal.manager_rate_tests(_teams(teams))
    if sum(k for k, _ in teams) < cal.MIN_PROPOSALS:
        assert not any(t.flagged or t.judged for t in tests)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(min_value=6, max_value=12),
    st.lists(
        st.integers(min_value=5, max_value=12).flatmap(
            lambda n: st.tuples(st.integers(min_value=0, max_value=1), st.just(n))
        ),
        min_size=3,
        max_size=45,
    ),
)
def test_a_manager_who_proposes_a_whole_team_is_still_flagged_first(
    size: int, others: TeamCounts
) -> None:
    generous = cal.TeamFacts(1, "Generous", eligible=size, proposed=size)
    rates = cal.manager_rates([generous, *_teams(others)])
    assert rates.flagged and rates.flagged[0].team.manager_id == 1
    assert rates.flags[0].subject == "Generous"


def test_flags_come_strongest_evidence_first() -> None:
    teams = [
        cal.TeamFacts(1, "Most", eligible=10, proposed=8),
        cal.TeamFacts(2, "All", eligible=10, proposed=10),
        *_teams([(1, 10)] * 8),
    ]
    rates = cal.manager_rates(teams)
    assert [t.team.manager for t in rates.flagged] == ["All", "Most"]
    adjusted = [t.adjusted_p for t in rates.tests if t.judged]
    assert adjusted == sorted(adjusted)  # type: ignore[type-var]
    # Then the other managers compared, then anyone too few to judge.
    kinds = ["flagged" if t.flagged else "judged" if t.judged else "too few" for t in rates.tests]
    assert kinds == sorted(kinds, key=["flagged", "judged", "too few"].index)


def test_only_managers_who_proposed_someone_or_stand_out_are_listed() -> None:
    teams = [
        cal.TeamFacts(1, "All", eligible=8, proposed=8),
        cal.TeamFacts(2, "Some", eligible=8, proposed=1),
        cal.TeamFacts(3, "Small", eligible=3, proposed=1),
        *_teams([(0, 6)] * 42),
    ]
    rates = cal.manager_rates(teams)
    assert [t.team.manager for t in rates.listed] == ["All", "Some", "Small"]
    assert rates.proposed_nobody == 42
    small = rates.listed[2]
    assert small.evidence == "too few to judge: fewer than 5 direct reports"
    assert rates.listed[0].evidence == "p < 0.001"  # Holm-adjusted


def test_a_manager_who_proposes_nobody_while_everyone_else_proposes_half_stands_out() -> None:
    teams = [cal.TeamFacts(1, "Nobody", eligible=20, proposed=0), *_teams([(5, 10)] * 6)]
    rates = cal.manager_rates(teams)
    assert [t.team.manager for t in rates.flagged] == ["Nobody"]
    assert rates.proposed_nobody == 0  # a flagged manager is listed, never folded away
    assert "fewer than the rest of the organisation (50%)" in rates.flags[0].message


def test_in_fair_rounds_a_manager_is_rarely_named_by_chance() -> None:
    """200 simulated rounds of 45 managers (3 to 12 reports) where everyone has the same 15%
    chance of being proposed. Fisher's test alone at p < 0.05 names some fair manager in most
    rounds; with Holm's adjustment, in well under one round in twenty."""
    rng = random.Random(7)
    rounds = 200
    raw = adjusted = 0
    for _ in range(rounds):
        counts = []
        for _ in range(45):
            n = rng.randint(3, 12)
            counts.append((sum(rng.random() < 0.15 for _ in range(n)), n))
        tests = cal.manager_rate_tests(_teams(counts))
        adjusted += any(t.flagged for t in tests)
        raw += any(t.p_value is not None and t.p_value < cal.RATE_ALPHA for t in tests)
    assert adjusted / rounds <= 0.05
    assert raw / rounds > 0.4


def test_four_fifths_follows_the_agencies_small_numbers_example() -> None:
    # Questions and Answers on the Uniform Guidelines (1979): 3 of 20 men and 1 of 10 women
    # selected is under four-fifths (10% against 15%) but too few to call adverse impact.
    assert cal.four_fifths_flags({"sex": {"men": (3, 20), "women": (1, 10)}}) == []
    # The kind of early round: 1 of 60 men and 0 of 50 women proposed.
    assert cal.four_fifths_flags({"gender": {"man": (1, 60), "woman": (0, 50)}}) == []
    # Large enough that one different proposal changes nothing: still flagged.
    (flag,) = cal.four_fifths_flags({"gender": {"man": (30, 100), "woman": (15, 100)}})
    assert flag.subject == "gender: woman"


@given(st.dictionaries(st.text(min_size=1, max_size=5), team, min_size=2, max_size=6))
def test_a_shortfall_one_different_selection_undoes_is_never_flagged(
    groups: dict[str, tuple[int, int]],
) -> None:
    rates = cal.selection_rates(groups)
    # The highest group is the first by name with the highest rate (ratio exactly 1).
    best = next((r for r in rates if r.impact_ratio == 1.0), None)
    for rate in rates:
        if best is None or rate is best or not rate.below_four_fifths:
            assert not rate.too_few
            continue
        undone = (rate.selected + 1) / rate.eligible >= (best.selected - 1) / best.eligible
        assert rate.too_few == undone
        assert rate.adverse == (not undone)


def test_four_fifths_flags_come_largest_shortfall_first() -> None:
    flags = cal.four_fifths_flags(
        {
            "age": {"under 30": (10, 50), "30+": (20, 50)},
            "gender": {"man": (30, 100), "woman": (5, 100)},
        }
    )
    assert [f.subject for f in flags] == ["gender: woman", "age: under 30"]
