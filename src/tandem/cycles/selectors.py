"""Reads for cycles. Progress figures count sheets (and whether a sheet has an answer), never
read what anyone answered."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext, ngettext, npgettext

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
            label=str(label),
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
            title=gettext("Launch “%(name)s”?") % {"name": cycle.name},
            lines=(
                ngettext(
                    "%(count)s person takes part. Each gets an email now with a link to rate "
                    "themself and to choose who else should rate them; their managers are added "
                    "as raters.",
                    "%(count)s people take part. Each gets an email now with a link to rate "
                    "themself and to choose who else should rate them; their managers are added "
                    "as raters.",
                    people,
                )
                % {"count": people},
                gettext("The questionnaire is locked for this cycle once it is launched."),
                gettext("Launching cannot be undone."),
            ),
            button=gettext("Yes, launch and send the emails"),
        )
    progress = cycle_progress(cycle)
    asked = sum(g.asked for g in progress.groups)
    finished = sum(g.finished for g in progress.groups)
    if action == "close":
        pending = len(progress.pending)
        return Consequences(
            title=gettext("Close “%(name)s” now?") % {"name": cycle.name},
            lines=(
                ngettext(
                    "Finished so far: %(finished)s of %(count)s sheet.",
                    "Finished so far: %(finished)s of %(count)s sheets.",
                    asked,
                )
                % {"finished": finished, "count": asked}
                + " "
                + ngettext(
                    "Raters can no longer answer: %(count)s person with unfinished sheets will "
                    "find their link closed.",
                    "Raters can no longer answer: %(count)s people with unfinished sheets will "
                    "find their link closed.",
                    pending,
                )
                % {"count": pending},
                gettext("Nothing is released yet: you release the reports in the next step."),
                gettext("Closing cannot be undone."),
            ),
            button=gettext("Yes, close the cycle"),
        )
    small = small_groups(cycle)
    lines = [
        ngettext(
            "Each of the %(count)s participant can then read their report and is told by email.",
            "Each of the %(count)s participants can then read their report and is told by email.",
            progress.participants,
        )
        % {"count": progress.participants},
        gettext(
            "Raters are separated from their answers for good: afterwards nobody, you included, "
            "can tell which sheet was whose, and no answer can change."
        ),
    ]
    if small:
        lines.append(
            ngettext(
                "In %(count)s report a group of raters is below its minimum: their answers are "
                "pooled with other small groups, or left out where even that is too few. Nothing "
                "in any report gives them away.",
                "In %(count)s reports a group of raters is below its minimum: their answers are "
                "pooled with other small groups, or left out where even that is too few. Nothing "
                "in any report gives them away.",
                small,
            )
            % {"count": small}
        )
    lines.append(gettext("Releasing cannot be undone."))
    return Consequences(
        title=gettext("Release the reports of “%(name)s”?") % {"name": cycle.name},
        lines=tuple(lines),
        button=gettext("Yes, release the reports"),
    )


def _group_name(group: str, count: int) -> str:
    """A rater group's name for ``count`` raters, without the number ("peer", "peers")."""
    if group == "manager":
        return npgettext("rater group", "manager", "managers", count)
    if group == "peer":
        return npgettext("rater group", "peer", "peers", count)
    if group == "direct_report":
        return npgettext("rater group", "direct report", "direct reports", count)
    return npgettext("rater group", "other colleague", "other colleagues", count)


def _group_count(group: str, count: int) -> str:
    """So many raters of a group, with the number ("3 peers")."""
    if group == "manager":
        text = npgettext("rater group", "%(count)s manager", "%(count)s managers", count)
    elif group == "peer":
        text = npgettext("rater group", "%(count)s peer", "%(count)s peers", count)
    elif group == "direct_report":
        text = npgettext(
            "rater group", "%(count)s direct report", "%(count)s direct reports", count
        )
    else:
        text = npgettext(
            "rater group", "%(count)s other colleague", "%(count)s other colleagues", count
        )
    return text % {"count": count}


@dataclass(frozen=True)
class GroupOutcome:
    """What the anonymity rule will do with one rater group of a participant, if everyone
    asked answers: ``shown`` is "alone", "pooled" (inside "Others") or "hidden" (nowhere)."""

    group: str
    count: int
    minimum: int
    shown: str
    pooled_with: int  # the size of "Others" when pooled

    @property
    def name(self) -> str:
        """The group's name, in the plural unless it has one rater ("peers")."""
        return _group_name(self.group, self.count)

    @property
    def counted(self) -> str:
        """The number of raters with the group's name ("3 peers")."""
        return _group_count(self.group, self.count)

    def sentence(self) -> str:
        """The plain sentence the participant, their manager and the people team read."""
        if self.shown == "pooled":
            return (
                # Translators: raters is a number of raters of one group, e.g. "2 peers".
                gettext("%(raters)s: fewer than %(minimum)s, so they are not shown on their own.")
                % {"raters": self.counted, "minimum": self.minimum}
                + " "
                + ngettext(
                    "If everyone answers, their answers are combined with others into “Others” "
                    "(%(count)s person).",
                    "If everyone answers, their answers are combined with others into “Others” "
                    "(%(count)s people).",
                    self.pooled_with,
                )
                % {"count": self.pooled_with}
            )
        # Translators: raters is a number of raters of one group, e.g. "2 peers".
        return gettext(
            "%(raters)s: fewer than %(minimum)s, and too few to combine with anyone, so their "
            "answers and comments will not appear in the report at all. Add %(more)s more, or "
            "remove them so nobody answers for nothing."
        ) % {"raters": self.counted, "minimum": self.minimum, "more": self.minimum - self.count}


def outcomes_for_groups(groups: list[str], minimums: dict[str, int]) -> list[GroupOutcome]:
    """The groups below their minimum, and what happens to each (empty when all is well)."""
    plan = anonymity_plan(groups, minimums=minimums)
    alone = {label for label, _covered, _n in plan.shown if label not in ("others", "all_others")}
    pooled = {g: n for label, covered, n in plan.shown if label == "others" for g in covered}
    configured = dict(plan.minimums)
    out = []
    for group in ("manager", "peer", "direct_report", "other"):
        count = groups.count(group)
        if count == 0 or group in alone or (group == "other" and group in pooled):
            continue
        minimum = configured[group] + (1 if group == "manager" and configured[group] > 1 else 0)
        shown = "pooled" if group in pooled else "hidden"
        out.append(GroupOutcome(group, count, minimum, shown, pooled.get(group, 0)))
    return out


def group_outcomes(participant: Participant) -> list[GroupOutcome]:
    """:func:`outcomes_for_groups` for a participant's chosen raters (self excluded)."""
    return outcomes_for_groups(*_chosen_groups(participant))


def _chosen_groups(participant: Participant) -> tuple[list[str], dict[str, int]]:
    """A participant's chosen raters' groups (self excluded) and the cycle's minimums."""
    nominations = participant.nominations.exclude(group="self").order_by()
    groups = list(nominations.values_list("group", flat=True))
    return groups, {k: int(v) for k, v in participant.cycle.minimums.items()}


@dataclass(frozen=True)
class SmallGroups:
    participant_name: str
    outcomes: tuple[GroupOutcome, ...]


def small_groups_in(cycle: Cycle) -> list[SmallGroups]:
    """Participants of a cycle with a rater group below its minimum, in two queries."""
    minimums = {k: int(v) for k, v in cycle.minimums.items()}
    groups: dict[int, list[str]] = {}
    for participant_id, group in (
        Nomination.objects.filter(participant__cycle=cycle)
        .exclude(group="self")
        .values_list("participant_id", "group")
    ):
        groups.setdefault(participant_id, []).append(group)
    names = dict(cycle.participants.values_list("pk", "person__name"))
    found = []
    for participant_id, chosen in groups.items():
        outcomes = outcomes_for_groups(chosen, minimums)
        if outcomes:
            found.append(SmallGroups(names.get(participant_id, ""), tuple(outcomes)))
    return sorted(found, key=lambda s: s.participant_name)


def rater_outcome(nomination: Nomination) -> GroupOutcome | None:
    """What happens to this rater's answers, when their group is below its minimum."""
    if nomination.group == "self":
        return None
    return outcome_of_group(nomination.group, *_chosen_groups(nomination.participant))


def outcome_of_group(
    group: str, groups: list[str], minimums: dict[str, int]
) -> GroupOutcome | None:
    """What happens to the answers of a rater of ``group`` among a participant's chosen raters
    (``groups``, self excluded), when that group is below its minimum; None otherwise."""
    if group == "self":
        return None
    for outcome in outcomes_for_groups(groups, minimums):
        if outcome.group == group:
            return outcome
    return None


@dataclass(frozen=True)
class LeniencyRow:
    """One scale's split of a released cycle's ratings: the people rated, the raters, the rest."""

    scale: str
    people: int | None
    raters: int | None
    rest: int | None
    ratings: int
    linked_raters: int
    all_raters: int
    adjusted: int


@dataclass(frozen=True)
class LeniencySplit:
    """The people team's view of rater leniency in a released cycle (no person, no rater)."""

    rows: tuple[LeniencyRow, ...]
    summary: str

    @property
    def estimated(self) -> bool:
        """Was the split estimated on any scale?"""
        return any(row.raters is not None for row in self.rows)


def leniency_split(cycle: Cycle) -> LeniencySplit | None:
    """How much of each scale's ratings is the raters rather than the people rated.

    None for a cycle released before Tandem fitted rater leniency (or not released).
    """
    from tandem.cycles.instruments import instrument_of

    stored = (cycle.statistics or {}).get("leniency")
    if not stored:
        return None
    names = {s.id: s.name for s in instrument_of(cycle.instrument).scales}
    rows = []
    for scale_id, entry in stored.items():
        share = entry.get("share") or {}

        def pct(key: str, share: dict[str, float] = share) -> int | None:
            return round(100 * share[key]) if key in share else None

        rows.append(
            LeniencyRow(
                scale=names.get(scale_id, scale_id),
                people=pct("ratee"),
                raters=pct("rater"),
                rest=pct("residual"),
                ratings=int(entry.get("ratings") or 0),
                linked_raters=int(entry.get("linked_raters") or 0),
                all_raters=int(entry.get("raters") or 0),
                adjusted=int(entry.get("adjusted") or 0),
            )
        )
    fitted = [r for r in rows if r.raters is not None and r.people is not None]
    if not fitted:
        summary = gettext(
            "Rater leniency could not be estimated in this cycle: too few raters rated more "
            "than one person, so how generous a rater is cannot be told apart from how good "
            "the people they rated are."
        )
    else:
        raters = sorted(r.raters or 0 for r in fitted)
        people = sorted(r.people or 0 for r in fitted)
        summary = gettext(
            "Across the scales, %(raters_low)s–%(raters_high)s%% of the spread in ratings comes "
            "from who the rater was (some rate everyone high, some low) and "
            "%(people_low)s–%(people_high)s%% from who was rated. Scullen, Mount and Goff (2000) "
            "found 53–62%% and 21–25%% in large 360 studies."
        ) % {
            "raters_low": raters[0],
            "raters_high": raters[-1],
            "people_low": people[0],
            "people_high": people[-1],
        }
    return LeniencySplit(rows=tuple(rows), summary=summary)


@dataclass(frozen=True)
class ReleaseProgress:
    """How far the workers are with a released cycle: reports laid out and kept (page and
    PDF), and "your report is ready" emails sent."""

    reports: int
    prepared: int
    emails: int
    emails_sent: int

    @property
    def done(self) -> bool:
        return self.prepared >= self.reports and self.emails_sent >= self.emails


def release_progress(cycle: Cycle) -> ReleaseProgress:
    from tandem.cycles.models import Report
    from tandem.outbox.models import MailStatus, OutgoingMail

    reports = Report.objects.filter(participant__cycle=cycle).aggregate(
        total=Count("pk"),
        prepared=Count("pk", filter=~Q(body_key="") & ~Q(pdf_key="")),
    )
    emails = OutgoingMail.objects.filter(
        about=f"cycle:{cycle.pk}", kind="cycle.report_ready"
    ).aggregate(total=Count("pk"), sent=Count("pk", filter=Q(status=MailStatus.SENT)))
    return ReleaseProgress(
        reports=reports["total"],
        prepared=reports["prepared"],
        emails=emails["total"],
        emails_sent=emails["sent"],
    )
