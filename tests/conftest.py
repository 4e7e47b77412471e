"""Shared fixtures: an organisation with named personas, and a second one that must see nothing.

Acme                                         Globex
  Ada Admin (CEO, organisation admin)          Otto Outsider (admin of Globex)
  ├── Harriet Hr (people team)
  └── Manny Manager (manager by reporting lines)
        ├── Emma Employee
        └── Eli Employee
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tandem.accounts.models import Role, User
from tandem.people.models import Organisation, Person
from tests.factories import make_organisation, make_person, make_user

# The single sign-on test providers' fixtures: `oidc_provider`, `saml_idp` (tests/sso_providers).
pytest_plugins = ["tests.sso_providers.fixtures"]


@dataclass
class Personas:
    organisation: Organisation
    other_organisation: Organisation
    ceo: Person
    hr_person: Person
    manager_person: Person
    employee_person: Person
    sibling_person: Person
    outsider_person: Person
    admin: User
    hr: User
    manager: User
    employee: User
    outsider: User
    superuser: User


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow on purpose; tests sign in hundreds of times. Production keeps Argon2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def _media_folder(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _files_outside_the_checkout(settings: Any, _media_folder: Any) -> None:
    """Files the site keeps (report PDFs) go to a temporary folder, never into the checkout."""
    settings.MEDIA_ROOT = str(_media_folder)


@pytest.fixture
def personas(db: None) -> Personas:
    acme = make_organisation("Acme")
    globex = make_organisation("Globex")
    ceo = make_person(acme, "Ada Admin", title="Chief Executive", department="Executive")
    hr_person = make_person(
        acme, "Harriet Hr", manager=ceo, title="People Partner", department="People"
    )
    manager_person = make_person(acme, "Manny Manager", manager=ceo, title="Engineering Manager")
    employee_person = make_person(acme, "Emma Employee", manager=manager_person)
    sibling_person = make_person(acme, "Eli Employee", manager=manager_person)
    outsider_person = make_person(globex, "Otto Outsider", title="Chief Executive")
    return Personas(
        organisation=acme,
        other_organisation=globex,
        ceo=ceo,
        hr_person=hr_person,
        manager_person=manager_person,
        employee_person=employee_person,
        sibling_person=sibling_person,
        outsider_person=outsider_person,
        admin=make_user(acme, role=Role.ADMIN, person=ceo),
        hr=make_user(acme, role=Role.PEOPLE_TEAM, person=hr_person),
        manager=make_user(acme, role=Role.EMPLOYEE, person=manager_person),
        employee=make_user(acme, role=Role.EMPLOYEE, person=employee_person),
        outsider=make_user(globex, role=Role.ADMIN, person=outsider_person),
        superuser=make_user(None, email="root@example.org", is_superuser=True, is_staff=True),
    )
