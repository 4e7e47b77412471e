"""Provisioning people through SCIM, by the people import's rules.

Deactivating or deleting archives a person, never deletes them; a manager loop, a manager
who is not there, an email or employee id held by someone else and a value too long are
refused with a SCIM error that names the attribute and the people involved. Every change is
audited with the token that made it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from scim2_models import (
    InvalidValueException,
    NotFoundException,
    PreconditionFailedException,
    UniquenessException,
)

from tandem.audit.services import audit_record
from tandem.integrations.models import OrganisationToken, ScimUser
from tandem.integrations.scim.mapping import UserValues, person_version
from tandem.integrations.scim.schema import ENTERPRISE_USER
from tandem.integrations.selectors.scim import scim_person
from tandem.people.hris import MAX_LENGTHS, is_email_address
from tandem.people.models import Organisation, Person, PersonStatus
from tandem.people.selectors import reporting_loop

MANAGER = f"{ENTERPRISE_USER}:manager"
EMPLOYEE_NUMBER = f"{ENTERPRISE_USER}:employeeNumber"
DEPARTMENT = f"{ENTERPRISE_USER}:department"

_PERSON_FIELDS = ("employee_id", "name", "email", "title", "department", "manager_id", "status")
_LINK_FIELDS = (
    "user_name",
    "external_id",
    "display_name",
    "name_formatted",
    "given_name",
    "family_name",
    "email_type",
    "email_primary",
    "employee_number_given",
)
# The longest value each attribute may hold: the database's column sizes.
_LIMITS = {
    "userName": 254,
    "externalId": 254,
    "displayName": MAX_LENGTHS["name"],
    "name.formatted": MAX_LENGTHS["name"],
    "name.givenName": MAX_LENGTHS["name"],
    "name.familyName": MAX_LENGTHS["name"],
    "emails.value": MAX_LENGTHS["email"],
    "emails.type": 32,
    "title": MAX_LENGTHS["title"],
    EMPLOYEE_NUMBER: MAX_LENGTHS["employee_id"],
    DEPARTMENT: MAX_LENGTHS["department"],
}


def _refuse(exception: type[Any], attribute: str, message: str) -> Exception:
    error: Exception = exception(detail=f"{attribute}: {message}")
    return error


def _who(person: Person) -> str:
    state = "" if person.status == PersonStatus.ACTIVE else ", archived"
    return f"{person.name} (SCIM id {person.pk}, employee id {person.employee_id}{state})"


def _display_name(values: UserValues) -> str:
    joined = " ".join(part for part in (values.given_name, values.family_name) if part)
    return values.display_name or values.name_formatted or joined or values.user_name


def _check_values(values: UserValues) -> None:
    lengths = {
        "userName": values.user_name,
        "externalId": values.external_id,
        "displayName": values.display_name,
        "name.formatted": values.name_formatted,
        "name.givenName": values.given_name,
        "name.familyName": values.family_name,
        "emails.value": values.email,
        "emails.type": values.email_type,
        "title": values.title,
        EMPLOYEE_NUMBER: values.employee_number,
        DEPARTMENT: values.department,
    }
    if not values.user_name:
        raise _refuse(InvalidValueException, "userName", "is empty. Every person needs one.")
    for attribute, value in lengths.items():
        if len(value) > _LIMITS[attribute]:
            raise _refuse(
                InvalidValueException,
                attribute,
                f"is {len(value)} characters long; Tandem keeps at most {_LIMITS[attribute]}. "
                "Shorten it in the identity provider.",
            )
    if not values.email:
        raise _refuse(
            InvalidValueException,
            "emails",
            "no email address given. Every person in Tandem needs one (the primary or work "
            "address is kept).",
        )
    if not is_email_address(values.email):
        raise _refuse(
            InvalidValueException,
            "emails.value",
            f"'{values.email}' is not an email address. Write it like name@example.com.",
        )
    if len(_display_name(values)) > MAX_LENGTHS["name"]:
        raise _refuse(
            InvalidValueException,
            "name",
            f"the name is longer than {MAX_LENGTHS['name']} characters. Shorten it.",
        )


def _check_unique(organisation: Organisation, values: UserValues, person: Person | None) -> None:
    others = Person.objects.filter(organisation=organisation)
    if person is not None:
        others = others.exclude(pk=person.pk)
    key = values.user_name.casefold()
    holder = (
        others.filter(scim__user_name_key=key).first()
        or others.filter(scim__isnull=True, email__iexact=values.user_name).first()
    )
    if holder is not None:
        raise _refuse(
            UniquenessException,
            "userName",
            f"'{values.user_name}' already belongs to {_who(holder)}. Link the identity "
            f"provider's user to SCIM id {holder.pk} instead of creating another.",
        )
    holder = others.filter(email__iexact=values.email).first()
    if holder is not None:
        raise _refuse(
            UniquenessException,
            "emails.value",
            f"'{values.email}' already belongs to {_who(holder)}; Tandem keeps one person "
            f"per email, with their history. If this is the same person, match on email "
            f"(SCIM id {holder.pk}); otherwise give this user another email.",
        )
    if values.employee_number:
        holder = others.filter(employee_id=values.employee_number).first()
        if holder is not None:
            raise _refuse(
                UniquenessException,
                EMPLOYEE_NUMBER,
                f"'{values.employee_number}' is already the employee id of {_who(holder)}. "
                "Each person needs their own.",
            )


def _manager(
    organisation: Organisation, values: UserValues, person: Person | None
) -> Person | None:
    """The manager named, after checking they are there and no loop would form."""
    if not values.manager_id:
        return None
    manager = scim_person(organisation_id=organisation.pk, scim_id=values.manager_id)
    if manager is None:
        raise _refuse(
            InvalidValueException,
            MANAGER,
            f"'{values.manager_id}' is not the SCIM id of anyone in this organisation. Every "
            "manager must be provisioned too: provision them first, or check the id.",
        )
    if person is None:
        return manager
    if manager.pk == person.pk:
        raise _refuse(
            InvalidValueException,
            MANAGER,
            f"'{values.manager_id}' is this person's own id, so they would manage themselves. "
            "Give their manager's id, or none for the person at the top.",
        )
    loop = reporting_loop(person=person, manager=manager)
    if loop:
        described = ", who reports to ".join(_who(p) for p in [person, *loop])
        raise _refuse(
            InvalidValueException,
            MANAGER,
            f"reporting lines would go round in a loop: {described}. Someone in this loop "
            "must report to a person outside it (or to nobody, at the top).",
        )
    return manager


def _new_employee_id(organisation: Organisation) -> str:
    while True:
        candidate = f"scim-{secrets.token_hex(6)}"
        if not Person.objects.filter(organisation=organisation, employee_id=candidate).exists():
            return candidate


def _link_for(person: Person) -> ScimUser:
    """The person's SCIM details, made from what SCIM showed of them when there were none."""
    try:
        return person.scim
    except ScimUser.DoesNotExist:
        return ScimUser(
            organisation_id=person.organisation_id,
            person=person,
            user_name=person.email,
            user_name_key=person.email.casefold(),
            display_name=person.name,
            name_formatted=person.name,
            email_type="work",
            email_primary=True,
            employee_number_given=True,
        )


def _snapshot(person: Person, link: ScimUser | None) -> dict[str, Any]:
    state = {name: getattr(person, name) for name in _PERSON_FIELDS}
    if link is not None:
        state |= {f"scim.{name}": getattr(link, name) for name in _LINK_FIELDS}
    return state


def _apply(
    person: Person, link: ScimUser, values: UserValues, manager: Person | None, now: Any
) -> None:
    if values.employee_number:
        person.employee_id = values.employee_number
    elif not person.employee_id:
        person.employee_id = _new_employee_id(person.organisation)
    # Tandem never forgets an employee id (the people import matches on it): without an
    # employeeNumber the id stays, and SCIM shows none until the provider sends one.
    link.employee_number_given = bool(values.employee_number)
    person.name = _display_name(values)
    person.email = values.email.lower()
    person.title = values.title
    person.department = values.department
    person.manager = manager
    wanted = PersonStatus.ACTIVE if values.active else PersonStatus.ARCHIVED
    if person.status != wanted:
        person.status = wanted
        person.archived_at = None if values.active else now
    link.user_name = values.user_name
    link.user_name_key = values.user_name.casefold()
    link.external_id = values.external_id
    link.display_name = values.display_name
    link.name_formatted = values.name_formatted
    link.given_name = values.given_name
    link.family_name = values.family_name
    link.email_type = values.email_type
    link.email_primary = values.email_primary


def _audit(
    person: Person,
    before: dict[str, Any],
    after: dict[str, Any],
    token: OrganisationToken,
    *,
    added: bool = False,
    extra: dict[str, Any] | None = None,
) -> None:
    label = f"{token}"[:254]
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    status = changes.pop("status", None)
    common = {"source": f"SCIM ({token.visible})", **(extra or {})}
    if added:
        audit_record(
            organisation=person.organisation,
            actor=None,
            actor_label=label,
            action="person.add",
            target=person,
            changes={**{k: v for k, v in changes.items() if v[1] not in ("", None)}, **common},
        )
        return
    if status is not None:
        action = "person.archive" if status[1] == PersonStatus.ARCHIVED else "person.return"
        audit_record(
            organisation=person.organisation,
            actor=None,
            actor_label=label,
            action=action,
            target=person,
            changes={"status": status, **common},
        )
    if changes or (extra and status is None):
        audit_record(
            organisation=person.organisation,
            actor=None,
            actor_label=label,
            action="person.update",
            target=person,
            changes={**changes, **common},
        )


def _check_version(person: Person, if_match: str | None) -> None:
    if if_match is None or if_match.strip() == "*":
        return
    wanted = {tag.strip() for tag in if_match.split(",")}
    if person_version(person) not in wanted:
        raise PreconditionFailedException(
            detail=f"If-Match: SCIM id {person.pk} has changed since version "
            f"{', '.join(sorted(wanted))} was read; it is now {person_version(person)}. "
            "Read it again, then send the change."
        )


@transaction.atomic
def scim_user_create(
    *, organisation: Organisation, values: UserValues, token: OrganisationToken
) -> Person:
    """A new person, or one a SCIM DELETE removed coming back with the same userName."""
    _check_values(values)
    removed = (
        Person.objects.select_for_update(of=("self",))
        .filter(
            organisation=organisation,
            scim__user_name_key=values.user_name.casefold(),
            scim__removed_at__isnull=False,
        )
        .first()
    )
    _check_unique(organisation, values, removed)
    manager = _manager(organisation, values, removed)
    now = timezone.now()
    if removed is not None:
        link = removed.scim
        before = _snapshot(removed, link)
        link.removed_at = None
        _apply(removed, link, values, manager, now)
        removed.save()
        link.save()
        _audit(
            removed,
            before,
            _snapshot(removed, link),
            token,
            extra={"removed_from_scim": [True, False]},
        )
        return removed
    person = Person(organisation=organisation, employee_id="")
    link = ScimUser(organisation=organisation, person=person)
    _apply(person, link, values, manager, now)
    person.save()
    link.person = person
    link.save()
    _audit(person, {}, _snapshot(person, link), token, added=True)
    return person


@transaction.atomic
def scim_user_update(
    *,
    organisation: Organisation,
    scim_id: str,
    desired: Callable[[Person], UserValues],
    token: OrganisationToken,
    if_match: str | None = None,
) -> Person:
    """Make a person match what ``desired`` (a PUT's body, or a PATCH applied to the person as
    SCIM shows them) asks for; the person is locked while it is worked out."""
    person = scim_person(organisation_id=organisation.pk, scim_id=scim_id, for_update=True)
    if person is None:
        raise NotFoundException(detail=f"No user has the SCIM id '{scim_id}'.")
    _check_version(person, if_match)
    values = desired(person)
    _check_values(values)
    _check_unique(organisation, values, person)
    manager = _manager(organisation, values, person)
    link = _link_for(person)
    before = _snapshot(person, link)
    _apply(person, link, values, manager, timezone.now())
    after = _snapshot(person, link)
    if after != before or link.pk is None:
        person.save()
        link.save()
        _audit(person, before, after, token)
    return person


@transaction.atomic
def scim_user_remove(
    *,
    organisation: Organisation,
    scim_id: str,
    token: OrganisationToken,
    if_match: str | None = None,
) -> None:
    """A SCIM DELETE: the person is archived (never deleted) and SCIM no longer shows them."""
    person = scim_person(organisation_id=organisation.pk, scim_id=scim_id, for_update=True)
    if person is None:
        raise NotFoundException(detail=f"No user has the SCIM id '{scim_id}'.")
    _check_version(person, if_match)
    link = _link_for(person)
    before = _snapshot(person, link)
    if person.status == PersonStatus.ACTIVE:
        person.status = PersonStatus.ARCHIVED
        person.archived_at = timezone.now()
        person.save(update_fields=["status", "archived_at", "updated_at"])
    link.removed_at = timezone.now()
    link.save()
    _audit(
        person, before, _snapshot(person, link), token, extra={"removed_from_scim": [False, True]}
    )
