"""What the participant, the manager, the people team and the raters are told about a small group."""

from __future__ import annotations

from tandem.cycles.selectors import outcomes_for_groups


def test_two_peers_alone_are_said_to_count_for_nothing() -> None:
    (outcome,) = outcomes_for_groups(["manager", "peer", "peer"], {})
    assert (outcome.group, outcome.shown) == ("peer", "hidden")
    assert "will not appear in the report at all" in outcome.sentence()
    assert "Add 1 more" in outcome.sentence()


def test_two_peers_and_one_other_are_said_to_be_combined() -> None:
    outcomes = outcomes_for_groups(["peer", "peer", "other"], {})
    assert [(o.group, o.shown, o.pooled_with) for o in outcomes] == [("peer", "pooled", 3)]
    assert "combined with others into “Others” (3 people)" in outcomes[0].sentence()


def test_groups_at_their_minimum_need_no_word() -> None:
    assert outcomes_for_groups(["manager", "peer", "peer", "peer"], {}) == []


def test_a_protected_manager_group_needs_one_more_than_its_minimum() -> None:
    (outcome,) = outcomes_for_groups(["manager", "manager"], {"manager": 2})
    assert (outcome.shown, outcome.minimum) == ("hidden", 3)
    assert outcome.sentence().startswith("2 managers: fewer than 3")
