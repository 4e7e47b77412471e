"""What every growth page starts from: the signed-in member and their place in the organisation."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone

from tandem import access
from tandem.accounts.services import NO_PERSON_YET
from tandem.growth.weeks import IsoWeek
from tandem.people.models import Organisation, Person


def me(request: HttpRequest) -> tuple[Organisation, Person]:
    """The user's organisation and person; 403 for anyone without a place in one."""
    organisation = access.organisation_required(request.user)
    if not access.growth.can_use_growth(request.user, organisation):
        raise PermissionDenied(NO_PERSON_YET)
    person = access.person_of(request.user)
    assert person is not None  # can_use_growth checked it
    return organisation, person


def this_week() -> IsoWeek:
    return IsoWeek.of(timezone.localdate())
