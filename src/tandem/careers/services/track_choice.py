"""Writes behind choosing a track: the person's motivation check. Atomic and audited; the
audit row holds no answers."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from tandem.audit.services import audit_record
from tandem.careers import motivation
from tandem.careers.models import MotivationCheck
from tandem.careers.services._common import CareersError
from tandem.people.models import Person


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
        raise CareersError(
            gettext("Unknown questions: %(ids)s.") % {"ids": ", ".join(sorted(unknown))}
        )
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
