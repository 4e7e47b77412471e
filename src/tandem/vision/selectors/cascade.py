"""Reads of the vision cascade. Every read is scoped to one organisation.

``cascade_get`` reads the whole cascade in a fixed number of queries, whatever its size, and
hands plain records to the pure functions in ``tandem.vision.health``.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext, ngettext

from tandem.people.models import Organisation, Person, PersonStatus
from tandem.vision.health import (
    CascadeHealth,
    GoalNode,
    Health,
    NextStep,
    cascade_health,
    descendant_ids,
    next_step,
    team_places,
    understanding_by_layer,
)
from tandem.vision.models import Goal, KeyResult, Vision

if TYPE_CHECKING:
    from tandem.vision.selectors.pulse import PulseScore


def vision_get(*, organisation: Organisation) -> Vision | None:
    return Vision.objects.filter(organisation=organisation).first()


def goal_get(*, organisation: Organisation, goal_id: int) -> Goal | None:
    return (
        Goal.objects.filter(organisation=organisation, pk=goal_id)
        .select_related("team", "owner", "organisation")
        .prefetch_related("parents", "children", "key_results")
        .first()
    )


def teams(*, organisation: Organisation) -> QuerySet[Person]:
    """Every team: an active person with active direct reports, named by that manager."""
    return (
        Person.objects.filter(organisation=organisation, status=PersonStatus.ACTIVE)
        .select_related("organisation")
        .annotate(active_reports=Count("reports", filter=Q(reports__status=PersonStatus.ACTIVE)))
        .filter(active_reports__gt=0)
        .order_by("name")
    )


def goal_nodes(*, organisation: Organisation) -> list[GoalNode]:
    """Every goal as a plain record with its parent ids, in two queries."""
    links: dict[int, list[int]] = {}
    for from_id, to_id in Goal.parents.through.objects.filter(
        from_goal__organisation=organisation
    ).values_list("from_goal_id", "to_goal_id"):
        links.setdefault(from_id, []).append(to_id)
    return [
        GoalNode(
            id=row["id"],
            team_id=row["team_id"],
            parent_ids=tuple(sorted(links.get(row["id"], []))),
            links_to_vision=row["links_to_vision"],
            changed_at=row["changed_at"],
            confirmed_at=row["confirmed_at"],
        )
        for row in Goal.objects.filter(organisation=organisation).values(
            "id", "team_id", "links_to_vision", "changed_at", "confirmed_at"
        )
    ]


@dataclass
class CascadeNode:
    goal: Goal
    health: Health
    children: list[CascadeNode] = field(default_factory=list)
    repeated: bool = False


@dataclass(frozen=True)
class TeamRow:
    """A team with its health and its place: ``layer`` in the reporting lines (1 = the top),
    and, when it has no translation yet, whether it is ``waiting`` for the team above (or, at the
    top, for the vision) or it is ``next``: the team above has translated and it has not."""

    team: Person
    health: Health
    goal_count: int
    layer: int = 1
    above_id: int | None = None
    waiting: bool = False

    @property
    def next(self) -> bool:
        return self.health == Health.UNTRANSLATED and not self.waiting

    @property
    def state(self) -> str:
        """The health, with "no translation yet" split into "next" and "waiting"."""
        if self.health != Health.UNTRANSLATED:
            return str(self.health)
        return "waiting" if self.waiting else "next"


@dataclass(frozen=True)
class TeamLayer:
    layer: int
    rows: list[TeamRow]

    @property
    def translated(self) -> int:
        return sum(1 for row in self.rows if row.health != Health.UNTRANSLATED)


@dataclass(frozen=True)
class Cascade:
    vision: Vision | None
    roots: list[CascadeNode]
    unlinked: list[CascadeNode]
    teams: list[TeamRow]  # layer by layer from the top, teams under the same team together
    health: CascadeHealth
    step: NextStep

    def count(self, health: Health) -> int:
        return sum(1 for h in self.health.goals.values() if h == health)

    @property
    def untranslated_teams(self) -> list[TeamRow]:
        return [row for row in self.teams if row.health == Health.UNTRANSLATED]

    @property
    def next_teams(self) -> list[TeamRow]:
        """The teams named by the next step: whose turn it is (or, with no vision yet, the
        top teams, who go first once it is written)."""
        return [row for row in self.teams if row.team.pk in self.step.team_ids]

    @property
    def layers(self) -> list[TeamLayer]:
        found: dict[int, list[TeamRow]] = {}
        for row in self.teams:
            found.setdefault(row.layer, []).append(row)
        return [TeamLayer(layer, rows) for layer, rows in sorted(found.items())]


def cascade_get(*, organisation: Organisation) -> Cascade:
    """The whole cascade, from the vision down, with every goal's and team's health.

    Six queries, whatever the size: the vision, the goals (with team and owner), their key
    results, their upward links, the goals as plain rows, and the teams. A goal with several
    parents appears under each of them; the second and later appearances are marked
    ``repeated`` and do not repeat its subtree. Teams come layer by layer from the top of the
    reporting lines (``tandem.vision.health.team_places``), with the organisation's next step.
    """
    vision = vision_get(organisation=organisation)
    goals = list(
        Goal.objects.filter(organisation=organisation)
        .select_related("team", "owner")
        .prefetch_related(Prefetch("key_results", queryset=KeyResult.objects.order_by("id")))
    )
    nodes = goal_nodes(organisation=organisation)
    team_people = list(teams(organisation=organisation))
    vision_changed_at: datetime.datetime | None = vision.updated_at if vision else None
    health = cascade_health(
        goals=nodes, vision_changed_at=vision_changed_at, team_ids=[p.pk for p in team_people]
    )
    by_id = {goal.pk: goal for goal in goals}
    children: dict[int, list[int]] = {}
    for node in nodes:
        for parent_id in node.parent_ids:
            children.setdefault(parent_id, []).append(node.id)
    shown: set[int] = set()

    def build(goal_id: int, path: frozenset[int]) -> CascadeNode:
        goal = by_id[goal_id]
        node = CascadeNode(goal=goal, health=health.goals[goal_id], repeated=goal_id in shown)
        if node.repeated:
            return node
        shown.add(goal_id)
        for child_id in sorted(children.get(goal_id, []), key=lambda i: by_id[i].title):
            if child_id not in path:
                node.children.append(build(child_id, path | {child_id}))
        return node

    ordered = sorted(nodes, key=lambda n: by_id[n.id].title)
    roots = [build(n.id, frozenset({n.id})) for n in ordered if n.links_to_vision]
    unlinked = [
        build(n.id, frozenset({n.id}))
        for n in ordered
        if not n.links_to_vision and not n.parent_ids
    ]
    goal_counts: dict[int, int] = {}
    for goal in goals:
        goal_counts[goal.team_id] = goal_counts.get(goal.team_id, 0) + 1
    people = {p.pk: p for p in team_people}
    places = team_places(
        team_above={p.pk: p.manager_id for p in team_people},
        health=health.teams,
        has_vision=vision is not None,
        names={p.pk: p.name for p in team_people},
    )
    team_rows = [
        TeamRow(
            team=people[place.team_id],
            health=place.health,
            goal_count=goal_counts.get(place.team_id, 0),
            layer=place.layer,
            above_id=place.above,
            waiting=place.waiting,
        )
        for place in places
    ]
    return Cascade(
        vision=vision,
        roots=roots,
        unlinked=unlinked,
        teams=team_rows,
        health=health,
        step=next_step(has_vision=vision is not None, places=places, goals=health.goals),
    )


def goal_health(*, organisation: Organisation, goal: Goal) -> Health:
    """One goal's health, from the whole cascade as plain rows (three queries)."""
    vision = vision_get(organisation=organisation)
    health = cascade_health(
        goals=goal_nodes(organisation=organisation),
        vision_changed_at=vision.updated_at if vision else None,
        team_ids=[],
    )
    return health.goals[goal.pk]


def goal_choices(*, organisation: Organisation, below: Goal | None = None) -> QuerySet[Goal]:
    """Goals that may sit above ``below``: not the goal itself, nor any goal under it."""
    goals = Goal.objects.filter(organisation=organisation).select_related("team")
    if below is not None:
        under = descendant_ids(goals=goal_nodes(organisation=organisation), start=[below.pk])
        goals = goals.exclude(pk__in=[below.pk, *under])
    return goals.order_by("title")


def team_get(*, organisation: Organisation, team_id: int) -> Person | None:
    """A team by its manager's id: only a manager with active reports names a team."""
    return teams(organisation=organisation).filter(pk=team_id).first()


def team_writers(*, team: Person) -> QuerySet[Person]:
    """The members the team's manager named to write its goals."""
    return Person.objects.filter(writes_goals_for__team=team).order_by("name")


def writer_candidates(*, team: Person) -> QuerySet[Person]:
    """Members who could be named: the manager's active direct reports not named yet."""
    return (
        Person.objects.filter(manager=team, status=PersonStatus.ACTIVE)
        .exclude(writes_goals_for__team=team)
        .order_by("name")
    )


def _layers_of(roots: list[CascadeNode]) -> dict[int, int]:
    """Each team's layer: the shallowest depth of any of its goals under the vision."""
    layers: dict[int, int] = {}

    def walk(node: CascadeNode, depth: int) -> None:
        team_id = node.goal.team_id
        layers[team_id] = min(layers.get(team_id, depth), depth)
        for child in node.children:
            walk(child, depth + 1)

    for root in roots:
        walk(root, 1)
    return layers


def _hazards_note(count: int | None) -> str | None:
    """'2 open hazards' for the map's tooltip, in the reader's language; None for none."""
    if not count:
        return None
    return ngettext("%(count)s open hazard", "%(count)s open hazards", count) % {"count": count}


def cascade_map(
    *,
    organisation: Organisation,
    scores: Mapping[int, PulseScore | None],
    open_hazards: Mapping[int, int] | None = None,
) -> dict[str, Any]:
    """The cascade as plain data for the interactive map, from the vision down to every team.

    ``scores`` holds only the teams whose understanding score the reader may see (a value of
    None, or a score below the minimum, shows as "hidden" or "no pulse"). The words are in the
    reader's language: this is what the map on the page shows, not an API. ``open_hazards``
    counts open hazards per goal, for readers who may see them (None leaves them out). Nothing
    here names anyone beyond a goal's team and owner, which the cascade page shows to everyone.
    """
    found = cascade_get(organisation=organisation)

    def score_of(team_id: int) -> dict[str, Any]:
        if team_id not in scores:
            return {"score": None, "score_note": None}
        score = scores[team_id]
        if score is None:
            return {"score": None, "score_note": gettext("no pulse yet")}
        if score.score is None:
            # Translators: on the map, a team's understanding score is hidden until this many
            # of its members answer the pulse.
            note = ngettext(
                "hidden until %(count)s answers", "hidden until %(count)s answer", score.minimum
            ) % {"count": score.minimum}
            return {"score": None, "score_note": note}
        return {"score": round(score.score, 1), "score_note": None}

    def node(item: CascadeNode) -> dict[str, Any]:
        goal = item.goal
        return {
            "name": goal.title,
            "kind": "goal",
            "health": str(item.health),
            "team": goal.team.name,
            "owner": goal.owner.name,
            "url": reverse("vision:goal", args=[goal.pk]),
            "repeated": item.repeated,
            "hazards": None if open_hazards is None else open_hazards.get(goal.pk, 0),
            "hazards_note": _hazards_note(
                None if open_hazards is None else open_hazards.get(goal.pk)
            ),
            **score_of(goal.team_id),
            "children": [node(child) for child in item.children],
        }

    children = [node(root) for root in found.roots]
    if found.unlinked:
        children.append(
            {
                "name": gettext("No link upward"),
                "kind": "group",
                "health": str(Health.UNLINKED),
                "children": [node(item) for item in found.unlinked],
            }
        )
    untranslated = found.untranslated_teams
    if untranslated:
        children.append(
            {
                "name": gettext("Teams with no translation"),
                "kind": "group",
                "health": str(Health.UNTRANSLATED),
                "children": [
                    {
                        "name": gettext("The team of %(name)s") % {"name": row.team.name},
                        "kind": "team",
                        "health": str(Health.UNTRANSLATED),
                        "team": row.team.name,
                        **score_of(row.team.pk),
                        "children": [],
                    }
                    for row in untranslated
                ],
            }
        )
    shown = {
        team_id: score.score
        for team_id, score in scores.items()
        if score is not None and score.score is not None
    }
    layers = understanding_by_layer(team_layers=_layers_of(found.roots), scores=shown)
    vision = found.vision
    return {
        "tree": {
            "name": gettext("The vision") if vision else gettext("No vision yet"),
            "kind": "vision",
            "health": "vision" if vision else str(Health.UNTRANSLATED),
            "destination": vision.destination if vision else "",
            "url": reverse("vision:cascade") + "#vision",
            "children": children,
        },
        "layers": [
            {
                "layer": layer.layer,
                "teams": layer.teams,
                "scored": layer.scored,
                "mean": None if layer.mean is None else round(layer.mean, 1),
                "breaks": layer.breaks,
            }
            for layer in layers
        ],
        "counts": {
            "goals": len(found.health.goals),
            "stale": found.count(Health.STALE),
            "unlinked": found.count(Health.UNLINKED),
            "untranslated": len(untranslated),
        },
    }
