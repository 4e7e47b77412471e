"""Reads of promotion cases, criterion by criterion, with their readiness."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from tandem import access
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
from tandem.people.models import Organisation, Person, PersonStatus


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
            reading = Reading(
                decision.verdict, gettext("Decided: %(reason)s") % {"reason": decision.reason}
            )
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


# --- what waits for someone ---------------------------------------------------------------

DECISION_SHOWN_DAYS = 30
"""How long a decision stays in its candidate's list on the home page. Nothing records whether
the candidate has read it, so it shows for this long (they are also emailed)."""


@dataclass(frozen=True)
class Waiting:
    """One thing waiting for someone: what to do, for whom, on which case, and where."""

    what: str
    whom: str
    about: str
    url: str


def _about(case: PromotionCase) -> str:
    level = case.target_level
    return gettext("%(track)s, level %(number)s: %(title)s") % {
        "track": level.track.name,
        "number": level.number,
        "title": level.title,
    }


def _case_url(case: PromotionCase, anchor: str = "") -> str:
    return reverse("careers:case", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def waiting_for(*, user: Any, now: datetime.datetime | None = None) -> list[Waiting]:
    """What in careers waits for ``user``, most personal first: a recent decision on their own
    case, input they were asked for and have not given, their direct reports' cases being written
    (evidence to endorse, a case to propose), and proposed cases to decide. At most five queries,
    whatever the number of cases."""
    organisation = access.organisation_of(user)
    if organisation is None:
        return []
    own = access.person_of(user)
    now = now or timezone.now()
    # Cases of people who have left wait for nobody.
    cases = PromotionCase.objects.filter(
        organisation=organisation, candidate__status=PersonStatus.ACTIVE
    ).select_related(
        "organisation", "candidate__manager", "candidate__organisation", "target_level__track"
    )
    rows: list[Waiting] = []
    if own is not None:
        decided = cases.filter(
            candidate=own,
            status=CaseStatus.DECIDED,
            decided_at__gte=now - datetime.timedelta(days=DECISION_SHOWN_DAYS),
        ).order_by("-decided_at")
        rows += [
            Waiting(
                gettext("Read the decision on your case: %(outcome)s")
                % {"outcome": case.get_outcome_display()},
                gettext("You"),
                _about(case),
                _case_url(case, "decision"),
            )
            for case in decided
            if access.careers.can_view_case(user, case)
        ]
        given = PeerInput.objects.filter(case=OuterRef("pk"), author=own)
        asked = list(
            cases.filter(peers=own)
            .exclude(status=CaseStatus.DECIDED)
            .exclude(Exists(given))
            .order_by("opened_at", "pk")
        )
        open_to_me = access.careers.cases_open_to_input_from(user, asked)
        rows += [
            Waiting(
                gettext("Give your input"),
                case.candidate.name,
                _about(case),
                _case_url(case, "peers"),
            )
            for case in asked
            if case.pk in open_to_me
        ]
        unendorsed = Count(
            "arguments__evidence",
            filter=Q(arguments__evidence__endorsements__isnull=True),
            distinct=True,
        )
        drafts = (
            cases.filter(status=CaseStatus.DRAFT, candidate__manager=own)
            .annotate(unendorsed=unendorsed)
            .order_by("opened_at", "pk")
        )
        for case in drafts:
            n = case.unendorsed
            if n and access.careers.can_endorse_evidence_of(user, case.candidate):
                rows.append(
                    Waiting(
                        ngettext(
                            "Endorse %(count)s accomplishment linked to the case",
                            "Endorse %(count)s accomplishments linked to the case",
                            n,
                        )
                        % {"count": n},
                        case.candidate.name,
                        _about(case),
                        reverse("careers:person", args=[case.candidate_id]) + "#evidence",
                    )
                )
            if access.careers.can_propose_case(user, case):
                rows.append(
                    Waiting(
                        gettext("Propose the case for calibration when it is ready"),
                        case.candidate.name,
                        _about(case),
                        _case_url(case),
                    )
                )
    if access.careers.can_decide_cases(user, organisation):
        proposed = cases.filter(status=CaseStatus.PROPOSED).order_by("proposed_at", "pk")
        if own is not None:
            proposed = proposed.exclude(candidate=own)
        rows += [
            Waiting(
                gettext("Record the decision"), case.candidate.name, _about(case), _case_url(case)
            )
            for case in proposed
            if access.careers.can_decide_case(user, case)
        ]
    return rows
