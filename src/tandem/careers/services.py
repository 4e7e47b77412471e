"""Writes to career frameworks. Every write publishes a whole new version, audited.

Published versions are immutable: no service here changes one. Editing a framework means
publishing the next version, so earlier versions keep the criteria they were judged against.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from tandem.audit.services import audit_record
from tandem.careers import motivation
from tandem.careers.frameworkfile import FrameworkSpec, framework_parse
from tandem.careers.models import (
    CaseArgument,
    CaseStatus,
    Criterion,
    CriterionDecision,
    Demographics,
    Endorsement,
    Evidence,
    Framework,
    FrameworkVersion,
    Level,
    MotivationCheck,
    Outcome,
    PeerInput,
    Placement,
    PromotionCase,
    QuarterSummary,
    Track,
)
from tandem.careers.selectors import (
    framework_spec,
    framework_version_get,
    people_without_summary,
    quarter_of,
)
from tandem.people.models import Organisation, Person


class FrameworkUnchanged(ValueError):
    """The edited framework is the same as the current version, so nothing was published."""


DEFAULT_FRAMEWORK_PATH = Path(__file__).with_name("default_framework.yaml")


def default_framework_spec() -> FrameworkSpec:
    return framework_parse(DEFAULT_FRAMEWORK_PATH.read_bytes())


@transaction.atomic
def framework_version_publish(
    *, organisation: Organisation, spec: FrameworkSpec, source: str, actor: Any
) -> FrameworkVersion:
    """Publish ``spec`` as the organisation's next framework version."""
    framework, _ = Framework.objects.get_or_create(organisation=organisation)
    # Lock the framework row so two publishes cannot take the same number.
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    latest = framework.versions.aggregate(latest=Max("number"))["latest"] or 0
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=latest + 1,
        name=spec.name,
        source=source[:255],
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    criteria: list[Criterion] = []
    for track_position, track_spec in enumerate(spec.tracks):
        track = Track.objects.create(
            version=version,
            key=track_spec.key,
            name=track_spec.name,
            description=track_spec.description,
            position=track_position,
        )
        levels = Level.objects.bulk_create(
            Level(track=track, number=lv.number, title=lv.title, summary=lv.summary)
            for lv in track_spec.levels
        )
        for level, level_spec in zip(levels, track_spec.levels, strict=True):
            position = 0
            for theme in level_spec.themes:
                for text in theme.criteria:
                    criteria.append(
                        Criterion(level=level, theme=theme.name, text=text, position=position)
                    )
                    position += 1
    Criterion.objects.bulk_create(criteria)
    audit_record(
        organisation=organisation,
        actor=actor,
        action="careers.framework_publish",
        target=version,
        changes={
            "version": [latest or None, version.number],
            "source": source[:255],
            "tracks": len(spec.tracks),
            "criteria": len(criteria),
        },
    )
    return version


def framework_default_install(*, organisation: Organisation, actor: Any) -> FrameworkVersion:
    """Publish Tandem's default framework as the organisation's next version."""
    return framework_version_publish(
        organisation=organisation,
        spec=default_framework_spec(),
        source="Tandem default framework",
        actor=actor,
    )


def framework_import(
    *, organisation: Organisation, data: bytes, filename: str, actor: Any
) -> FrameworkVersion:
    """Publish a framework file. A malformed file raises FrameworkFileError and saves nothing."""
    spec = framework_parse(data)
    return framework_version_publish(
        organisation=organisation, spec=spec, source=f"Imported from {filename}", actor=actor
    )


def framework_edit(*, organisation: Organisation, text: str, actor: Any) -> FrameworkVersion:
    """Publish an edited framework as the next version, unless it changes nothing."""
    spec = framework_parse(text)
    current = framework_version_get(organisation=organisation)
    if current is not None and framework_spec(version=current) == spec:
        raise FrameworkUnchanged("This is the same as the current version; nothing was published.")
    return framework_version_publish(
        organisation=organisation, spec=spec, source="Edited in Tandem", actor=actor
    )


# --- where a person stands ------------------------------------------------------------------


class CareersError(ValueError):
    """A write that does not make sense (an own endorsement, a criterion of another level);
    the message says what was wrong, in words for the page."""


@transaction.atomic
def placement_set(
    *,
    person: Person,
    track_key: str,
    level_number: int,
    since: datetime.date,
    note: str = "",
    actor: Any,
) -> Placement:
    """Place a person on a track and level from ``since``; earlier placements stay as history."""
    version = framework_version_get(organisation=person.organisation)
    if version is None:
        raise CareersError("There is no career framework yet; install or import one first.")
    if not Level.objects.filter(
        track__version=version, track__key=track_key, number=level_number
    ).exists():
        raise CareersError(f"Track '{track_key}' has no level {level_number} in the framework.")
    before = Placement.objects.filter(person=person).first()
    placement = Placement.objects.create(
        person=person,
        track_key=track_key,
        level_number=level_number,
        since=since,
        note=note[:300],
        set_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        organisation=person.organisation,
        actor=actor,
        action="careers.placement_set",
        target=placement,
        changes={
            "track": [before.track_key if before else None, track_key],
            "level": [before.level_number if before else None, level_number],
            "since": [before.since if before else None, since],
        },
    )
    return placement


# --- evidence over time ---------------------------------------------------------------------


@transaction.atomic
def evidence_log(
    *,
    person: Person,
    what: str,
    happened_on: datetime.date,
    link: str = "",
    details: str = "",
    criteria: Iterable[Criterion] = (),
    actor: Any,
) -> Evidence:
    """Log an accomplishment against criteria of the organisation's current framework version."""
    criteria = list(criteria)
    version = framework_version_get(organisation=person.organisation)
    if any(version is None or c.level.track.version_id != version.pk for c in criteria):
        raise CareersError("Evidence can only show criteria of the current framework version.")
    evidence = Evidence.objects.create(
        person=person, what=what, happened_on=happened_on, link=link, details=details
    )
    evidence.criteria.set(criteria)
    audit_record(
        organisation=person.organisation,
        actor=actor,
        action="careers.evidence_log",
        target=evidence,
        changes={
            "what": what,
            "happened_on": happened_on,
            "criteria": [c.pk for c in criteria],
        },
    )
    return evidence


@transaction.atomic
def evidence_endorse(
    *, evidence: Evidence, endorser: Person, note: str = "", actor: Any
) -> Endorsement:
    """Endorse someone else's entry, once. A second endorsement by the same person is refused."""
    if endorser.pk == evidence.person_id:
        raise CareersError("You cannot endorse your own evidence.")
    if endorser.organisation_id != evidence.person.organisation_id:
        raise CareersError("Only people in the same organisation can endorse evidence.")
    endorsement, created = Endorsement.objects.get_or_create(
        evidence=evidence, endorser=endorser, defaults={"note": note[:300]}
    )
    if not created:
        raise CareersError("You have already endorsed this entry.")
    audit_record(
        organisation=evidence.person.organisation,
        actor=actor,
        action="careers.evidence_endorse",
        target=evidence,
        changes={"endorser": str(endorser), "note": note[:300]},
    )
    return endorsement


@transaction.atomic
def quarter_summary_save(
    *, person: Person, year: int, quarter: int, text: str, actor: Any
) -> QuarterSummary:
    """Write or rewrite a person's summary of a quarter."""
    if not 1 <= quarter <= 4:
        raise CareersError("A quarter is 1, 2, 3 or 4.")
    summary = QuarterSummary.objects.filter(person=person, year=year, quarter=quarter).first()
    before = summary.text if summary else None
    if summary is None:
        summary = QuarterSummary.objects.create(
            person=person, year=year, quarter=quarter, text=text
        )
    else:
        summary.text = text
        summary.save(update_fields=["text", "updated_at"])
    audit_record(
        organisation=person.organisation,
        actor=actor,
        action="careers.quarter_summary_save",
        target=summary,
        changes={"text": [before, text]},
    )
    return summary


def quarter_reminders_send(
    *, organisation: Organisation, today: datetime.date, base_url: str = ""
) -> int:
    """Email everyone in ``organisation`` without a summary for the current quarter.

    Returns how many were emailed. Run by the ``careers_quarter_reminders`` command and the
    ``quarter_reminders`` task; sending twice in a quarter sends twice, so run it once.
    """
    year, quarter = quarter_of(today)
    people = people_without_summary(organisation=organisation, year=year, quarter=quarter)
    link = f"{base_url.rstrip('/')}{reverse('careers:quarter')}"
    messages = [
        (
            f"Your Q{quarter} {year} summary",
            f"Hello {person.name},\n\n"
            f"Take five minutes to write a short summary of this quarter: what you did, what "
            f"you learned, what you are proud of. It becomes part of the evidence of your "
            f"growth and helps you and your manager see it over time.\n\n{link}\n\n"
            "Tandem",
            None,
            [person.email],
        )
        for person in people
        if person.email
    ]
    if messages:
        send_mass_mail(messages, fail_silently=False)
        audit_record(
            organisation=organisation,
            actor=None,
            action="careers.quarter_reminders_send",
            changes={"year": year, "quarter": quarter, "emailed": len(messages)},
        )
    return len(messages)


# --- choosing a track -----------------------------------------------------------------------


@transaction.atomic
def motivation_check_record(
    *, person: Person, answers: dict[str, int | None], actor: Any
) -> MotivationCheck:
    """Score and keep a person's motivation check. Private: the audit row holds no answers."""
    known = {
        item.id
        for section in motivation.sections()
        for sub in section.subscales
        for item in sub.items
    }
    unknown = set(answers) - known
    if unknown:
        raise CareersError(f"Unknown questions: {', '.join(sorted(unknown))}.")
    check = MotivationCheck.objects.create(
        person=person,
        instrument=motivation.INSTRUMENT,
        answers={k: v for k, v in answers.items() if v is not None},
        scores=motivation.score_answers(answers),
    )
    audit_record(
        organisation=person.organisation,
        actor=actor,
        action="careers.motivation_check_record",
        target=check,
        changes={"answered": sum(1 for v in answers.values() if v is not None)},
    )
    return check


# --- promotion cases ------------------------------------------------------------------------


@transaction.atomic
def case_open(
    *, candidate: Person, target_level: Level, actor: Any, advocate: Person | None = None
) -> PromotionCase:
    """Open a case for ``candidate`` to reach ``target_level`` (any track) of the current
    version; the candidate's manager is the advocate unless another is named."""
    version = framework_version_get(organisation=candidate.organisation)
    if version is None or target_level.track.version_id != version.pk:
        raise CareersError("A case is judged against the current framework version.")
    case = PromotionCase.objects.create(
        organisation=candidate.organisation,
        candidate=candidate,
        advocate=advocate or candidate.manager,
        target_level=target_level,
        opened_by=actor if getattr(actor, "is_authenticated", False) else None,
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
    return case


def _open_for_writing(case: PromotionCase) -> None:
    if case.status == CaseStatus.DECIDED:
        raise CareersError("This case is decided; it can no longer change.")


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
    """Write the argument for one criterion and link the candidate's evidence to it."""
    _open_for_writing(case)
    if criterion.level_id != case.target_level_id:
        raise CareersError("That criterion is not one of the target level's.")
    evidence = list(evidence)
    if any(e.person_id != case.candidate_id for e in evidence):
        raise CareersError("Only the candidate's own evidence can be linked.")
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
    """Ask a peer for input on the case."""
    _open_for_writing(case)
    if peer.organisation_id != case.organisation_id or peer.pk == case.candidate_id:
        raise CareersError("Choose a colleague other than the candidate.")
    case.peers.add(peer)
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
        raise CareersError("That criterion is not one of the target level's.")
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
    """The advocate puts the case forward to calibration."""
    if case.status != CaseStatus.DRAFT:
        raise CareersError("Only a case being written can be proposed.")
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
        raise CareersError("Only a proposed case can be decided.")
    verdicts = list(verdicts)
    wanted = set(case.target_level.criteria.values_list("pk", flat=True))
    given = [v.criterion.pk for v in verdicts]
    if sorted(given) != sorted(wanted):
        raise CareersError("Decide every criterion of the target level, once each.")
    if any(not v.reason.strip() for v in verdicts) or not reason.strip():
        raise CareersError("Every decision needs a reason the candidate can read.")
    if outcome not in Outcome.values:
        raise CareersError("The outcome is promoted or not yet.")
    decided_by = actor if getattr(actor, "is_authenticated", False) else None
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
    if outcome == Outcome.PROMOTED:
        placement_set(
            person=case.candidate,
            track_key=case.target_level.track.key,
            level_number=case.target_level.number,
            since=today or timezone.localdate(),
            note=f"Promotion case {case.pk}",
            actor=actor,
        )
    return case


# --- demographics ---------------------------------------------------------------------------


@transaction.atomic
def demographics_import(*, organisation: Organisation, text: str, actor: Any) -> int:
    """Import demographic fields from CSV: an ``employee_id`` column, then one column per field.

    Every row must name a person in the organisation, or nothing is saved. Empty cells clear
    a field. Returns the number of people updated.
    """
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "employee_id" not in reader.fieldnames:
        raise CareersError("Line 1: the first row must name the columns, one of them employee_id.")
    fields = [f for f in reader.fieldnames if f and f != "employee_id"]
    if not fields:
        raise CareersError("Line 1: add at least one column besides employee_id.")
    people = {p.employee_id: p for p in Person.objects.in_organisation(organisation)}
    rows = []
    for row in reader:
        employee_id = (row.get("employee_id") or "").strip()
        person = people.get(employee_id)
        if person is None:
            raise CareersError(
                f"Line {reader.line_num}: nobody has employee id '{employee_id}'; nothing was saved."
            )
        rows.append((person, {f: (row.get(f) or "").strip() for f in fields}))
    for person, values in rows:
        record, _ = Demographics.objects.get_or_create(person=person)
        merged = {**record.fields, **values}
        record.fields = {k: v for k, v in merged.items() if v}
        record.save()
    audit_record(
        organisation=organisation,
        actor=actor,
        action="careers.demographics_import",
        changes={"people": len(rows), "fields": fields},
    )
    return len(rows)
