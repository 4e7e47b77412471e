"""What careers pages share: the organisation, person and framework version a request is about."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils.translation import gettext

from tandem import access
from tandem.accounts.services import NO_PERSON_YET
from tandem.careers import selectors
from tandem.careers.models import FrameworkVersion
from tandem.people.models import Organisation, Person


def organisation_of(request: HttpRequest) -> Organisation:
    return access.organisation_required(request.user)


def own_person(request: HttpRequest) -> Person:
    """The signed-in user's own person; pages about 'me' need one."""
    organisation_of(request)
    person = access.person_of(request.user)
    if person is None:
        raise PermissionDenied(NO_PERSON_YET)
    return person


def current_version(organisation: Organisation) -> FrameworkVersion:
    version = selectors.framework_version_get(organisation=organisation)
    if version is None:
        raise Http404(gettext("There is no career framework yet."))
    return version


def person_in(organisation: Organisation, person_id: int) -> Person:
    person = Person.objects.filter(pk=person_id, organisation=organisation).first()
    if person is None:
        raise Http404
    return person
