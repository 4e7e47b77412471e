"""Writes to promotion cases: opening, arguing, peers' input, proposing, deciding.
Keyword-only, atomic, audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tandem.audit.services import acting_user, audit_record
from tandem.careers.models import (
    CaseArgument,
    CaseStatus,
    Criterion,
    CriterionDecision,
    Evidence,
    Level,
    Outcome,
    PeerInput,
    PromotionCase,
)
from tandem.careers.selectors.framework import framework_version_get
from tandem.careers.services import _mail
from tandem.careers.services._common import CareersError
from tandem.careers.services.framework import placement_set
from tandem.integrations.models import WebhookEvent
from tandem.integrations.services.webhooks import webhooks_emit
from tandem.people.models import Person


class OpenCaseExists(CareersError):
    """A case for the same person and level is still open: continue that one."""


@transaction.atomic
def case_open(
    *, candidate: Person, target_level: Level, actor: Any, advocate: Person | None = None
) -> PromotionCase:
    """Open a case for ``candidate`` to reach ``target_level`` (any track) of the current
    version; the candidate's manager is the advocate unless another is named."""
    version = framework_version_get(organisation=candidate.organisation)
    if version is None or target_level.track.version_id != version.pk:
        raise CareersError(gettext("A case is judged against the current framework version."))
    if (
        PromotionCase.objects.filter(candidate=candidate, target_level=target_level)
        .exclude(status=CaseStatus.DECIDED)
        .exists()
    ):
        raise OpenCaseExists(
            gettext("%(name)s already has an open case for this level.") % {"name": candidate.name}
        )
    case = PromotionCase.objects.create(
        organisation=candidate.organisation,
        candidate=candidate,
        advocate=advocate or candidate.manager,
        target_level=target_level,
        opened_by=acting_user(actor),
    )
    audit_record(
        organisation=candidate.organisation,
        actor=actor,
        action="careers.case_open",
        target=case,
        changes={
            "candidate": str(candidate),
            "target": str(target_level),
            "framework_version": version.number,
        },
    )
    _mail.case_opened(case=case, actor=actor)
    return case


def _case_locked(case: PromotionCase) -> PromotionCase:
    """The case as stored now, its row locked until the transaction ends."""
    return PromotionCase.objects.select_for_update().get(pk=case.pk)


def _evidence_locked(ids: Any) -> list[int]:
    """Lock the rows of these entries (ids, or a query of ids) in id order, the order every
    writer takes them in so two never wait for each other; returns the ids still there."""
    rows = Evidence.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return list(rows.values_list("pk", flat=True))


def _open_for_writing(case: PromotionCase) -> None:
    if case.status == CaseStatus.DECIDED:
        raise CareersError(gettext("This case is decided; it can no longer change."))


@transaction.atomic
def case_argue(
    *,
    case: PromotionCase,
    criterion: Criterion,
    text: str,
    evidence: Iterable[Evidence],
    author: Person | None,
    actor: Any,
) -> CaseArgument:
    """Write the argument for one criterion and link the candidate's evidence to it.

    Takes the case's lock, then the linked entries' (in id order), as ``case_propose`` does, so
    an entry cannot be edited or deleted by its author while it is being linked.
    """
    _open_for_writing(_case_locked(case))
    if criterion.level_id != case.target_level_id:
        raise CareersError(gettext("That criterion is not one of the target level's."))
    evidence = list(evidence)
    if any(e.person_id != case.candidate_id for e in evidence):
        raise CareersError(gettext("Only the candidate's own evidence can be linked."))
    wanted = sorted({e.pk for e in evidence})
    if _evidence_locked(wanted) != wanted:
        raise CareersError(
            gettext("An entry was deleted by its author a moment ago; reload and try again.")
        )
    argument = CaseArgument.objects.filter(case=case, criterion=criterion).first()
    before_text = argument.text if argument else None
    before_evidence = sorted(e.pk for e in argument.evidence.all()) if argument else []
    if argument is None:
        argument = CaseArgument.objects.create(
            case=case, criterion=criterion, text=text, written_by=author
        )
    else:
        argument.text, argument.written_by = text, author
        argument.save(update_fields=["text", "written_by", "updated_at"])
    argument.evidence.set(evidence)
    audit_record(
        organisation=case.organisation,
        actor=actor,
        action="careers.case_argue",
        target=case,
        changes={
            "criterion": criterion.pk,
            "text": [before_text, text],
            "evidence": [before_evidence, sorted(e.pk for e in evidence)],
        },
    )
    return argument


@transaction.atomic
def case_peer_add(*, case: PromotionCase, peer: Person, actor: Any) -> None:
    """Ask a peer for input on the case; they are emailed the first time they are asked."""
    _open_for_writing(case)
    if peer.organisation_id != case.organisation_id or peer.pk == case.candidate_id:
        raise CareersError(gettext("Choose a colleague other than the candidate."))
    if case.peers.filter(pk=peer.pk).exists():
        return
    case.peers.add(peer)
    _mail.case_peer_asked(case=case, peer=peer, actor=actor)
    audit_record(
        organisation=case.organisation,
        actor=actor,
        action="careers.case_peer_add",
        target=case,
        changes={"peer": str(peer)},
    )


@transaction.atomic
def peer_input_add(
    *,
    case: PromotionCase,
    author: Person,
    text: str,
    criterion: Criterion | None = None,
    actor: Any,
) -> PeerInput:
    _open_for_writing(case)
    if criterion is not None and criterion.level_id != case.target_level_id:
        raise CareersError(gettext("That criterion is not one of the target level's."))
    peer_input = PeerInput.objects.create(case=case, author=author, criterion=criterion, text=text)
    audit_record(
        organisation=case.organisation,
        actor=actor,
        action="careers.peer_input_add",
        target=case,
        changes={"author": str(author), "criterion": criterion.pk if criterion else None},
    )
    return peer_input


@transaction.atomic
def case_propose(*, case: PromotionCase, actor: Any, now: datetime.datetime | None = None) -> None:
    """The advocate puts the case forward to calibration.

    The case's row and the rows of the evidence it links are locked first (evidence in id
    order, as every writer takes them), so the author cannot edit or delete an entry in the
    moment it goes under review, and two proposals of one case cannot both pass the check.
    """
    stored = _case_locked(case)
    linked = CaseArgument.evidence.through.objects.filter(caseargument__case=case)
    _evidence_locked(linked.values("evidence_id"))
    if stored.status != CaseStatus.DRAFT:
        raise CareersError(gettext("Only a case being written can be proposed."))
    case.status = CaseStatus.PROPOSED
    case.proposed_at = now or timezone.now()
    case.save(update_fields=["status", "proposed_at"])
    audit_record(
        organisation=case.organisation,
        actor=actor,
        action="careers.case_propose",
        target=case,
        changes={"status": [CaseStatus.DRAFT, CaseStatus.PROPOSED]},
    )
    _mail.case_proposed(case=case, actor=actor)


@dataclass(frozen=True)
class CriterionVerdict:
    criterion: Criterion
    verdict: str
    reason: str


@transaction.atomic
def case_decide(
    *,
    case: PromotionCase,
    verdicts: Iterable[CriterionVerdict],
    outcome: str,
    reason: str,
    actor: Any,
    today: datetime.date | None = None,
) -> PromotionCase:
    """Record the decision on every criterion with its reason, and the outcome. A promotion
    places the candidate on the target level from today."""
    if case.status != CaseStatus.PROPOSED:
        raise CareersError(gettext("Only a proposed case can be decided."))
    verdicts = list(verdicts)
    wanted = set(case.target_level.criteria.values_list("pk", flat=True))
    given = [v.criterion.pk for v in verdicts]
    if sorted(given) != sorted(wanted):
        raise CareersError(gettext("Decide every criterion of the target level, once each."))
    if any(not v.reason.strip() for v in verdicts) or not reason.strip():
        raise CareersError(gettext("Every decision needs a reason the candidate can read."))
    if outcome not in Outcome.values:
        raise CareersError(gettext("The outcome is promoted or not yet."))
    decided_by = acting_user(actor)
    CriterionDecision.objects.bulk_create(
        CriterionDecision(
            case=case,
            criterion=v.criterion,
            verdict=v.verdict,
            reason=v.reason.strip(),
            decided_by=decided_by,
        )
        for v in verdicts
    )
    case.status, case.outcome, case.outcome_reason = CaseStatus.DECIDED, outcome, reason.strip()
    case.decided_at = timezone.now()
    case.save(update_fields=["status", "outcome", "outcome_reason", "decided_at"])
    audit_record(
        organisation=case.organisation,
        actor=actor,
        action="careers.case_decide",
        target=case,
        changes={
            "status": [CaseStatus.PROPOSED, CaseStatus.DECIDED],
            "outcome": outcome,
            "reason": reason.strip(),
            "criteria": {str(v.criterion.pk): [v.verdict, v.reason.strip()] for v in verdicts},
        },
    )
    # What an API token could read anyway (a promotion shows in placements): no reasons.
    webhooks_emit(
        organisation=case.organisation,
        event=WebhookEvent.CASE_DECIDED,
        data={
            "case_id": case.pk,
            "person_id": case.candidate_id,
            "outcome": outcome,
            "track": case.target_level.track.key,
            "level": case.target_level.number,
        },
    )
    since = today or timezone.localdate()
    if outcome == Outcome.PROMOTED:
        placement_set(
            person=case.candidate,
            track_key=case.target_level.track.key,
            level_number=case.target_level.number,
            since=since,
            # Stored in English; Placement.shown_note words it in the reader's language.
            note=f"Promotion case {case.pk}",
            actor=actor,
        )
    _mail.case_decided(case=case, verdicts=[v.verdict for v in verdicts], since=since, actor=actor)
    return case
