"""Reads of career frameworks. Every read is scoped to one organisation."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from tandem.careers import assessment
from tandem.careers.calibration import (
    Argument,
    CaseFacts,
    Flag,
    GroupRate,
    RateTest,
    TeamFacts,
    argued_without_evidence,
    confidence_without_evidence,
    four_fifths_flags,
    manager_rate_flags,
    manager_rate_tests,
    selection_rates,
)
from tandem.careers.frameworkfile import FrameworkSpec, LevelSpec, ThemeSpec, TrackSpec
from tandem.careers.models import (
    CaseArgument,
    CaseStatus,
    Criterion,
    CriterionDecision,
    Demographics,
    Endorsement,
    Evidence,
    FrameworkVersion,
    Level,
    MotivationCheck,
    PeerInput,
    Placement,
    PromotionCase,
    QuarterSummary,
    Track,
)
from tandem.careers.readiness import Reading, criterion_readiness
from tandem.cycles.results import PersonResult
from tandem.people.models import Organisation, Person


def framework_versions(*, organisation: Organisation) -> list[FrameworkVersion]:
    return list(
        FrameworkVersion.objects.filter(framework__organisation=organisation).select_related(
            "published_by"
        )
    )


def framework_version_get(
    *, organisation: Organisation, number: int | None = None
) -> FrameworkVersion | None:
    """A version by number, or the current (latest published) one when number is None."""
    versions = FrameworkVersion.objects.filter(framework__organisation=organisation)
    if number is not None:
        versions = versions.filter(number=number)
    return versions.order_by("-number").first()


def tracks_with_levels(*, version: FrameworkVersion) -> list[Track]:
    return list(version.tracks.prefetch_related("levels"))


def track_get(*, version: FrameworkVersion, key: str) -> Track | None:
    """A track with its levels and their criteria, in three queries."""
    return (
        version.tracks.filter(key=key)
        .prefetch_related(Prefetch("levels", queryset=Level.objects.prefetch_related("criteria")))
        .first()
    )


@dataclass(frozen=True)
class Theme:
    name: str
    criteria: tuple[Criterion, ...]


def criteria_by_theme(level: Level) -> list[Theme]:
    """The level's criteria grouped by theme, in the order the themes first appear."""
    groups: dict[str, list[Criterion]] = {}
    for criterion in level.criteria.all():
        groups.setdefault(criterion.theme, []).append(criterion)
    return [Theme(name=name, criteria=tuple(items)) for name, items in groups.items()]


@dataclass(frozen=True)
class Position:
    """Where a person stands in a framework version: their level and the next one, if any."""

    track: Track | None
    level: Level | None
    next_level: Level | None
    since: datetime.date | None = None
    placed: bool = False  # set by the people team in Tandem, not only from the HR file


def placement_current(*, person: Person) -> Placement | None:
    return Placement.objects.filter(person=person).first()


def placement_history(*, person: Person) -> list[Placement]:
    return list(Placement.objects.filter(person=person).select_related("set_by"))


@dataclass(frozen=True)
class PlacementRow:
    person: Person
    track_key: str
    level_number: int | None
    since: datetime.date | None
    placed: bool


def placements_in(*, organisation: Organisation) -> list[PlacementRow]:
    """Every active person with their current track and level, in two queries."""
    people = list(Person.objects.in_organisation(organisation).active().select_related("manager"))
    latest: dict[int, Placement] = {}
    for found in Placement.objects.filter(person__in=people).order_by("person_id", "-since", "-pk"):
        latest.setdefault(found.person_id, found)
    rows = []
    for person in people:
        placement = latest.get(person.pk)
        if placement is not None:
            rows.append(
                PlacementRow(
                    person, placement.track_key, placement.level_number, placement.since, True
                )
            )
        else:
            rows.append(PlacementRow(person, person.track, person.level, None, False))
    return rows


def person_position(*, version: FrameworkVersion, person: Person | None) -> Position:
    """The person's newest placement, else the track and level from the people records."""
    if person is None:
        return Position(track=None, level=None, next_level=None)
    placement = placement_current(person=person)
    level_number: int | None
    if placement is not None:
        track_key, level_number = placement.track_key, placement.level_number
        since: datetime.date | None = placement.since
    else:
        track_key, level_number, since = person.track, person.level, None
    if not track_key:
        return Position(track=None, level=None, next_level=None)
    track = version.tracks.filter(key=track_key).first()
    if track is None:
        return Position(track=None, level=None, next_level=None)
    levels = {level.number: level for level in track.levels.all()}
    if level_number is None:
        return Position(track=track, level=None, next_level=None)
    return Position(
        track=track,
        level=levels.get(level_number),
        next_level=levels.get(level_number + 1),
        since=since,
        placed=placement is not None,
    )


def framework_spec(*, version: FrameworkVersion) -> FrameworkSpec:
    """The version as plain data, as a file would hold it."""
    tracks = version.tracks.prefetch_related(
        Prefetch("levels", queryset=Level.objects.prefetch_related("criteria"))
    )
    return FrameworkSpec(
        name=version.name,
        tracks=tuple(
            TrackSpec(
                key=track.key,
                name=track.name,
                description=track.description,
                levels=tuple(
                    LevelSpec(
                        number=level.number,
                        title=level.title,
                        summary=level.summary,
                        themes=tuple(
                            ThemeSpec(
                                name=theme.name, criteria=tuple(c.text for c in theme.criteria)
                            )
                            for theme in criteria_by_theme(level)
                        ),
                    )
                    for level in track.levels.all()
                ),
            )
            for track in tracks
        ),
    )


# --- evidence over time --------------------------------------------------------------------


def evidence_of(*, person: Person) -> list[Evidence]:
    """A person's entries, newest first, with criteria and endorsers, in three queries."""
    return list(
        Evidence.objects.filter(person=person).prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.select_related("level__track")),
            Prefetch("endorsements", queryset=Endorsement.objects.select_related("endorser")),
        )
    )


def evidence_get(*, organisation: Organisation, evidence_id: int) -> Evidence | None:
    return (
        Evidence.objects.filter(pk=evidence_id, person__organisation=organisation)
        .select_related("person__organisation")
        .first()
    )


@dataclass(frozen=True)
class CriterionEvidence:
    criterion: Criterion
    entries: tuple[Evidence, ...]

    @property
    def endorsed(self) -> int:
        return sum(1 for e in self.entries if e.endorsements.all())


@dataclass(frozen=True)
class LevelEvidence:
    level: Level
    label: str
    criteria: tuple[CriterionEvidence, ...]

    @property
    def shown(self) -> int:
        return sum(1 for c in self.criteria if c.entries)


def _criterion_key(criterion: Criterion) -> tuple[str, int, str]:
    # Evidence logged against an earlier version still counts for the same words at the same
    # place in the framework.
    return (criterion.level.track.key, criterion.level.number, criterion.text)


def growth_by_criterion(*, position: Position, entries: list[Evidence]) -> list[LevelEvidence]:
    """Per criterion of the person's current and next level, the evidence so far."""
    by_key: dict[tuple[str, int, str], list[Evidence]] = {}
    for entry in entries:
        for criterion in entry.criteria.all():
            by_key.setdefault(_criterion_key(criterion), []).append(entry)
    result = []
    for level, label in ((position.level, "Your level"), (position.next_level, "Next level")):
        if level is None:
            continue
        criteria = level.criteria.select_related("level__track")
        result.append(
            LevelEvidence(
                level=level,
                label=label,
                criteria=tuple(
                    CriterionEvidence(c, tuple(by_key.get(_criterion_key(c), ()))) for c in criteria
                ),
            )
        )
    return result


def evidence_criteria_choices(
    *, version: FrameworkVersion, position: Position
) -> list[tuple[str, list[tuple[int, str]]]]:
    """Criteria to tie an entry to, grouped by level: the person's own and next level first,
    then every other level of every track (moving sideways is an option too)."""
    levels = list(
        Level.objects.filter(track__version=version)
        .select_related("track")
        .prefetch_related("criteria")
        .order_by("track__position", "number")
    )
    first = [lv for lv in (position.level, position.next_level) if lv is not None]
    first_ids = {lv.pk for lv in first}
    ordered = [lv for lv in levels if lv.pk in first_ids] + [
        lv for lv in levels if lv.pk not in first_ids
    ]
    return [
        (
            f"{lv.track.name}, level {lv.number}: {lv.title}",
            [(c.pk, c.text) for c in lv.criteria.all()],
        )
        for lv in ordered
    ]


# --- quarterly summaries ---------------------------------------------------------------------


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_summary_get(*, person: Person, year: int, quarter: int) -> QuarterSummary | None:
    return QuarterSummary.objects.filter(person=person, year=year, quarter=quarter).first()


def quarter_summaries(*, person: Person) -> list[QuarterSummary]:
    return list(QuarterSummary.objects.filter(person=person))


def people_without_summary(*, organisation: Organisation, year: int, quarter: int) -> list[Person]:
    """Active people who can sign in and have not written this quarter's summary."""
    written = QuarterSummary.objects.filter(
        person__organisation=organisation, year=year, quarter=quarter
    ).values("person_id")
    return list(
        Person.objects.in_organisation(organisation)
        .active()
        .filter(membership__user__is_active=True)
        .exclude(pk__in=written)
        .order_by("pk")
    )


# --- choosing a track -----------------------------------------------------------------------


def motivation_latest(*, person: Person) -> MotivationCheck | None:
    return MotivationCheck.objects.filter(person=person).first()


# --- promotion cases ------------------------------------------------------------------------


def case_get(*, organisation: Organisation, case_id: int) -> PromotionCase | None:
    return (
        PromotionCase.objects.filter(pk=case_id, organisation=organisation)
        .select_related(
            "candidate__manager", "advocate", "target_level__track__version", "organisation"
        )
        .first()
    )


def cases_in(*, organisation: Organisation) -> list[PromotionCase]:
    return list(
        PromotionCase.objects.filter(organisation=organisation).select_related(
            "candidate", "advocate", "target_level__track"
        )
    )


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    argument: CaseArgument | None
    evidence: tuple[Evidence, ...]
    peer_inputs: tuple[PeerInput, ...]
    decision: CriterionDecision | None
    readiness: Reading

    @property
    def endorsed(self) -> int:
        return sum(1 for e in self.evidence if e.endorsements.all())


@dataclass(frozen=True)
class CaseView:
    case: PromotionCase
    themes: tuple[tuple[str, tuple[CriterionRow, ...]], ...]
    general_input: tuple[PeerInput, ...]

    @property
    def rows(self) -> list[CriterionRow]:
        return [row for _, rows in self.themes for row in rows]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.readiness.status == status)


def case_view(*, case: PromotionCase) -> CaseView:
    """The case criterion by criterion with its readiness, in a fixed number of queries."""
    arguments = {
        a.criterion_id: a
        for a in case.arguments.select_related("written_by").prefetch_related(
            Prefetch(
                "evidence",
                queryset=Evidence.objects.prefetch_related(
                    Prefetch(
                        "endorsements", queryset=Endorsement.objects.select_related("endorser")
                    )
                ),
            )
        )
    }
    inputs = list(case.peer_inputs.select_related("author"))
    decisions = {d.criterion_id: d for d in case.decisions.select_related("decided_by")}
    groups: dict[str, list[CriterionRow]] = {}
    for criterion in case.target_level.criteria.all():
        argument = arguments.get(criterion.pk)
        evidence = tuple(argument.evidence.all()) if argument else ()
        endorsed = sum(1 for e in evidence if e.endorsements.all())
        decision = decisions.get(criterion.pk)
        if decision is not None:
            reading = Reading(decision.verdict, f"Decided: {decision.reason}")
        else:
            reading = criterion_readiness(
                argued=bool(argument and argument.text.strip()),
                evidence=len(evidence),
                endorsed=endorsed,
            )
        groups.setdefault(criterion.theme, []).append(
            CriterionRow(
                criterion=criterion,
                argument=argument,
                evidence=evidence,
                peer_inputs=tuple(i for i in inputs if i.criterion_id == criterion.pk),
                decision=decision,
                readiness=reading,
            )
        )
    return CaseView(
        case=case,
        themes=tuple((theme, tuple(rows)) for theme, rows in groups.items()),
        general_input=tuple(i for i in inputs if i.criterion_id is None),
    )


# --- calibration ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    track: Track
    level: Level
    cases: tuple[PromotionCase, ...]


@dataclass(frozen=True)
class Board:
    cases: tuple[PromotionCase, ...]
    cells: tuple[Cell, ...]
    unevidenced: tuple[Flag, ...]
    confidence: tuple[Flag, ...]
    manager_rate: tuple[Flag, ...]
    rate_tests: tuple[RateTest, ...]
    four_fifths: tuple[Flag, ...]
    group_rates: tuple[tuple[str, tuple[GroupRate, ...]], ...]
    eligible: int

    @property
    def flag_count(self) -> int:
        return (
            len(self.unevidenced)
            + len(self.confidence)
            + len(self.manager_rate)
            + len(self.four_fifths)
        )

    def flags_for(self, case: PromotionCase) -> list[Flag]:
        return [f for f in self.unevidenced + self.confidence if f.case_id == case.pk]


def _with_evidence_counts(arguments: QuerySet[CaseArgument]) -> QuerySet[CaseArgument]:
    return arguments.select_related("criterion").annotate(n_evidence=Count("evidence"))


def _case_facts(
    case: PromotionCase, arguments: Iterable[CaseArgument], result: PersonResult | None
) -> CaseFacts:
    """A case as plain values for ``tandem.careers.calibration``. ``arguments`` come from
    :func:`_with_evidence_counts`."""
    return CaseFacts(
        case_id=case.pk,
        candidate=case.candidate.name,
        target_track=case.target_level.track.key,
        current_track=case.candidate.track or None,
        arguments=tuple(
            Argument(
                criterion=a.criterion.text,
                has_text=bool(a.text.strip()),
                evidence=a.n_evidence,  # type: ignore[attr-defined]
            )
            for a in arguments
        ),
        self_scores=result.self_scores if result else None,
        others_scores=result.others_scores if result else None,
    )


def case_flags(*, case: PromotionCase) -> list[Flag]:
    """The calibration flags about this one case, by the same rules as the session."""
    facts = _case_facts(
        case,
        _with_evidence_counts(case.arguments.all()),
        assessment.latest_result(case.candidate),
    )
    return argued_without_evidence([facts]) + confidence_without_evidence([facts])


def calibration_board(*, organisation: Organisation, since: datetime.date) -> Board:
    """Proposed and decided cases since ``since``, laid out by target track and level, with
    every bias flag from ``tandem.careers.calibration``."""
    cases = list(
        PromotionCase.objects.filter(
            organisation=organisation,
            status__in=[CaseStatus.PROPOSED, CaseStatus.DECIDED],
            proposed_at__date__gte=since,
        )
        .select_related("candidate__manager", "advocate", "target_level__track")
        .prefetch_related(
            Prefetch("arguments", queryset=_with_evidence_counts(CaseArgument.objects.all()))
        )
        .order_by("target_level__track__position", "target_level__number", "candidate__name")
    )
    cells: dict[int, list[PromotionCase]] = {}
    for case in cases:
        cells.setdefault(case.target_level_id, []).append(case)
    levels = {case.target_level_id: case.target_level for case in cases}
    facts = [
        _case_facts(case, case.arguments.all(), assessment.latest_result(case.candidate))
        for case in cases
    ]
    # Proposal rates: everyone with an active manager is eligible; a proposal counts for the
    # candidate's manager.
    people = list(
        Person.objects.in_organisation(organisation)
        .active()
        .filter(manager__isnull=False)
        .select_related("manager")
    )
    proposed_ids = {case.candidate_id for case in cases}
    teams: dict[int, list[Person]] = {}
    for person in people:
        assert person.manager is not None
        teams.setdefault(person.manager.pk, []).append(person)
    team_facts = [
        TeamFacts(
            manager_id=manager_id,
            manager=members[0].manager.name if members[0].manager else "",
            eligible=len(members),
            proposed=sum(1 for p in members if p.pk in proposed_ids),
        )
        for manager_id, members in sorted(teams.items())
    ]
    demographic: dict[str, dict[str, list[int]]] = {}
    eligible_ids = {p.pk for p in people}
    for row in Demographics.objects.filter(person_id__in=eligible_ids):
        for field, group in sorted((row.fields or {}).items()):
            if group in (None, ""):
                continue
            counts = demographic.setdefault(str(field), {}).setdefault(str(group), [0, 0])
            counts[1] += 1
            counts[0] += int(row.person_id in proposed_ids)
    fields = {
        field: {group: (c[0], c[1]) for group, c in groups.items()}
        for field, groups in demographic.items()
    }
    return Board(
        cases=tuple(cases),
        cells=tuple(
            Cell(track=levels[level_id].track, level=levels[level_id], cases=tuple(items))
            for level_id, items in cells.items()
        ),
        unevidenced=tuple(argued_without_evidence(facts)),
        confidence=tuple(confidence_without_evidence(facts)),
        manager_rate=tuple(manager_rate_flags(team_facts)),
        rate_tests=tuple(manager_rate_tests(team_facts)),
        four_fifths=tuple(four_fifths_flags(fields)),
        group_rates=tuple(
            (field, tuple(selection_rates(g))) for field, g in sorted(fields.items())
        ),
        eligible=len(people),
    )


def demographics_in(*, organisation: Organisation) -> list[Demographics]:
    return list(
        Demographics.objects.filter(person__organisation=organisation).select_related("person")
    )
