"""Reads for cycles. Progress figures count sheets, never read answers."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from tandem.cycles.models import (
    RATER_GROUPS,
    Cycle,
    CycleStatus,
    Nomination,
    NominationsState,
    Participant,
)
from tandem.people.models import Organisation, Person


def cycles_of(organisation: Organisation) -> QuerySet[Cycle]:
    return Cycle.objects.filter(organisation=organisation).select_related("instrument")


def participations_of(person: Person) -> QuerySet[Participant]:
    return (
        Participant.objects.filter(person=person)
        .exclude(cycle__status=CycleStatus.DRAFT)
        .select_related("cycle")
        .order_by("-cycle__opens_on", "-cycle_id")
    )


def sheets_to_fill(person: Person) -> QuerySet[Nomination]:
    """Approved requests to rate someone in open cycles, the person's own included."""
    return (
        Nomination.objects.filter(
            rater=person, approved=True, participant__cycle__status=CycleStatus.OPEN
        )
        .select_related("participant__person", "participant__cycle")
        .order_by("participant__cycle_id", "group", "participant__person__name")
    )


def reviews_waiting(person: Person) -> QuerySet[Participant]:
    """Lists of raters the person's direct reports have sent for approval."""
    return Participant.objects.filter(
        person__manager=person,
        nominations_state=NominationsState.SUBMITTED,
        cycle__status=CycleStatus.OPEN,
    ).select_related("person", "cycle")


def team_reports(person: Person) -> QuerySet[Participant]:
    """Released reports of direct reports who let their manager read them."""
    return Participant.objects.filter(
        person__manager=person, manager_may_view=True, cycle__status=CycleStatus.RELEASED
    ).select_related("person", "cycle")


@dataclass(frozen=True)
class GroupProgress:
    group: str
    label: str
    asked: int
    started: int
    finished: int

    @property
    def rate(self) -> float | None:
        return self.finished / self.asked if self.asked else None


@dataclass(frozen=True)
class PendingRater:
    name: str
    unfinished: int


@dataclass(frozen=True)
class CycleProgress:
    groups: tuple[GroupProgress, ...]
    participants: int
    lists_open: int
    lists_waiting: int
    lists_approved: int
    pending: tuple[PendingRater, ...]


def cycle_progress(cycle: Cycle) -> CycleProgress:
    """Response rates per group and who is still pending: counts of sheets, never answers."""
    nominations = Nomination.objects.filter(participant__cycle=cycle, approved=True)
    counts: dict[str, dict[str, int]] = {
        row["group"]: {
            "asked": row["asked"],
            "started": row["started"],
            "finished": row["finished"],
        }
        for row in nominations.values("group").annotate(
            asked=Count("pk"),
            started=Count("pk", filter=Q(started=True)),
            finished=Count("pk", filter=Q(finished_at__isnull=False)),
        )
    }
    groups = tuple(
        GroupProgress(
            group=key,
            label=label,
            asked=counts.get(key, {}).get("asked", 0),
            started=counts.get(key, {}).get("started", 0),
            finished=counts.get(key, {}).get("finished", 0),
        )
        for key, label in RATER_GROUPS
    )
    states = dict(
        cycle.participants.values_list("nominations_state").annotate(n=Count("pk")).order_by()
    )
    pending = tuple(
        PendingRater(name=row["rater__name"], unfinished=row["n"])
        for row in nominations.filter(finished_at=None)
        .values("rater__name")
        .annotate(n=Count("pk"))
        .order_by("rater__name")
    )
    return CycleProgress(
        groups=groups,
        participants=sum(states.values()),
        lists_open=states.get(NominationsState.OPEN, 0),
        lists_waiting=states.get(NominationsState.SUBMITTED, 0),
        lists_approved=states.get(NominationsState.APPROVED, 0),
        pending=pending,
    )
