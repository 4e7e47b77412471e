"""Reads of the leaders network. Only aggregates that meet the anonymity minimum leave here.

No function in this module returns a nomination, a nominator or a list of who named whom:
``leaders_network`` builds the graph from the rows, hands it to the pure maths in
``tandem.vision.network``, and keeps only people nominated by at least the minimum number of
distinct people (``VISION_NETWORK_MINIMUM``, by default the minimum for "others" in
``tandem.measure.raters.DEFAULT_MINIMUMS``). Opted-out people are never nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext

from tandem import access
from tandem.measure.raters import DEFAULT_MINIMUMS
from tandem.people.models import Organisation, Person, PersonStatus
from tandem.vision.models import NetworkOptOut, Nomination, NominationSurvey
from tandem.vision.network import Centrality, analyse, brokers, informal_leaders


def network_minimum() -> int:
    """How many distinct people must name someone before they appear anywhere."""
    return int(getattr(settings, "VISION_NETWORK_MINIMUM", DEFAULT_MINIMUMS["other"]))


def survey_open_get(*, organisation: Organisation) -> NominationSurvey | None:
    return NominationSurvey.objects.filter(
        organisation=organisation, closed_on__isnull=True
    ).first()


def survey_current(*, organisation: Organisation) -> NominationSurvey | None:
    """The open survey, else the latest closed one."""
    return (
        survey_open_get(organisation=organisation)
        or NominationSurvey.objects.filter(organisation=organisation)
        .order_by("-opened_on", "-id")
        .first()
    )


def survey_get(*, organisation: Organisation, survey_id: int) -> NominationSurvey | None:
    return NominationSurvey.objects.filter(organisation=organisation, pk=survey_id).first()


def is_opted_out(*, person: Person) -> bool:
    return NetworkOptOut.objects.filter(person=person).exists()


def has_nominated(*, survey: NominationSurvey, person: Person) -> bool:
    return Nomination.objects.filter(survey=survey, nominator=person).exists()


def nominee_choices(*, organisation: Organisation, nominator: Person) -> QuerySet[Person]:
    """Who may be named: active people of the organisation, not opted out, not oneself."""
    return (
        Person.objects.filter(organisation=organisation, status=PersonStatus.ACTIVE)
        .exclude(pk=nominator.pk)
        .exclude(pk__in=NetworkOptOut.objects.values("person_id"))
        .order_by("name")
    )


def nominee_scope(user: Any, organisation: Organisation) -> QuerySet[Person]:
    """The people picker's list in the survey: :func:`nominee_choices` for the user."""
    nominator = access.person_of(user)
    if nominator is None:
        return Person.objects.none()
    return nominee_choices(organisation=organisation, nominator=nominator)


@dataclass(frozen=True)
class ShownPerson:
    person: Person
    nominated_by: int
    pagerank: float
    betweenness: float
    departments: int = 0


@dataclass(frozen=True)
class Community:
    number: int
    size: int
    departments: tuple[str, ...]


@dataclass(frozen=True)
class LeadersNetwork:
    survey: NominationSurvey | None
    respondents: int
    minimum: int
    informal_leaders: list[ShownPerson]
    brokers: list[ShownPerson]
    communities: list[Community]


def leaders_network(*, organisation: Organisation) -> LeadersNetwork:
    """Informal leaders, brokers and community sizes of the current survey, aggregates only."""
    minimum = network_minimum()
    survey = survey_current(organisation=organisation)
    if survey is None:
        return LeadersNetwork(None, 0, minimum, [], [], [])
    opted_out = set(
        NetworkOptOut.objects.filter(person__organisation=organisation).values_list(
            "person_id", flat=True
        )
    )
    people = {
        p.pk: p
        for p in Person.objects.filter(organisation=organisation, status=PersonStatus.ACTIVE)
        .exclude(pk__in=opted_out)
        .annotate(active_reports=Count("reports", filter=Q(reports__status=PersonStatus.ACTIVE)))
    }
    edges = [
        (a, b)
        for a, b in Nomination.objects.filter(survey=survey).values_list(
            "nominator_id", "nominee_id"
        )
        if a in people and b in people
    ]
    respondents = len({a for a, _ in edges})
    network = analyse(nodes=list(people), edges=edges)
    has_reports = {pk for pk, p in people.items() if p.active_reports}  # type: ignore[attr-defined]
    departments = {pk: p.department for pk, p in people.items()}

    def shown(c: Centrality, spans: int = 0) -> ShownPerson:
        return ShownPerson(people[c.person], c.in_degree, c.pagerank, c.betweenness, spans)

    leaders = [
        shown(c) for c in informal_leaders(network, has_reports=has_reports, minimum=minimum)
    ]
    found_brokers = [
        shown(b.centrality, b.departments)
        for b in brokers(network, departments=departments, minimum=minimum)
    ]
    # Groups of people who mostly turn to each other: sizes and departments, never members.
    no_department = gettext("No department")
    communities = [
        Community(
            number=n + 1,
            size=len(group),
            departments=tuple(sorted({departments[p] or no_department for p in group})),
        )
        for n, group in enumerate(network.communities)
        if len(group) >= minimum and any(network.neighbours.get(p) for p in group)
    ]
    return LeadersNetwork(survey, respondents, minimum, leaders, found_brokers, communities)
