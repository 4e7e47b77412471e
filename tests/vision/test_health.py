"""Staleness and alignment health, as pure functions over plain records."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from tandem.vision.health import (
    GoalNode,
    Health,
    cascade_health,
    descendant_ids,
    stale_goal_ids,
)

T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def at(minutes: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=minutes)


def goal(
    id: int,
    *parents: int,
    vision: bool = False,
    changed: int = 0,
    confirmed: int = 0,
    team: int = 1,
) -> GoalNode:
    return GoalNode(
        id=id,
        team_id=team,
        parent_ids=parents,
        links_to_vision=vision,
        changed_at=at(changed),
        confirmed_at=at(confirmed),
    )


def test_a_change_to_the_vision_makes_every_layer_below_stale() -> None:
    goals = [goal(1, vision=True), goal(2, 1), goal(3, 2)]
    assert stale_goal_ids(goals=goals, vision_changed_at=at(5)) == {1, 2, 3}


def test_confirming_a_layer_leaves_the_layers_below_it_stale() -> None:
    goals = [goal(1, vision=True, confirmed=6), goal(2, 1), goal(3, 2)]
    assert stale_goal_ids(goals=goals, vision_changed_at=at(5)) == {2, 3}


def test_a_change_in_the_middle_leaves_the_layers_above_alone() -> None:
    goals = [goal(1, vision=True), goal(2, 1, changed=5, confirmed=5), goal(3, 2), goal(4, 3)]
    assert stale_goal_ids(goals=goals, vision_changed_at=at(0)) == {3, 4}


def test_a_goal_confirmed_after_the_change_is_not_stale() -> None:
    goals = [goal(1, vision=True, changed=5, confirmed=5), goal(2, 1, confirmed=6)]
    assert stale_goal_ids(goals=goals, vision_changed_at=None) == frozenset()


def test_any_one_of_several_parents_can_make_a_goal_stale() -> None:
    goals = [goal(1, vision=True), goal(2, vision=True, changed=3, confirmed=3), goal(3, 1, 2)]
    assert stale_goal_ids(goals=goals, vision_changed_at=at(0)) == {3}


def test_a_loop_does_not_hang() -> None:
    goals = [goal(1, 2, changed=1), goal(2, 1, changed=2)]
    # The services refuse loops; if one slips in, the answer is partial but the page still loads.
    assert 1 in stale_goal_ids(goals=goals, vision_changed_at=None)


def test_descendants_are_found_through_every_path_once() -> None:
    goals = [goal(1, vision=True), goal(2, 1), goal(3, 1), goal(4, 2, 3), goal(5)]
    assert descendant_ids(goals=goals, start=[1]) == {2, 3, 4}
    assert descendant_ids(goals=goals, start=[4]) == frozenset()


def test_health_names_unlinked_goals_and_untranslated_teams() -> None:
    goals = [
        goal(1, vision=True, team=10),
        goal(2, 1, team=20, changed=0, confirmed=0),
        goal(3, team=30),
    ]
    health = cascade_health(goals=goals, vision_changed_at=at(5), team_ids=[10, 20, 30, 40])
    assert health.goals == {1: Health.STALE, 2: Health.STALE, 3: Health.UNLINKED}
    assert health.teams == {
        10: Health.STALE,
        20: Health.STALE,
        30: Health.UNLINKED,
        40: Health.UNTRANSLATED,
    }
    assert health.stale_goal_ids == {1, 2}


def test_an_aligned_cascade_is_ok_everywhere() -> None:
    goals = [goal(1, vision=True, confirmed=9, team=10), goal(2, 1, confirmed=9, team=20)]
    health = cascade_health(goals=goals, vision_changed_at=at(5), team_ids=[10, 20])
    assert set(health.goals.values()) == {Health.OK}
    assert set(health.teams.values()) == {Health.OK}


@st.composite
def cascades(draw: st.DrawFn) -> tuple[list[GoalNode], datetime.datetime | None]:
    """A random cascade with no loops: each goal's parents come earlier in the list."""
    size = draw(st.integers(min_value=1, max_value=12))
    minutes = st.integers(min_value=0, max_value=20)
    goals = []
    for i in range(size):
        parents = (
            draw(st.sets(st.integers(min_value=0, max_value=i - 1), max_size=3)) if i else set()
        )
        goals.append(
            GoalNode(
                id=i,
                team_id=draw(st.integers(min_value=0, max_value=3)),
                parent_ids=tuple(sorted(parents)),
                links_to_vision=draw(st.booleans()),
                changed_at=at(draw(minutes)),
                confirmed_at=at(draw(minutes)),
            )
        )
    vision = draw(st.none() | minutes.map(at))
    return goals, vision


def _brute_force_stale(goals: list[GoalNode], vision: datetime.datetime | None) -> set[int]:
    by_id = {g.id: g for g in goals}
    stale = set()
    for g in goals:
        ancestors: set[int] = set()
        stack = list(g.parent_ids)
        while stack:
            a = stack.pop()
            if a not in ancestors:
                ancestors.add(a)
                stack.extend(by_id[a].parent_ids)
        changes = [by_id[a].changed_at for a in ancestors]
        if vision is not None and any(by_id[a].links_to_vision for a in ancestors | {g.id}):
            changes.append(vision)
        if any(c > g.confirmed_at for c in changes):
            stale.add(g.id)
    return stale


@given(cascades())
def test_stale_means_something_above_changed_after_confirmation(
    cascade: tuple[list[GoalNode], datetime.datetime | None],
) -> None:
    goals, vision = cascade
    assert stale_goal_ids(goals=goals, vision_changed_at=vision) == _brute_force_stale(
        goals, vision
    )


@given(cascades())
def test_confirming_every_goal_now_clears_every_stale_flag(
    cascade: tuple[list[GoalNode], datetime.datetime | None],
) -> None:
    goals, vision = cascade
    now = at(21)
    confirmed = [
        GoalNode(
            id=g.id,
            team_id=g.team_id,
            parent_ids=g.parent_ids,
            links_to_vision=g.links_to_vision,
            changed_at=g.changed_at,
            confirmed_at=now,
        )
        for g in goals
    ]
    assert stale_goal_ids(goals=confirmed, vision_changed_at=vision) == frozenset()


@given(cascades())
def test_every_goal_and_every_named_team_gets_a_health(
    cascade: tuple[list[GoalNode], datetime.datetime | None],
) -> None:
    goals, vision = cascade
    health = cascade_health(goals=goals, vision_changed_at=vision, team_ids=[0, 1, 2, 3, 99])
    assert set(health.goals) == {g.id for g in goals}
    assert health.teams[99] == Health.UNTRANSLATED
    for g in goals:
        if not g.parent_ids and not g.links_to_vision:
            assert health.goals[g.id] == Health.UNLINKED
