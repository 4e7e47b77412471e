"""Readiness per criterion and the calibration bias flags, on values that should trigger
them and values that should not."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.careers import calibration as cal
from tandem.careers.readiness import MET, NOT_YET, PARTLY, criterion_readiness


@pytest.mark.parametrize(
    ("argued", "evidence", "endorsed", "status"),
    [
        (False, 0, 0, NOT_YET),
        (True, 0, 0, NOT_YET),
        (False, 2, 1, PARTLY),
        (True, 1, 0, PARTLY),
        (True, 1, 1, MET),
        (True, 3, 1, MET),
    ],
)
def test_readiness_follows_the_stated_rule(
    argued: bool, evidence: int, endorsed: int, status: str
) -> None:
    assert criterion_readiness(argued=argued, evidence=evidence, endorsed=endorsed).status == status


def test_readiness_refuses_more_endorsed_than_linked() -> None:
    with pytest.raises(ValueError):
        criterion_readiness(argued=True, evidence=1, endorsed=2)


def _case(
    case_id: int, *, track: str = "ic", args: tuple[cal.Argument, ...] = (), **kw
) -> cal.CaseFacts:  # type: ignore[no-untyped-def]
    return cal.CaseFacts(
        case_id=case_id,
        candidate=f"Person {case_id}",
        target_track=track,
        current_track="ic",
        arguments=args,
        **kw,
    )


def test_arguments_without_evidence_are_flagged_and_evidenced_ones_are_not() -> None:
    bare = _case(1, args=(cal.Argument("Ships work", True, 0), cal.Argument("Helps", True, 2)))
    fine = _case(2, args=(cal.Argument("Ships work", True, 1), cal.Argument("Helps", False, 0)))
    flags = cal.argued_without_evidence([bare, fine])
    assert [(f.case_id, f.kind) for f in flags] == [(1, cal.UNEVIDENCED)]
    assert flags[0].message == "1 criterion argued with no evidence linked: Ships work."
    two = _case(3, args=(cal.Argument("Ships work.", True, 0), cal.Argument("Helps.", True, 0)))
    (flag,) = cal.argued_without_evidence([two])
    assert flag.message == "2 criteria argued with no evidence linked: Ships work; Helps."


def test_confidence_without_evidence_only_for_proposals_into_management() -> None:
    inflated = {"self_scores": {"a": 4.8, "b": 4.6}, "others_scores": {"a": 3.9, "b": 3.7}}
    modest = {"self_scores": {"a": 4.0, "b": 3.5}, "others_scores": {"a": 3.9, "b": 3.8}}
    cases = [
        _case(1, track="manager", **inflated),
        _case(2, track="ic", **inflated),
        _case(3, track="manager", **modest),
        _case(4, track="manager"),
    ]
    flags = cal.confidence_without_evidence(cases)
    assert [f.case_id for f in flags] == [1]
    assert "well above how others rate them (0.5 points or more" in flags[0].message
    assert "0.9" not in flags[0].message


def test_the_gap_ignores_missing_and_unshared_scales() -> None:
    gap = cal.self_other_gap({"a": 5.0, "b": float("nan"), "c": 4.0}, {"a": 4.0, "b": 1.0})
    assert gap == 1.0
    assert cal.self_other_gap({"a": 5.0}, {"b": 1.0}) is None


def test_a_manager_who_proposes_everyone_is_flagged_and_typical_managers_are_not() -> None:
    teams = [
        cal.TeamFacts(1, "Generous", eligible=8, proposed=8),
        cal.TeamFacts(2, "Typical A", eligible=10, proposed=1),
        cal.TeamFacts(3, "Typical B", eligible=10, proposed=1),
        cal.TeamFacts(4, "Typical C", eligible=10, proposed=2),
    ]
    flags = cal.manager_rate_flags(teams)
    assert [f.manager_id for f in flags] == [1]
    assert "8 of 8" in flags[0].message and "more than" in flags[0].message
    assert flags[0].message.endswith(
        "Fisher's exact p < 0.001 after Holm's adjustment for the 4 managers compared."
    )
    assert cal.format_p(0.0123) == "p = 0.012"


def test_fisher_p_value_matches_a_reference() -> None:
    # Table [[8, 0], [4, 26]]: only the observed table is as extreme, so the two-sided p is
    # its hypergeometric probability C(12, 8) * C(26, 0) / C(38, 8) = 495 / 48903492.
    (test,) = [
        t
        for t in cal.manager_rate_tests(
            [cal.TeamFacts(1, "A", eligible=8, proposed=8), cal.TeamFacts(2, "B", 30, 4)]
        )
        if t.team.manager_id == 1
    ]
    assert test.p_value == pytest.approx(495 / 48903492, rel=1e-9)


def test_small_even_teams_are_not_flagged() -> None:
    teams = [cal.TeamFacts(i, f"M{i}", eligible=3, proposed=1) for i in range(6)]
    assert cal.manager_rate_flags(teams) == []


def test_four_fifths_flags_a_group_below_eighty_percent_of_the_highest() -> None:
    flags = cal.four_fifths_flags({"gender": {"women": (2, 20), "men": (6, 20)}})
    assert len(flags) == 1
    assert flags[0].subject == "gender: women"
    assert "0.33" in flags[0].message


def test_four_fifths_stays_quiet_at_or_above_the_line() -> None:
    # 4/20 = 0.20 and 5/20 = 0.25: a ratio of exactly 0.8 is not below four-fifths.
    assert cal.four_fifths_flags({"gender": {"women": (4, 20), "men": (5, 20)}}) == []
    assert cal.four_fifths_flags({"gender": {"women": (0, 20), "men": (0, 20)}}) == []


def test_small_groups_still_under_four_fifths_are_marked_not_hidden() -> None:
    # One more under-30 proposed and one fewer 30+ would still leave 25% against 70%.
    flags = cal.four_fifths_flags({"age": {"under 30": (0, 4), "30+": (15, 20)}})
    assert "read with care" in flags[0].message


def test_a_shortfall_one_different_selection_would_reverse_is_too_few_to_judge() -> None:
    # 0 of 3 against 5 of 20: one different proposal gives 1 of 3 (33%) against 4 of 20 (20%).
    (over, under) = cal.selection_rates({"under 30": (0, 3), "30+": (5, 20)})
    assert under.group == "under 30" and under.below_four_fifths and under.too_few
    assert not under.adverse and not over.too_few
    assert cal.four_fifths_flags({"age": {"under 30": (0, 3), "30+": (5, 20)}}) == []


counts = st.integers(min_value=1, max_value=200).flatmap(
    lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
)


@given(st.dictionaries(st.text(min_size=1, max_size=5), counts, min_size=1, max_size=6))
def test_impact_ratios_lie_in_zero_to_one_and_the_top_group_is_one(groups: dict) -> None:  # type: ignore[type-arg]
    rates = cal.selection_rates(groups)
    ratios = [r.impact_ratio for r in rates if r.impact_ratio is not None]
    if ratios:
        assert all(0.0 <= r <= 1.0 + 1e-12 for r in ratios)
        assert max(ratios) == pytest.approx(1.0)


@given(st.lists(counts, min_size=2, max_size=6))
def test_relabelling_managers_changes_no_p_value(team_counts: list) -> None:  # type: ignore[type-arg]
    teams = [
        cal.TeamFacts(i, f"M{i}", eligible=n, proposed=k) for i, (k, n) in enumerate(team_counts)
    ]

    def p_values(order: list) -> dict:  # type: ignore[type-arg]
        return {
            t.team.manager_id: (t.p_value, t.adjusted_p, t.too_few)
            for t in cal.manager_rate_tests(order)
        }

    forward, backward = p_values(teams), p_values(teams[::-1])
    assert forward.keys() == backward.keys()
    for key, (p, adjusted, too_few) in forward.items():
        assert backward[key][2] == too_few
        assert (p is None) == (backward[key][0] is None)
        if p is not None:
            assert p == pytest.approx(backward[key][0])
            assert adjusted == pytest.approx(backward[key][1])
