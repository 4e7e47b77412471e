"""Reads for calibration: the board of proposed and decided cases with every bias flag, the
flags about one case, and the demographic fields the four-fifths checks group people by."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext

from tandem.careers import assessment
from tandem.careers.calibration import (
    Argument,
    CaseFacts,
    Flag,
    GroupRate,
    ManagerRates,
    TeamFacts,
    argued_without_evidence,
    confidence_without_evidence,
    four_fifths_flags,
    manager_rates,
    selection_rates,
)
from tandem.careers.models import (
    CaseArgument,
    CaseStatus,
    Demographics,
    Level,
    Outcome,
    PromotionCase,
    Track,
)
from tandem.cycles.results import PersonResult
from tandem.people.models import Organisation, Person


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
    manager_rates: ManagerRates
    four_fifths: tuple[Flag, ...]
    group_rates: tuple[tuple[str, tuple[GroupRate, ...]], ...]
    approval_four_fifths: tuple[Flag, ...]
    approval_rates: tuple[tuple[str, tuple[GroupRate, ...]], ...]
    eligible: int

    @property
    def flag_count(self) -> int:
        return (
            len(self.unevidenced)
            + len(self.confidence)
            + len(self.manager_rate)
            + len(self.four_fifths)
            + len(self.approval_four_fifths)
        )

    @property
    def too_few_groups(self) -> tuple[tuple[str, GroupRate], ...]:
        """Groups under four-fifths by less than one different selection, as ``(caption,
        group)``: too few to judge, so shown in the tables but not flagged."""
        captions = {
            "proposals": lambda field: gettext("%(field)s: proposals") % {"field": field},
            "approvals": lambda field: gettext("%(field)s: approvals") % {"field": field},
        }
        return tuple(
            (captions[stage](field), rate)
            for stage, fields in (
                ("proposals", self.group_rates),
                ("approvals", self.approval_rates),
            )
            for field, rates in fields
            for rate in rates
            if rate.too_few
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


def _consented_results(people: Iterable[Person]) -> dict[int, PersonResult | None]:
    """Each person's newest released result, by person id, if they let their manager read it
    (else None). Two queries, however many people."""
    latest = assessment.latest_results(people)
    shared = assessment.shared_with_managers(r for r in latest.values() if r is not None)
    return {
        person_id: result if result is not None and result.participant_id in shared else None
        for person_id, result in latest.items()
    }


def case_flags(*, case: PromotionCase) -> list[Flag]:
    """The calibration flags about this one case, by the same rules as the session."""
    facts = _case_facts(
        case,
        _with_evidence_counts(case.arguments.all()),
        _consented_results([case.candidate])[case.candidate_id],
    )
    return argued_without_evidence([facts]) + confidence_without_evidence([facts])


def _group_counts(
    rows: list[Demographics], *, eligible: set[int] | None, selected: set[int]
) -> dict[str, dict[str, tuple[int, int]]]:
    """``{field: {group: (selected, eligible)}}`` over the people in ``rows`` (all of them when
    ``eligible`` is None)."""
    counts: dict[str, dict[str, list[int]]] = {}
    for row in rows:
        if eligible is not None and row.person_id not in eligible:
            continue
        for field, group in sorted((row.fields or {}).items()):
            if group in (None, ""):
                continue
            pair = counts.setdefault(str(field), {}).setdefault(str(group), [0, 0])
            pair[1] += 1
            pair[0] += int(row.person_id in selected)
    return {
        field: {group: (c[0], c[1]) for group, c in groups.items()}
        for field, groups in counts.items()
    }


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
    results = _consented_results(case.candidate for case in cases)
    facts = [_case_facts(case, case.arguments.all(), results[case.candidate_id]) for case in cases]
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
    rates = manager_rates(team_facts)
    # Four-fifths at two stages: who is proposed among everyone with a manager, and who is
    # approved among the decided cases.
    decided = [c for c in cases if c.status == CaseStatus.DECIDED]
    approved_ids = {c.candidate_id for c in decided if c.outcome == Outcome.PROMOTED}
    decided_ids = {c.candidate_id for c in decided}
    rows = list(Demographics.objects.filter(person_id__in={p.pk for p in people}))
    fields = _group_counts(rows, eligible=None, selected=proposed_ids)
    approvals = _group_counts(rows, eligible=decided_ids, selected=approved_ids)
    return Board(
        cases=tuple(cases),
        cells=tuple(
            Cell(track=levels[level_id].track, level=levels[level_id], cases=tuple(items))
            for level_id, items in cells.items()
        ),
        unevidenced=tuple(argued_without_evidence(facts)),
        confidence=tuple(confidence_without_evidence(facts)),
        manager_rate=rates.flags,
        manager_rates=rates,
        four_fifths=tuple(four_fifths_flags(fields, rate_name=gettext("Proposal rate"))),
        group_rates=tuple(
            (field, tuple(selection_rates(g))) for field, g in sorted(fields.items())
        ),
        approval_four_fifths=tuple(
            four_fifths_flags(
                approvals, rate_name=gettext("Approval rate"), stage=gettext("approvals")
            )
        ),
        approval_rates=tuple(
            (field, tuple(selection_rates(g))) for field, g in sorted(approvals.items())
        ),
        eligible=len(people),
    )


def demographics_in(*, organisation: Organisation) -> list[Demographics]:
    return list(
        Demographics.objects.filter(person__organisation=organisation).select_related("person")
    )
