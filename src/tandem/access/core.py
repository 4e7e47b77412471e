"""The core of access: who a user is, in which organisation, and the platform's own pages.

Views, exports, the API and the admin never test roles themselves; they call these functions.
Each condition sits on its own line so a reader can check it against the role x page matrix in
``tests/test_access.py``. A user belongs to at most one organisation (their Membership), and
nothing in another organisation is ever visible to them, superusers included: superusers run
the installation, not the organisations on it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from tandem.accounts.models import Membership, Role
from tandem.people.models import Organisation, Person


def membership_of(user: Any) -> Membership | None:
    """The user's membership, or None for anonymous users and users outside any organisation."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    relation = Membership._meta.get_field("user").remote_field  # user.membership, reversed
    if not relation.is_cached(user):
        # One query for the membership with its organisation and person, which nearly every
        # access decision reads next; kept where ``user.membership`` itself keeps it.
        found = (
            Membership.objects.select_related("organisation", "person").filter(user=user).first()
        )
        relation.set_cached_value(user, found)
        if found is not None:
            relation.field.set_cached_value(found, user)
    try:
        membership: Membership = user.membership
    except Membership.DoesNotExist:
        return None
    return membership


def organisation_of(user: Any) -> Organisation | None:
    membership = membership_of(user)
    return membership.organisation if membership else None


def organisation_required(user: Any) -> Organisation:
    """The user's organisation, for views: no organisation means the page is not for them."""
    organisation = organisation_of(user)
    if organisation is None:
        raise PermissionDenied
    return organisation


def person_of(user: Any) -> Person | None:
    membership = membership_of(user)
    return membership.person if membership else None


def role_of(user: Any) -> str | None:
    membership = membership_of(user)
    return membership.role if membership else None


def in_organisation(user: Any, organisation: Organisation) -> bool:
    """True when the user is an active member of ``organisation``."""
    membership = membership_of(user)
    if membership is None:
        return False
    return membership.organisation_id == organisation.pk


def is_admin(user: Any, organisation: Organisation) -> bool:
    if not in_organisation(user, organisation):
        return False
    return role_of(user) == Role.ADMIN


def is_people_team(user: Any, organisation: Organisation) -> bool:
    """Admins can do everything the people team can."""
    if not in_organisation(user, organisation):
        return False
    return role_of(user) in {Role.ADMIN, Role.PEOPLE_TEAM}


def is_manager(user: Any) -> bool:
    """A manager is anyone with active direct reports: derived from reporting lines, not stored."""
    person = person_of(user)
    if person is None:
        return False
    return person.reports.active().exists()


def manages(user: Any, person: Person) -> bool:
    """True when the user's person is somewhere above ``person`` in the reporting lines."""
    own = person_of(user)
    if own is None or own.organisation_id != person.organisation_id:
        return False
    seen: set[int] = set()
    current = person.manager
    while current is not None and current.pk not in seen:
        if current.pk == own.pk:
            return True
        seen.add(current.pk)
        current = current.manager
    return False


# --- pages -------------------------------------------------------------------------------


def can_view_organisation_chart(user: Any, organisation: Organisation) -> bool:
    """Everyone in the organisation sees the chart: reporting lines are not a secret."""
    return in_organisation(user, organisation)


def can_view_person(user: Any, person: Person) -> bool:
    """A person's page (name, title, team, reporting line) is open to their organisation."""
    return in_organisation(user, person.organisation)


def can_view_person_private_details(user: Any, person: Person) -> bool:
    """Start date, location history and archive status: the person, their managers, HR."""
    if not in_organisation(user, person.organisation):
        return False
    if person_of(user) == person:
        return True
    if is_people_team(user, person.organisation):
        return True
    return manages(user, person)


def can_import_people(user: Any, organisation: Organisation) -> bool:
    return is_people_team(user, organisation)


def can_invite(user: Any, organisation: Organisation) -> bool:
    return is_people_team(user, organisation)


def can_grant_role(user: Any, organisation: Organisation, role: str) -> bool:
    """Only admins make admins or people-team members; the people team may invite employees."""
    if not is_people_team(user, organisation):
        return False
    if role == Role.EMPLOYEE:
        return True
    return is_admin(user, organisation)


def can_view_audit_log(user: Any, organisation: Organisation) -> bool:
    return is_admin(user, organisation)


def can_see_undelivered_mail(user: Any, organisation: Organisation) -> bool:
    """Addresses and subjects of email that failed; never bodies (they can hold links)."""
    return is_people_team(user, organisation)


def can_manage_organisation(user: Any, organisation: Organisation) -> bool:
    return is_admin(user, organisation)


def can_use_django_admin(user: Any) -> bool:
    """Django's admin is for superusers, and it only shows what ``admin_queryset`` allows."""
    return bool(user is not None and user.is_active and user.is_superuser)
