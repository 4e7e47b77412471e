"""Reads of promotion cases, criterion by criterion, with their readiness."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from tandem.careers.models import (
    CaseArgument,
    CaseStatus,
    Criterion,
    CriterionDecision,
    Endorsement,
    Evidence,
    Level,
    PeerInput,
    PromotionCase,
)
from tandem.careers.readiness import Reading, criterion_readiness
from tandem.people.models import Organisation, Person


def case_get(*, organisation: Organisation, case_id: int) -> PromotionCase | None:
    return (
        PromotionCase.objects.filter(pk=case_id, organisation=organisation)
        .select_related(
            "candidate__manager", "advocate", "target_level__track__version", "organisation"
        )
        .first()
    )


def open_case_for(*, candidate: Person, target_level: Level) -> PromotionCase | None:
    return (
        PromotionCase.objects.filter(candidate=candidate, target_level=target_level)
        .exclude(status=CaseStatus.DECIDED)
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
