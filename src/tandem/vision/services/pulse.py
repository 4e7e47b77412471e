"""The understanding pulse: does the translation land? Writes, atomic and audited.

An answer is never stored as a row of its own. Answering adds one to the count of each
(statement, value) pair and records, separately, only that the person has answered. So nothing
links an answer to a person, to a time finer than the pulse, or to an order of answering; the
audit log records that someone answered, never what.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from tandem.audit.services import audit_record
from tandem.people.models import Person, PersonStatus
from tandem.vision.models import (
    PULSE_SCALE,
    PULSE_STATEMENTS,
    Pulse,
    PulseRespondent,
    PulseTally,
)


class PulseError(ValueError):
    """The pulse cannot take this: already answered, closed, or not this person's team."""


@transaction.atomic
def pulse_open(*, team: Person, actor: Any) -> Pulse:
    """Open a pulse for the team of ``team``. A team has one open pulse at a time."""
    try:
        # The database allows one open pulse per team, even for two clicks at once.
        with transaction.atomic():
            pulse = Pulse.objects.create(
                organisation=team.organisation, team=team, statements=list(PULSE_STATEMENTS)
            )
    except IntegrityError:
        raise PulseError(
            gettext("The team of %(name)s has an open pulse already: close it first.")
            % {"name": team.name}
        ) from None
    # Every count exists from the start, at zero: row order says nothing about answers.
    PulseTally.objects.bulk_create(
        PulseTally(pulse=pulse, statement=s, value=v, count=0)
        for s in range(len(PULSE_STATEMENTS))
        for v in PULSE_SCALE
    )
    audit_record(
        organisation=team.organisation,
        actor=actor,
        action="vision.pulse_open",
        target=pulse,
        changes={"team": team.name},
    )
    return pulse


@transaction.atomic
def pulse_answer(*, pulse: Pulse, person: Person, answers: Sequence[int], actor: Any) -> None:
    """Add ``person``'s answers (one per statement, 1 to 5) to the pulse's counts."""
    pulse = Pulse.objects.select_for_update().get(pk=pulse.pk)
    if not pulse.is_open:
        raise PulseError(gettext("This pulse is closed."))
    if person.manager_id != pulse.team_id or person.status != PersonStatus.ACTIVE:
        raise PulseError(
            gettext("%(name)s is not in the team of this pulse.") % {"name": person.name}
        )
    if len(answers) != len(pulse.statements):
        count = len(pulse.statements)
        raise PulseError(
            ngettext(
                "Answer the %(count)s statement.",
                "Answer each of the %(count)s statements.",
                count,
            )
            % {"count": count}
        )
    for number, value in enumerate(answers, start=1):
        if value not in PULSE_SCALE:
            raise PulseError(
                gettext("Statement %(number)s: answer from 1 to 5, not %(value)s.")
                % {"number": number, "value": repr(value)}
            )
    try:
        with transaction.atomic():
            PulseRespondent.objects.create(pulse=pulse, person=person)
    except IntegrityError:
        raise PulseError(gettext("You have answered this pulse already: thank you.")) from None
    for statement, value in enumerate(answers):
        PulseTally.objects.filter(pulse=pulse, statement=statement, value=value).update(
            count=F("count") + 1
        )
    # Who answered is known anyway (it stops a second answer); what they answered is not.
    audit_record(
        organisation=pulse.organisation, actor=actor, action="vision.pulse_answer", target=pulse
    )


@transaction.atomic
def pulse_close(*, pulse: Pulse, actor: Any) -> Pulse:
    pulse = Pulse.objects.select_for_update().get(pk=pulse.pk)
    if not pulse.is_open:
        return pulse
    pulse.closed_on = timezone.localdate()
    pulse.save(update_fields=["closed_on"])
    audit_record(
        organisation=pulse.organisation,
        actor=actor,
        action="vision.pulse_close",
        target=pulse,
        changes={"closed_on": pulse.closed_on},
    )
    return pulse
