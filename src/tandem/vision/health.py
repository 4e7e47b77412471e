"""Staleness and alignment health of a vision cascade, as pure functions over plain data.

No Django here: the selector reads the whole cascade in a fixed number of queries, turns it
into ``GoalNode`` records, and calls these functions. That keeps the rules unit-testable.

A goal's translation is stale when anything above it (a parent goal, a grandparent, or the
vision itself, through any path) changed after the goal was last confirmed. Confirming a goal
does not change it, so its own children stay stale until they are confirmed too: a change at the
top is tracked until every layer below has confirmed.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum


class Health(StrEnum):
    OK = "ok"
    STALE = "stale"
    UNLINKED = "unlinked"
    UNTRANSLATED = "untranslated"


@dataclass(frozen=True)
class GoalNode:
    id: int
    team_id: int
    parent_ids: tuple[int, ...]
    links_to_vision: bool
    changed_at: datetime.datetime
    confirmed_at: datetime.datetime


@dataclass(frozen=True)
class CascadeHealth:
    goals: Mapping[int, Health]
    teams: Mapping[int, Health]

    @property
    def stale_goal_ids(self) -> frozenset[int]:
        return frozenset(i for i, h in self.goals.items() if h == Health.STALE)


def latest_change_above(
    *, goals: Iterable[GoalNode], vision_changed_at: datetime.datetime | None
) -> dict[int, datetime.datetime | None]:
    """For each goal, the latest change to anything above it (None when nothing is above).

    Parents outside ``goals`` are ignored. A cycle (the services refuse to make one) cannot
    loop: an edge back into a goal still being visited contributes nothing.
    """
    by_id = {g.id: g for g in goals}
    done: dict[int, datetime.datetime | None] = {}
    visiting: set[int] = set()

    def latest(goal_id: int) -> datetime.datetime | None:
        if goal_id in done:
            return done[goal_id]
        visiting.add(goal_id)
        goal = by_id[goal_id]
        candidates: list[datetime.datetime] = []
        if goal.links_to_vision and vision_changed_at is not None:
            candidates.append(vision_changed_at)
        for parent_id in goal.parent_ids:
            if parent_id not in by_id or parent_id in visiting:
                continue
            candidates.append(by_id[parent_id].changed_at)
            above = latest(parent_id)
            if above is not None:
                candidates.append(above)
        visiting.discard(goal_id)
        done[goal_id] = max(candidates, default=None)
        return done[goal_id]

    for goal_id in by_id:
        latest(goal_id)
    return done


def stale_goal_ids(
    *, goals: Iterable[GoalNode], vision_changed_at: datetime.datetime | None
) -> frozenset[int]:
    """Goals confirmed before the latest change to anything above them."""
    goals = list(goals)
    above = latest_change_above(goals=goals, vision_changed_at=vision_changed_at)
    stale = set()
    for goal in goals:
        latest = above[goal.id]
        if latest is not None and latest > goal.confirmed_at:
            stale.add(goal.id)
    return frozenset(stale)


def descendant_ids(*, goals: Iterable[GoalNode], start: Iterable[int]) -> frozenset[int]:
    """Every goal below any of ``start`` (transitively), not counting ``start`` itself."""
    children: dict[int, list[int]] = {}
    for goal in goals:
        for parent_id in goal.parent_ids:
            children.setdefault(parent_id, []).append(goal.id)
    seen: set[int] = set()
    stack = list(start)
    starts = set(stack)
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return frozenset(seen - starts)


def cascade_health(
    *,
    goals: Iterable[GoalNode],
    vision_changed_at: datetime.datetime | None,
    team_ids: Iterable[int],
) -> CascadeHealth:
    """Health of every goal and of every team (a manager with reports).

    A goal is unlinked when it points at nothing above (no parent goal, not the vision); else
    stale when something above changed after it was confirmed; else ok. A team with no goals
    is untranslated; otherwise it takes the worst health of its goals (unlinked, then stale).
    """
    goals = list(goals)
    stale = stale_goal_ids(goals=goals, vision_changed_at=vision_changed_at)
    goal_health: dict[int, Health] = {}
    for goal in goals:
        if not goal.parent_ids and not goal.links_to_vision:
            goal_health[goal.id] = Health.UNLINKED
        elif goal.id in stale:
            goal_health[goal.id] = Health.STALE
        else:
            goal_health[goal.id] = Health.OK
    by_team: dict[int, list[Health]] = {}
    for goal in goals:
        by_team.setdefault(goal.team_id, []).append(goal_health[goal.id])
    team_health: dict[int, Health] = {}
    for team_id in [*team_ids, *by_team]:
        found = by_team.get(team_id, [])
        if not found:
            team_health[team_id] = Health.UNTRANSLATED
        elif Health.UNLINKED in found:
            team_health[team_id] = Health.UNLINKED
        elif Health.STALE in found:
            team_health[team_id] = Health.STALE
        else:
            team_health[team_id] = Health.OK
    return CascadeHealth(goals=goal_health, teams=team_health)


@dataclass(frozen=True)
class Layer:
    """Understanding at one layer of the cascade (1 = the teams whose goals tie to the vision).

    ``mean`` is the mean of the shown team scores at this layer (None when none is shown);
    ``breaks`` is True where understanding drops by at least ``drop`` from the nearest layer
    above with a score, or sits below the scale's midpoint.
    """

    layer: int
    teams: int
    scored: int
    mean: float | None
    breaks: bool


def understanding_by_layer(
    *,
    team_layers: Mapping[int, int],
    scores: Mapping[int, float],
    drop: float = 0.5,
    midpoint: float = 3.0,
) -> list[Layer]:
    """Where understanding breaks, layer by layer.

    ``team_layers`` maps each team to its layer; ``scores`` maps teams to the scores the
    reader may see (hidden and missing scores are simply absent).

    >>> [(l.layer, l.mean, l.breaks) for l in understanding_by_layer(
    ...     team_layers={1: 1, 2: 2, 3: 2, 4: 3}, scores={1: 4.5, 2: 4.0, 3: 3.0, 4: 2.5})]
    [(1, 4.5, False), (2, 3.5, True), (3, 2.5, True)]
    """
    by_layer: dict[int, list[int]] = {}
    for team_id, layer in team_layers.items():
        by_layer.setdefault(layer, []).append(team_id)
    layers: list[Layer] = []
    above: float | None = None
    for layer in sorted(by_layer):
        shown = [scores[t] for t in by_layer[layer] if t in scores]
        mean = sum(shown) / len(shown) if shown else None
        breaks = mean is not None and (
            mean < midpoint or (above is not None and above - mean >= drop)
        )
        layers.append(Layer(layer, len(by_layer[layer]), len(shown), mean, breaks))
        if mean is not None:
            above = mean
    return layers
