"""Small, explicit builders for test data. No magic: each returns what it says."""

from __future__ import annotations

import itertools
from typing import Any

from tandem.accounts.models import Membership, Role, User
from tandem.people.models import Organisation, Person

_ids = itertools.count(1000)

PASSWORD = "correct horse battery staple"


def make_organisation(name: str = "Acme") -> Organisation:
    return Organisation.objects.create(name=name)


def make_person(
    organisation: Organisation, name: str, *, manager: Person | None = None, **fields: Any
) -> Person:
    number = next(_ids)
    slug = name.lower().replace(" ", ".")
    fields.setdefault("email", f"{slug}.{number}@example.org")
    fields.setdefault("title", "Engineer")
    fields.setdefault("department", "Engineering")
    return Person.objects.create(
        organisation=organisation, employee_id=f"E{number}", name=name, manager=manager, **fields
    )


def make_user(
    organisation: Organisation | None,
    *,
    role: str = Role.EMPLOYEE,
    person: Person | None = None,
    email: str | None = None,
    **extra: Any,
) -> User:
    email = email or (person.email if person else f"user{next(_ids)}@example.org")
    user = User.objects.create_user(
        email, PASSWORD, full_name=person.name if person else "", **extra
    )
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role, person=person)
    return user
