"""The nomination survey behind "leaders everywhere": writes, atomic and audited.

Nominations are the most private data in the vision app. They are written here, read only by
``selectors.leaders`` to compute aggregates, and never audited by name: the audit log says
that someone answered, and how many names they gave, never whom.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from tandem.audit.services import audit_record
from tandem.people.models import Organisation, Person, PersonStatus
from tandem.vision.models import (
    NetworkOptOut,
    Nomination,
    NominationQuestion,
    NominationSurvey,
)

MAX_PER_QUESTION = 3


class SurveyError(ValueError):
    """The survey cannot take this answer."""


@transaction.atomic
def survey_open(*, organisation: Organisation, actor: Any) -> NominationSurvey:
    try:
        # The database allows one open survey per organisation, even for two clicks at once.
        with transaction.atomic():
            survey = NominationSurvey.objects.create(organisation=organisation)
    except IntegrityError:
        raise SurveyError(gettext("A nomination survey is open already: close it first.")) from None
    audit_record(organisation=organisation, actor=actor, action="vision.survey_open", target=survey)
    return survey


@transaction.atomic
def survey_close(*, survey: NominationSurvey, actor: Any) -> NominationSurvey:
    survey = NominationSurvey.objects.select_for_update().get(pk=survey.pk)
    if survey.closed_on is None:
        survey.closed_on = timezone.localdate()
        survey.save(update_fields=["closed_on"])
        audit_record(
            organisation=survey.organisation,
            actor=actor,
            action="vision.survey_close",
            target=survey,
            changes={"closed_on": survey.closed_on},
        )
    return survey


@transaction.atomic
def nominations_save(
    *,
    survey: NominationSurvey,
    nominator: Person,
    choices: Mapping[str, Sequence[Person]],
    actor: Any,
) -> int:
    """Replace ``nominator``'s answers to the survey. Returns how many names were given.

    Each question takes up to three people: active, in the organisation, not the nominator,
    and not opted out of the network.
    """
    if not survey.is_open:
        raise SurveyError(gettext("This survey is closed."))
    if nominator.organisation_id != survey.organisation_id:
        raise SurveyError(
            gettext("%(name)s is not in this organisation.") % {"name": nominator.name}
        )
    opted_out = set(
        NetworkOptOut.objects.filter(person__organisation=survey.organisation).values_list(
            "person_id", flat=True
        )
    )
    rows = []
    for question, people in choices.items():
        if question not in NominationQuestion.values:
            raise SurveyError(
                gettext("Unknown question %(question)s.") % {"question": repr(question)}
            )
        if len(people) > MAX_PER_QUESTION:
            raise SurveyError(
                ngettext(
                    "Name up to %(count)s person for each question.",
                    "Name up to %(count)s people for each question.",
                    MAX_PER_QUESTION,
                )
                % {"count": MAX_PER_QUESTION}
            )
        for person in people:
            if person.pk == nominator.pk:
                raise SurveyError(gettext("Name other people, not yourself."))
            if person.organisation_id != survey.organisation_id:
                raise SurveyError(
                    gettext("%(name)s is not in this organisation.") % {"name": person.name}
                )
            if person.status != PersonStatus.ACTIVE:
                raise SurveyError(gettext("%(name)s has left.") % {"name": person.name})
            if person.pk in opted_out:
                raise SurveyError(
                    gettext("%(name)s has chosen not to be nominated.") % {"name": person.name}
                )
            rows.append(
                Nomination(survey=survey, question=question, nominator=nominator, nominee=person)
            )
    Nomination.objects.filter(survey=survey, nominator=nominator).delete()
    Nomination.objects.bulk_create(rows, ignore_conflicts=True)
    audit_record(
        organisation=survey.organisation,
        actor=actor,
        action="vision.nominations_save",
        target=survey,
        # How many, never whom.
        changes={"names_given": len(rows)},
    )
    return len(rows)


@transaction.atomic
def network_opt_out(*, person: Person, actor: Any) -> None:
    """Leave the network: not shown, not counted, and no longer nominable.

    Nominations of this person already given are deleted, in every survey.
    """
    _, created = NetworkOptOut.objects.get_or_create(person=person)
    if created:
        Nomination.objects.filter(nominee=person).delete()
        audit_record(
            organisation=person.organisation,
            actor=actor,
            action="vision.network_opt_out",
            target=person,
        )


@transaction.atomic
def network_opt_in(*, person: Person, actor: Any) -> None:
    deleted, _ = NetworkOptOut.objects.filter(person=person).delete()
    if deleted:
        audit_record(
            organisation=person.organisation,
            actor=actor,
            action="vision.network_opt_in",
            target=person,
        )
