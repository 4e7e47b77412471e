"""What every growth service shares: the error people see, and token hashing."""

from __future__ import annotations

import hashlib

from tandem.people.models import Organisation, Person


class GrowthError(ValueError):
    """A request that cannot be carried out, with a message for the person."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def same_organisation(organisation: Organisation, *people: Person) -> None:
    for person in people:
        if person.organisation_id != organisation.pk:
            raise GrowthError(f"{person} is not in {organisation}.")
