"""The leadership bench: people who lead without reports.

Who is on it: active people with no active direct reports, on the individual-contributor or
leadership-without-reports track (or none chosen), who either chose the leadership track or
whom enough colleagues named as someone they turn to (an informal leader in the current
nomination survey, from ``tandem.vision.selectors.leaders``, which applies its own minimum).

Their 360 leadership is evidence too, but a report is read only by its participant and, when
they allow it, their manager: the bench shows a person's latest released leadership score only
where ``access.cycles.can_view_report`` lets this reader read that report, and otherwise says
plainly that it is not theirs to read. Nothing here is a verdict; it is where to look.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext

from tandem import access
from tandem.cycles.models import CycleStatus, Participant
from tandem.people.models import Organisation, Person, PersonStatus, Track
from tandem.vision.selectors.leaders import leaders_network

__all__ = ["BenchEntry", "LeadershipBench", "leadership_bench"]

BENCH_TRACKS = (Track.INDIVIDUAL_CONTRIBUTOR, Track.LEADERSHIP_WITHOUT_REPORTS, "")


@dataclass(frozen=True)
class BenchEntry:
    person: Person
    track: str
    nominated_by: int | None
    leadership: float | None
    leadership_cycle: str | None


@dataclass(frozen=True)
class LeadershipBench:
    entries: tuple[BenchEntry, ...]
    survey_opened: dt.date | None
    network_minimum: int


def _readable_leadership(reader: Any, people: list[Person]) -> dict[int, tuple[float, str]]:
    """The latest released leadership score of each person whose report ``reader`` may read."""
    found: dict[int, tuple[float, str]] = {}
    participants = (
        Participant.objects.filter(
            person__in=people, cycle__status=CycleStatus.RELEASED, report__isnull=False
        )
        .select_related("person", "cycle", "report")
        .order_by("cycle__released_at", "cycle_id")
    )
    for participant in participants:
        if not access.cycles.can_view_report(reader, participant):
            continue
        score = participant.report.data.get("profile", {}).get("leadership", {}).get("score")
        if isinstance(score, (int, float)):
            found[participant.person_id] = (float(score), participant.cycle.name)
    return found


def leadership_bench(*, organisation: Organisation, reader: Any) -> LeadershipBench:
    """Who leads without reports, with the evidence this reader may see."""
    network = leaders_network(organisation=organisation)
    named = {shown.person.pk: shown.nominated_by for shown in network.informal_leaders}
    people = list(
        Person.objects.filter(organisation=organisation, status=PersonStatus.ACTIVE)
        .annotate(active_reports=Count("reports", filter=Q(reports__status=PersonStatus.ACTIVE)))
        .filter(active_reports=0, track__in=BENCH_TRACKS)
        .filter(Q(pk__in=named) | Q(track=Track.LEADERSHIP_WITHOUT_REPORTS))
        .order_by("name")
    )
    scores = _readable_leadership(reader, people)
    entries = tuple(
        BenchEntry(
            person=person,
            track=person.get_track_display() if person.track else gettext("No track chosen"),
            nominated_by=named.get(person.pk),
            leadership=scores[person.pk][0] if person.pk in scores else None,
            leadership_cycle=scores[person.pk][1] if person.pk in scores else None,
        )
        for person in people
    )
    # The most often named first; then those who chose the track, by name.
    ordered = sorted(entries, key=lambda e: (-(e.nominated_by or 0), e.person.name))
    survey = network.survey.opened_on if network.survey is not None else None
    return LeadershipBench(tuple(ordered), survey, network.minimum)
