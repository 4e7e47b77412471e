"""Reads for cycles. Progress figures count sheets (and whether a sheet has an answer), never
read what anyone answered."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from tandem.cycles.models import (
    RATER_GROUPS,
    Cycle,
    CycleScope,
    CycleStatus,
    Nomination,
    NominationsState,
    Participant,
)
from tandem.measure import anonymity_plan
from tandem.people.models import Organisation, Person, PersonStatus


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


def cycle_people(cycle: Cycle) -> QuerySet[Person]:
    """The active people the cycle's scope covers."""
    people = Person.objects.filter(organisation=cycle.organisation, status=PersonStatus.ACTIVE)
    if cycle.scope == CycleScope.DEPARTMENT:
        return people.filter(department=cycle.department)
    if cycle.scope == CycleScope.CHOSEN:
        return people.filter(pk__in=cycle.chosen.values("pk"))
    return people


@dataclass(frozen=True)
class Consequences:
    """What launching, closing or releasing a cycle will do, in plain sentences."""

    title: str
    lines: tuple[str, ...]
    button: str


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def small_groups(cycle: Cycle) -> int:
    """Participants with a rater group (answers given) too small to be shown on its own."""
    answered = (
        Nomination.objects.filter(participant__cycle=cycle, approved=True)
        .exclude(group="self")
        .filter(answers__value__isnull=False)
        .values_list("participant_id", "group", "pk")
        .distinct()
    )
    by_participant: dict[int, list[str]] = {}
    for participant_id, group, _pk in answered:
        by_participant.setdefault(participant_id, []).append(group)
    minimums = {k: int(v) for k, v in cycle.minimums.items()}
    small = 0
    for groups in by_participant.values():
        plan = anonymity_plan(groups, minimums=minimums)
        pooled = {g for label, covered, _n in plan.shown if label == "others" for g in covered}
        small += bool(plan.left_out or pooled - {"other"})
    return small


def action_consequences(cycle: Cycle, action: str) -> Consequences:
    """The confirmation text for one irreversible step of a cycle."""
    if action == "launch":
        people = cycle_people(cycle).count()
        return Consequences(
            title=f"Launch “{cycle.name}”?",
            lines=(
                f"{_plural(people, 'person', 'people')} take part. Each gets an email now with a "
                "link to rate themself and to choose who else should rate them; their managers "
                "are added as raters.",
                "The questionnaire is locked for this cycle once it is launched.",
                "Launching cannot be undone.",
            ),
            button="Yes, launch and send the emails",
        )
    progress = cycle_progress(cycle)
    asked = sum(g.asked for g in progress.groups)
    finished = sum(g.finished for g in progress.groups)
    if action == "close":
        return Consequences(
            title=f"Close “{cycle.name}” now?",
            lines=(
                f"Finished so far: {finished} of {_plural(asked, 'sheet')}. Raters can no longer "
                f"answer: {_plural(len(progress.pending), 'person', 'people')} with unfinished "
                "sheets will find their link closed.",
                "Nothing is released yet: you release the reports in the next step.",
                "Closing cannot be undone.",
            ),
            button="Yes, close the cycle",
        )
    small = small_groups(cycle)
    lines = [
        f"Each of the {_plural(progress.participants, 'participant')} can then read their "
        "report and is told by email.",
        "Raters are separated from their answers for good: afterwards nobody, you included, "
        "can tell which sheet was whose, and no answer can change.",
    ]
    if small:
        lines.append(
            f"In {_plural(small, 'report')} a group of raters is below its minimum: their "
            "answers are pooled with other small groups, or left out where even that is too "
            "few. Nothing in any report gives them away."
        )
    lines.append("Releasing cannot be undone.")
    return Consequences(
        title=f"Release the reports of “{cycle.name}”?",
        lines=tuple(lines),
        button="Yes, release the reports",
    )
