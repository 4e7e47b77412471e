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


# --- where each team stands, layer by layer, and the organisation's next step ------------------


@dataclass(frozen=True)
class TeamPlace:
    """Where a team sits in the reporting lines and where it stands in the translation.

    ``layer`` is 1 for a team at the top (its manager has no active manager with a team), 2 for
    a team whose manager sits in a layer-1 team, and so on. ``above`` is the team one layer up
    (the manager's manager), None at the top.

    A team with no translation yet is either *next* (the team above has translated, or, at the
    top, the vision is written: this is where the cascade breaks) or *waiting* (there is
    nothing above it to translate yet). The two are different states: one is a gap, the other
    the order of things.
    """

    team_id: int
    layer: int
    above: int | None
    health: Health

    waiting: bool = False

    @property
    def next(self) -> bool:
        return self.health == Health.UNTRANSLATED and not self.waiting


def team_places(
    *,
    team_above: Mapping[int, int | None],
    health: Mapping[int, Health],
    has_vision: bool,
    names: Mapping[int, str] | None = None,
) -> list[TeamPlace]:
    """Every team in cascade order: layer by layer from the top, teams under the same team
    together (in the order of the layer above), then by name.

    Parameters
    ----------
    team_above
        Each team (by its manager's id) and the team one layer up: the manager's own manager,
        or None when that person leads no team (the top). A manager outside the mapping counts
        as None; a loop in the reporting lines is cut where it closes.
    health
        Each team's health from :func:`cascade_health`.
    has_vision
        Whether the organisation has written its vision: the top teams translate it.
    names
        Names to order teams within a layer (the id when missing).

    Examples
    --------
    A new organisation with a vision: the top team (1) is next, everyone below waits.

    >>> U = Health.UNTRANSLATED
    >>> places = team_places(
    ...     team_above={1: None, 2: 1, 3: 1, 4: 2},
    ...     health={1: U, 2: U, 3: U, 4: U},
    ...     has_vision=True,
    ... )
    >>> [(p.team_id, p.layer, p.next, p.waiting) for p in places]
    [(1, 1, True, False), (2, 2, False, True), (3, 2, False, True), (4, 3, False, True)]

    Once the top team has translated, its teams are next:

    >>> places = team_places(
    ...     team_above={1: None, 2: 1, 3: 1, 4: 2},
    ...     health={1: Health.OK, 2: U, 3: U, 4: U},
    ...     has_vision=True,
    ... )
    >>> [p.team_id for p in places if p.next], [p.team_id for p in places if p.waiting]
    ([2, 3], [4])
    """
    label = names or {}
    # The team above each team; a manager outside the teams counts as none.
    parent: dict[int, int | None] = {}
    for team_id, above in team_above.items():
        parent[team_id] = above if above in team_above and above != team_id else None
    layers: dict[int, int] = {}
    for team_id in team_above:
        chain: list[int] = []
        current: int | None = team_id
        while current is not None and current not in layers and current not in chain:
            chain.append(current)
            current = parent[current]
        if current is not None and current in chain:
            parent[chain[-1]] = None  # a loop: cut it where it closes
            current = None
        depth = 0 if current is None else layers[current]
        for member in reversed(chain):
            depth += 1
            layers[member] = depth
    # Order: layer by layer; within a layer by the position of the team above, then by name.
    position: dict[int, int] = {}

    def order(team_id: int) -> tuple[int, str, int]:
        above = parent[team_id]
        return (-1 if above is None else position[above], label.get(team_id, ""), team_id)

    ordered: list[int] = []
    for layer in sorted(set(layers.values())):
        for team_id in sorted((t for t in team_above if layers[t] == layer), key=order):
            position[team_id] = len(ordered)
            ordered.append(team_id)
    places = []
    for team_id in ordered:
        own = health.get(team_id, Health.UNTRANSLATED)
        above = parent[team_id]
        if above is None:
            nothing_above = not has_vision
        else:
            nothing_above = health.get(above, Health.UNTRANSLATED) == Health.UNTRANSLATED
        places.append(
            TeamPlace(
                team_id=team_id,
                layer=layers[team_id],
                above=above,
                health=own,
                waiting=own == Health.UNTRANSLATED and nothing_above,
            )
        )
    return places


class Step(StrEnum):
    VISION = "vision"  # write the destination
    TRANSLATE = "translate"  # the teams whose turn it is, shallowest layer first
    CONFIRM = "confirm"  # translations gone stale after a change above
    LINK = "link"  # goals tied to nothing above
    DONE = "done"


@dataclass(frozen=True)
class NextStep:
    """The one thing the organisation should do next on the cascade.

    ``team_ids`` are the teams whose turn it is to translate, in the shallowest layer where
    any team's turn it is (``layer``); for ``Step.VISION`` they are the top teams, who go
    next once the vision is written. ``count`` is the number of stale or unlinked goals.
    """

    step: Step
    team_ids: tuple[int, ...] = ()
    layer: int | None = None
    count: int = 0


def next_step(
    *, has_vision: bool, places: Iterable[TeamPlace], goals: Mapping[int, Health]
) -> NextStep:
    """The first thing to do, in the order the cascade is built: write the vision; then
    translate it, top layer first; then confirm stale translations; then link goals that
    point at nothing.

    Examples
    --------
    >>> U = Health.UNTRANSLATED
    >>> places = team_places(team_above={1: None, 2: 1}, health={1: U, 2: U}, has_vision=False)
    >>> next_step(has_vision=False, places=places, goals={})
    NextStep(step=<Step.VISION: 'vision'>, team_ids=(1,), layer=1, count=0)
    >>> places = team_places(team_above={1: None, 2: 1}, health={1: U, 2: U}, has_vision=True)
    >>> next_step(has_vision=True, places=places, goals={})
    NextStep(step=<Step.TRANSLATE: 'translate'>, team_ids=(1,), layer=1, count=0)
    >>> places = team_places(
    ...     team_above={1: None, 2: 1}, health={1: Health.OK, 2: Health.OK}, has_vision=True
    ... )
    >>> next_step(has_vision=True, places=places, goals={7: Health.OK, 8: Health.STALE}).step
    <Step.CONFIRM: 'confirm'>
    """
    places = list(places)
    if not has_vision:
        top = tuple(p.team_id for p in places if p.above is None)
        return NextStep(Step.VISION, team_ids=top, layer=1 if top else None)
    turn = [p for p in places if p.next]
    if turn:
        layer = min(p.layer for p in turn)
        return NextStep(
            Step.TRANSLATE, team_ids=tuple(p.team_id for p in turn if p.layer == layer), layer=layer
        )
    stale = sum(1 for h in goals.values() if h == Health.STALE)
    if stale:
        return NextStep(Step.CONFIRM, count=stale)
    unlinked = sum(1 for h in goals.values() if h == Health.UNLINKED)
    if unlinked:
        return NextStep(Step.LINK, count=unlinked)
    return NextStep(Step.DONE)
