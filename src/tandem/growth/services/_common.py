"""What every growth service shares: the error people see, and token hashing."""

from __future__ import annotations

import datetime
import hashlib

from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext

from tandem.people.models import Organisation, Person


class GrowthError(ValueError):
    """A request that cannot be carried out, with a message for the person."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def day_month(value: datetime.date) -> str:
    """A day and its month in words, as in "05 December", in the active language."""
    # Translators: a Django date format (see the "date" template filter): d is the day with a
    # leading zero, j without, F the month's name; Spanish might use "j \d\e F".
    return date_format(value, pgettext("date format: day and month", "d F"))


def same_organisation(organisation: Organisation, *people: Person) -> None:
    for person in people:
        if person.organisation_id != organisation.pk:
            raise GrowthError(
                gettext("%(person)s is not in %(organisation)s.")
                % {"person": person, "organisation": organisation}
            )
