"""Reads for growth. Every read is scoped to one organisation or one person.

Assessment figures come only from ``tandem.cycles.results`` (released reports, as shown to the
person), and quick-feedback figures only through ``tandem.growth.feedback_figures``, which
derives them from one ``tandem.measure`` disclosure decision.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from tandem.cycles.instruments import instrument_of, shipped_instrument
from tandem.cycles.models import CycleStatus, Participant, Report
from tandem.cycles.results import (
    PersonResult,
    latest_results_for_people,
    released_results_for,
    result_from_report,
)
from tandem.growth.feedback_figures import ScaleResult, feedback_figures
from tandem.growth.models import (
    ActionNote,
    FeedbackInvite,
    FeedbackRequest,
    FeedbackStatus,
    FocusArea,
    Habit,
    HabitAdoption,
    HabitSet,
    HabitTick,
    HiddenLibraryAction,
    Interest,
    LibraryAction,
    Plan,
    PlanAction,
)
from tandem.growth.progress import Chart, ScaleChange, chart, scale_change
from tandem.growth.suggest import Suggestions, fitting_actions, suggest_focus
from tandem.growth.weeks import IsoWeek, Streak, streak
from tandem.measure import Instrument
from tandem.people.models import Organisation, Person, PersonStatus

DEFAULT_INSTRUMENT = "tandem-lm-1"


# --- results ---------------------------------------------------------------------------------


def released_participant(*, organisation: Organisation, participant_id: int) -> Participant | None:
    """A participant of a released cycle in ``organisation`` that has a report, or None."""
    return (
        Participant.objects.filter(
            pk=participant_id,
            cycle__organisation=organisation,
            cycle__status=CycleStatus.RELEASED,
            report__isnull=False,
        )
        .select_related("person", "cycle__instrument", "report")
        .first()
    )


def result_of(participant: Participant) -> PersonResult:
    return result_from_report(participant.report)


def suggestions_for(result: PersonResult) -> Suggestions:
    scale_of_item = {item.id: item.scale for item in result.instrument.items}
    return suggest_focus(
        scale_names={scale.id: scale.name for scale in result.instrument.scales},
        others_scores=result.others_scores,
        self_scores=result.self_scores,
        percentiles=result.percentiles,
        blind_spot_scales=[scale_of_item[i] for i in result.blind_spots if i in scale_of_item],
    )


def instrument_for(person: Person) -> Instrument:
    """The instrument of the person's latest released result, else Tandem's own."""
    row = (
        Report.objects.filter(
            participant__person=person, participant__cycle__status=CycleStatus.RELEASED
        )
        .select_related("participant__cycle__instrument")
        .order_by("-participant__cycle__released_at", "-participant__cycle_id")
        .first()
    )
    if row is not None:
        return instrument_of(row.participant.cycle.instrument)
    return shipped_instrument(DEFAULT_INSTRUMENT)


# --- plans -----------------------------------------------------------------------------------


def plan_get(*, person: Person) -> Plan | None:
    return (
        Plan.objects.filter(person=person)
        .select_related("person")
        .prefetch_related(
            Prefetch("focus_areas", queryset=FocusArea.objects.order_by("closed_at", "kind")),
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related("owner", "focus").prefetch_related(
                    Prefetch("notes", queryset=ActionNote.objects.select_related("author"))
                ),
            ),
        )
        .first()
    )


def action_get(*, organisation: Organisation, action_id: int) -> PlanAction | None:
    return (
        PlanAction.objects.filter(pk=action_id, plan__organisation=organisation)
        .select_related("plan__person__organisation", "owner", "focus", "library_action")
        .prefetch_related(Prefetch("notes", queryset=ActionNote.objects.select_related("author")))
        .first()
    )


def focus_get(*, person: Person, focus_id: int) -> FocusArea | None:
    return FocusArea.objects.filter(pk=focus_id, plan__person=person).first()


def library_all(*, organisation: Organisation) -> QuerySet[LibraryAction]:
    """Tandem's own actions and the organisation's, retired and hidden ones included: what
    the organisation's plans may refer to."""
    return (
        LibraryAction.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
        .select_related("organisation")
        .order_by("organisation_id", "title", "pk")
    )


def library(*, organisation: Organisation) -> QuerySet[LibraryAction]:
    """What the organisation offers its people: Tandem's own actions it has not hidden, and
    its own that are not retired."""
    return (
        library_all(organisation=organisation)
        .filter(retired_at__isnull=True)
        .exclude(hidden_in__organisation=organisation)
    )


def library_hidden_ids(*, organisation: Organisation) -> set[int]:
    """Ids of Tandem's own actions the organisation has hidden."""
    return set(
        HiddenLibraryAction.objects.filter(organisation=organisation).values_list(
            "action_id", flat=True
        )
    )


def library_action_find(*, organisation: Organisation, action_id: int) -> LibraryAction | None:
    """A library action the organisation can see, offered or not (for the people team)."""
    return library_all(organisation=organisation).filter(pk=action_id).first()


def library_action_get(*, organisation: Organisation, action_id: int) -> LibraryAction | None:
    return library(organisation=organisation).filter(pk=action_id).first()


@dataclass(frozen=True)
class FittingAction:
    action: LibraryAction
    matches: tuple[str, ...]


def actions_that_fit(*, organisation: Organisation, scale_ids: list[str]) -> list[FittingAction]:
    rows = list(library(organisation=organisation))
    by_id = {row.pk: row for row in rows}
    fits = fitting_actions([(row.pk, row.scale_ids) for row in rows], scale_ids)
    return [FittingAction(by_id[fit.action_id], fit.matches) for fit in fits]


def owner_choices(*, person: Person) -> list[Person]:
    """Who may own an action in a person's plan: the person, and their manager if any."""
    choices = [person]
    if person.manager is not None and person.manager.is_active:
        choices.append(person.manager)
    return choices


# --- team ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamMember:
    person: Person
    strengths: tuple[tuple[str, float], ...]  # (scale name, others' score), best first
    cycle_name: str
    shared: bool  # False: they have a released report but keep it from their manager
    interests: tuple[str, ...]


def team_overview(
    *, manager: Person, may_see: Callable[[Participant], bool], strengths: int = 2
) -> list[TeamMember]:
    """The manager's active direct reports: strengths from their latest released report (only
    when ``may_see`` allows it, and only what the report shows) and what each loves working
    on."""
    team = list(
        manager.reports.filter(status=PersonStatus.ACTIVE)
        .prefetch_related(Prefetch("growth_interests", queryset=Interest.objects.all()))
        .order_by("name")
    )
    latest = latest_results_for_people(team)
    # The access rule reads the participation itself (its consent, cycle and person).
    participants = Participant.objects.select_related(
        "cycle__organisation", "person__manager"
    ).in_bulk([result.participant_id for result in latest.values() if result is not None])
    members = []
    for person in team:
        result = latest[person.pk]
        top: tuple[tuple[str, float], ...] = ()
        shared, cycle_name = False, ""
        if result is not None:
            cycle_name = result.cycle_name
            shared = may_see(participants[result.participant_id])
        if result is not None and shared:
            names = {scale.id: scale.name for scale in result.instrument.scales}
            scored = [(s, v) for s, v in result.others_scores.items() if v is not None]
            scored.sort(key=lambda pair: -pair[1])
            top = tuple((names[s], v) for s, v in scored[:strengths])
        members.append(
            TeamMember(
                person=person,
                strengths=top,
                cycle_name=cycle_name,
                shared=shared,
                interests=tuple(i.text for i in person.growth_interests.all()),
            )
        )
    return members


def interests_of(*, person: Person) -> QuerySet[Interest]:
    return Interest.objects.filter(person=person)


# --- quick feedback --------------------------------------------------------------------------


def feedback_requests_of(*, person: Person) -> QuerySet[FeedbackRequest]:
    return FeedbackRequest.objects.filter(person=person).prefetch_related("invites")


def feedback_inbox(*, person: Person) -> QuerySet[FeedbackInvite]:
    """Requests waiting for this person's answer."""
    return FeedbackInvite.objects.filter(
        respondent=person, answered=False, request__status=FeedbackStatus.OPEN
    ).select_related("request__person")


def feedback_request_get(*, organisation: Organisation, request_id: int) -> FeedbackRequest | None:
    return (
        FeedbackRequest.objects.filter(pk=request_id, organisation=organisation)
        .select_related("person", "organisation")
        .first()
    )


def invite_for_token_hash(token_hash: str) -> FeedbackInvite | None:
    return (
        FeedbackInvite.objects.filter(token_hash=token_hash)
        .select_related("request__person", "request__organisation", "respondent")
        .first()
    )


def feedback_colleagues(*, person: Person) -> QuerySet[Person]:
    return (
        Person.objects.filter(organisation_id=person.organisation_id, status=PersonStatus.ACTIVE)
        .exclude(pk=person.pk)
        .order_by("name")
    )


@dataclass(frozen=True)
class FeedbackResults:
    asked: int
    answered: int
    minimum: int
    shown: bool
    scales: tuple[ScaleResult, ...]
    low: int
    high: int


def feedback_results(*, request: FeedbackRequest) -> FeedbackResults:
    """What the requester may see. Nothing while the request is open; after it closes, only
    what one disclosure decision over all the request's scales and questions allows
    (:func:`tandem.growth.feedback_figures.feedback_figures`)."""
    invites = list(request.invites.all())
    minimums = request.minimums
    questions = request.questions
    base = {
        "asked": len(invites),
        "answered": sum(1 for i in invites if i.answered),
        "minimum": int(minimums.get("other", 3)),
        "low": int(questions["minimum"]),
        "high": int(questions["maximum"]),
    }
    if request.is_open:
        return FeedbackResults(shown=False, scales=(), **base)
    sheets = list(request.sheets.all())
    scales = feedback_figures(
        questions, [sheet.values for sheet in sheets], [sheet.group for sheet in sheets], minimums
    )
    shown = any(s.mean is not None for s in scales)
    return FeedbackResults(shown=shown, scales=scales, **base)


# --- habits ----------------------------------------------------------------------------------


def habit_sets_for(*, organisation: Organisation) -> QuerySet[HabitSet]:
    """The sets people may adopt: Tandem's own and the organisation's, except retired ones."""
    return HabitSet.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation), retired_at__isnull=True
    ).prefetch_related("habits")


def habit_sets_made_by(*, organisation: Organisation) -> QuerySet[HabitSet]:
    """The organisation's own sets, retired ones last, each marked ``adopted`` when anyone has
    ever adopted it (who, and how many, stays private)."""
    return (
        HabitSet.objects.filter(organisation=organisation)
        .select_related("organisation")
        .annotate(adopted=Exists(HabitAdoption.objects.filter(habit_set=OuterRef("pk"))))
        .prefetch_related("habits")
        .order_by(F("retired_at").asc(nulls_first=True), "name", "pk")
    )


def habit_set_find(*, organisation: Organisation, habit_set_id: int) -> HabitSet | None:
    """A set the organisation can see (Tandem's own or its own), retired or not."""
    return (
        HabitSet.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
        .filter(pk=habit_set_id)
        .select_related("organisation")
        .prefetch_related("habits")
        .first()
    )


@dataclass(frozen=True)
class HabitRow:
    habit: Habit
    done: bool


@dataclass(frozen=True)
class HabitWeek:
    adoption: HabitAdoption
    week: IsoWeek
    rows: tuple[HabitRow, ...]
    streak: Streak
    history: tuple[tuple[IsoWeek, int], ...]  # recent weeks, oldest first, with ticks done

    @property
    def done(self) -> int:
        return sum(1 for row in self.rows if row.done)

    @property
    def kept(self) -> bool:
        return bool(self.rows) and self.done == len(self.rows)


def habit_weeks(*, person: Person, today: datetime.date, history: int = 8) -> list[HabitWeek]:
    """Each active habit set of the person: this week's checklist, the streak of weeks kept
    (every habit ticked) and the last ``history`` weeks. Two queries per page plus one."""
    week = IsoWeek.of(today)
    adoptions = list(
        HabitAdoption.objects.filter(person=person, active=True)
        .select_related("habit_set")
        .prefetch_related("habit_set__habits", "ticks")
    )
    out = []
    for adoption in adoptions:
        habits = list(adoption.habit_set.habits.all())
        ticks_by_week: dict[str, set[int]] = {}
        for tick in adoption.ticks.all():
            ticks_by_week.setdefault(tick.week, set()).add(tick.habit_id)
        wanted = {h.pk for h in habits}
        kept = [IsoWeek.parse(w) for w, ids in ticks_by_week.items() if wanted and wanted <= ids]
        this_week = ticks_by_week.get(str(week), set())
        recent = [week.shift(-k) for k in range(history - 1, -1, -1)]
        out.append(
            HabitWeek(
                adoption=adoption,
                week=week,
                rows=tuple(HabitRow(h, h.pk in this_week) for h in habits),
                streak=streak(kept, today=week),
                history=tuple((w, len(ticks_by_week.get(str(w), set()) & wanted)) for w in recent),
            )
        )
    return out


def adoption_get(*, person: Person, adoption_id: int) -> HabitAdoption | None:
    return (
        HabitAdoption.objects.filter(pk=adoption_id, person=person)
        .select_related("habit_set", "person__organisation")
        .first()
    )


def habit_ticks(*, adoption: HabitAdoption, week: IsoWeek) -> QuerySet[HabitTick]:
    return HabitTick.objects.filter(adoption=adoption, week=str(week))


# --- progress --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    results: list[PersonResult]
    changes: list[ScaleChange] = field(default_factory=list)
    chart: Chart | None = None
    before_name: str = ""
    after_name: str = ""

    @property
    def real(self) -> int:
        return sum(1 for c in self.changes if c.verdict in {"increase", "decrease"})


def progress_for(*, person: Person) -> Progress:
    """Each scale's change from the previous released cycle to the latest, with the reliable
    change index (sd and reliability of the earlier cycle), and the chart over every cycle."""
    results = released_results_for(person)
    if not results:
        return Progress(results=[])
    latest = results[-1]
    scales = [(scale.id, scale.name) for scale in latest.instrument.scales]
    response = latest.instrument.response_scale()
    drawn = chart(
        cycles=[r.cycle_name for r in results],
        scales=scales,
        scores=[r.others_scores for r in results],
        low=response.minimum,
        high=response.maximum,
    )
    if len(results) < 2:
        return Progress(results=results, chart=drawn)
    earlier = results[-2]
    changes = [
        scale_change(
            scale_id=sid,
            scale_name=name,
            before=earlier.others_scores.get(sid),
            after=latest.others_scores.get(sid),
            sd=earlier.scale_sd.get(sid),
            reliability=earlier.scale_reliability.get(sid),
        )
        for sid, name in scales
    ]
    return Progress(
        results=results,
        changes=changes,
        chart=drawn,
        before_name=earlier.cycle_name,
        after_name=latest.cycle_name,
    )


def latest_participant(*, person: Person) -> Participant | None:
    """The person's participation in their latest released cycle with a report."""
    return (
        Participant.objects.filter(
            person=person, cycle__status=CycleStatus.RELEASED, report__isnull=False
        )
        .select_related("cycle")
        .order_by("-cycle__released_at", "-cycle_id")
        .first()
    )


def scale_names(*, person: Person | None) -> dict[str, str]:
    """Scale id -> name, from the person's latest instrument (Tandem's own by default)."""
    instrument = instrument_for(person) if person else shipped_instrument(DEFAULT_INSTRUMENT)
    return {scale.id: scale.name for scale in instrument.scales}
