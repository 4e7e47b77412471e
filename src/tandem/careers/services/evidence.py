"""Writes to evidence over time: entries, endorsements, quarterly summaries and their
reminders. Keyword-only, atomic, audited."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tandem import access
from tandem.audit.services import audit_changes, audit_record
from tandem.careers.models import (
    Criterion,
    Endorsement,
    Evidence,
    QuarterSummary,
)
from tandem.careers.selectors.evidence import people_without_summary, quarter_of
from tandem.careers.selectors.framework import framework_version_get
from tandem.careers.services import _mail
from tandem.careers.services._common import CareersError
from tandem.outbox.language import recipient_languages
from tandem.outbox.services import Mail, mail_queue
from tandem.people.models import Organisation, Person


def _evidence_locked(evidence: Evidence) -> Evidence:
    """The entry as stored now, its row locked until the transaction ends.

    Edits, deletions, endorsements and case proposals all take this lock first, so an
    endorsement or a proposal cannot land between the check that allows a change and the
    change itself; the rules are then checked on what is stored, not on what the caller
    loaded (or prefetched) earlier.
    """
    return Evidence.objects.select_for_update().get(pk=evidence.pk)


def _refuse_other_versions(
    organisation: Organisation, criteria: list[Criterion], *, shown: Iterable[int] = ()
) -> None:
    """Evidence shows criteria of the organisation's current framework version only; criteria it
    already ``shown`` (ids) are kept, whatever their version."""
    version = framework_version_get(organisation=organisation)
    shown = set(shown)
    for criterion in criteria:
        if criterion.pk in shown:
            continue
        if version is None or criterion.level.track.version_id != version.pk:
            raise CareersError(
                gettext("Evidence can only show criteria of the current framework version.")
            )


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
    _refuse_other_versions(person.organisation, criteria)
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
def evidence_update(
    *,
    evidence: Evidence,
    what: str,
    happened_on: datetime.date,
    link: str = "",
    details: str = "",
    criteria: Iterable[Criterion] = (),
    actor: Any,
) -> Evidence:
    """Rewrite an entry: only its author, and only while it is neither endorsed nor part of a
    case under review (``access.careers.evidence_changes`` holds the rules).

    Criteria must come from the current framework version, or already be on the entry (so
    criteria of an earlier version it was logged against are kept).
    """
    refused = access.careers.evidence_change(actor, _evidence_locked(evidence)).edit_refused
    if refused:
        raise CareersError(refused)
    criteria = list(criteria)
    before_criteria = sorted(evidence.criteria.values_list("pk", flat=True))
    _refuse_other_versions(evidence.person.organisation, criteria, shown=before_criteria)
    fields = ("what", "happened_on", "link", "details")
    before = {name: getattr(evidence, name) for name in fields}
    after = {"what": what, "happened_on": happened_on, "link": link, "details": details}
    for name, value in after.items():
        setattr(evidence, name, value)
    evidence.save(update_fields=list(fields))
    evidence.criteria.set(criteria)
    changes: dict[str, Any] = audit_changes(before, after, fields)
    after_criteria = sorted(c.pk for c in criteria)
    if after_criteria != before_criteria:
        changes["criteria"] = [before_criteria, after_criteria]
    audit_record(
        organisation=evidence.person.organisation,
        actor=actor,
        action="careers.evidence_update",
        target=evidence,
        changes=changes,
    )
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, actor: Any) -> None:
    """Delete an entry, with its endorsements and its links to cases still being written: only
    its author, and never while it is part of a case under review."""
    refused = access.careers.evidence_change(actor, _evidence_locked(evidence)).delete_refused
    if refused:
        raise CareersError(refused)
    audit_record(
        organisation=evidence.person.organisation,
        actor=actor,
        action="careers.evidence_delete",
        target=evidence,
        changes={
            "what": evidence.what,
            "happened_on": evidence.happened_on,
            "link": evidence.link,
            "details": evidence.details,
            "criteria": sorted(evidence.criteria.values_list("pk", flat=True)),
            "endorsements": [
                str(x.endorser) for x in evidence.endorsements.select_related("endorser")
            ],
        },
    )
    evidence.delete()


@transaction.atomic
def evidence_endorse(
    *, evidence: Evidence, endorser: Person, note: str = "", actor: Any
) -> Endorsement:
    """Endorse someone else's entry, once. A second endorsement by the same person is refused."""
    if endorser.pk == evidence.person_id:
        raise CareersError(gettext("You cannot endorse your own evidence."))
    if endorser.organisation_id != evidence.person.organisation_id:
        raise CareersError(gettext("Only people in the same organisation can endorse evidence."))
    _evidence_locked(evidence)
    endorsement, created = Endorsement.objects.get_or_create(
        evidence=evidence, endorser=endorser, defaults={"note": note[:300]}
    )
    if not created:
        raise CareersError(gettext("You have already endorsed this entry."))
    audit_record(
        organisation=evidence.person.organisation,
        actor=actor,
        action="careers.evidence_endorse",
        target=evidence,
        changes={"endorser": str(endorser), "note": note[:300]},
    )
    _mail.evidence_endorsed(evidence=evidence, endorser=endorser, note=note[:300], actor=actor)
    return endorsement


@transaction.atomic
def quarter_summary_save(
    *, person: Person, year: int, quarter: int, text: str, actor: Any
) -> QuarterSummary:
    """Write or rewrite a person's summary of a quarter."""
    if not 1 <= quarter <= 4:
        raise CareersError(gettext("A quarter is 1, 2, 3 or 4."))
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
    people = [person for person in people if person.email]
    languages = recipient_languages(
        organisation=organisation, emails=[person.email for person in people]
    )
    messages: list[Mail] = []
    for person in people:
        # Each reminder in its reader's language (their own choice, else the organisation's).
        with translation.override(languages.get(person.email.lower())):
            values = {"quarter": quarter, "year": year, "name": person.name}
            messages.append(
                (
                    gettext("Your Q%(quarter)s %(year)s summary") % values,
                    "\n\n".join(
                        [
                            gettext("Hello %(name)s,") % values,
                            gettext(
                                "Take five minutes to write a short summary of this quarter: "
                                "what you did, what you learned, what you are proud of. It "
                                "becomes part of the evidence of your growth and helps you and "
                                "your manager see it over time."
                            ),
                            link,
                            "Tandem",
                        ]
                    ),
                    None,
                    [person.email],
                )
            )
    if messages:
        mail_queue(organisation=organisation, messages=messages, kind="careers.quarter")
        audit_record(
            organisation=organisation,
            actor=None,
            action="careers.quarter_reminders_send",
            changes={"year": year, "quarter": quarter, "emailed": len(messages)},
        )
    return len(messages)
