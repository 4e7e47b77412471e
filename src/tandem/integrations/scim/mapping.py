"""Between a Person (with what the identity provider added, ``ScimUser``) and a SCIM User.

``user_from_person`` is what SCIM shows; ``values_from_user`` is what a write asks for, as
plain values the provisioning service checks by the people import's rules.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, cast

from scim2_models import Meta

from tandem.integrations.models import ScimUser
from tandem.integrations.scim.schema import EnterpriseUser, User, UserEmail, UserManager, UserName
from tandem.people.models import Person, PersonStatus


@dataclass(frozen=True)
class UserValues:
    """Everything a SCIM write says about a person: the state it wants, not a difference."""

    user_name: str
    external_id: str
    display_name: str
    name_formatted: str
    given_name: str
    family_name: str
    email: str
    email_type: str
    email_primary: bool | None
    title: str
    active: bool
    employee_number: str
    department: str
    manager_id: str


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _chosen_email(emails: list[UserEmail]) -> UserEmail | None:
    """Tandem keeps one email: the primary one, else the work one, else the first."""
    with_value = [email for email in emails if _text(email.value)]
    for email in with_value:
        if email.primary:
            return email
    for email in with_value:
        if _text(email.type) == "work":
            return email
    return with_value[0] if with_value else None


def values_from_user(user: User) -> UserValues:
    name = user.name or UserName()
    email = _chosen_email(user.emails or [])
    enterprise = user[EnterpriseUser] or EnterpriseUser()
    manager = enterprise.manager or UserManager(value=None, ref=None)
    manager_id = _text(manager.value)
    if not manager_id and manager.ref:
        manager_id = str(manager.ref).rstrip("/").rsplit("/", 1)[-1]
    return UserValues(
        user_name=_text(user.user_name),
        external_id=_text(user.external_id),
        display_name=_text(user.display_name),
        name_formatted=_text(name.formatted),
        given_name=_text(name.given_name),
        family_name=_text(name.family_name),
        email=_text(email.value) if email else "",
        email_type=_text(email.type) if email else "",
        email_primary=email.primary if email else None,
        title=_text(user.title),
        active=True if user.active is None else bool(user.active),
        employee_number=_text(enterprise.employee_number),
        department=_text(enterprise.department),
        manager_id=manager_id,
    )


def _link(person: Person) -> ScimUser | None:
    try:
        return person.scim
    except ScimUser.DoesNotExist:
        return None


def user_from_person(person: Person, *, base_url: str) -> User:
    """The SCIM User for a person. ``base_url`` ends with /scim/v2 (no slash after)."""
    link = _link(person)
    if link is None:
        # Made by the people import: the email is the userName, the name is the display name.
        user_name, display_name = person.email, person.name
        name = UserName(formatted=person.name)
        email = UserEmail(value=person.email, type=UserEmail.Type.work, primary=True)
        employee_number = person.employee_id
        external_id = None
    else:
        user_name = link.user_name
        display_name = person.name if link.display_name else ""
        name = UserName(
            formatted=link.name_formatted or None,
            given_name=link.given_name or None,
            family_name=link.family_name or None,
        )
        email = UserEmail(
            value=person.email,
            type=UserEmail.Type(link.email_type) if link.email_type else None,
            primary=link.email_primary,
        )
        employee_number = person.employee_id if link.employee_number_given else ""
        external_id = link.external_id or None
    manager = None
    if person.manager_id is not None:
        manager = UserManager(
            value=str(person.manager_id),
            ref=cast(Any, f"{base_url}/Users/{person.manager_id}"),  # validated by pydantic
        )
    enterprise = EnterpriseUser(
        employee_number=employee_number or None,
        department=person.department or None,
        manager=manager,
    )
    user = User(
        id=str(person.pk),
        external_id=external_id,
        user_name=user_name,
        name=name if (name.formatted or name.given_name or name.family_name) else None,
        display_name=display_name or None,
        title=person.title or None,
        emails=[email],
        active=person.status == PersonStatus.ACTIVE,
    )
    if enterprise.employee_number or enterprise.department or enterprise.manager:
        user[EnterpriseUser] = enterprise
    last_modified = max(person.updated_at, link.updated_at) if link else person.updated_at
    user.meta = Meta(
        resource_type="User",
        created=person.created_at,
        last_modified=last_modified,
        location=f"{base_url}/Users/{person.pk}",
        version=person_version(person),
    )
    return user


def person_version(person: Person) -> str:
    """A weak ETag for what SCIM shows of the person: it changes whenever that changes."""
    link = _link(person)
    state = {
        "person": [
            person.employee_id,
            person.name,
            person.email,
            person.title,
            person.department,
            person.manager_id,
            person.status,
        ],
        "scim": None
        if link is None
        else [
            link.user_name,
            link.external_id,
            link.display_name,
            link.name_formatted,
            link.given_name,
            link.family_name,
            link.email_type,
            link.email_primary,
            link.employee_number_given,
        ],
    }
    digest = hashlib.sha256(json.dumps(state, default=str).encode()).hexdigest()[:20]
    return f'W/"{digest}"'
