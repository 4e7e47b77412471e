"""What vision pages share: the organisation a request is about, and its goals and teams.
Every vision page starts here, so whoever may not see the vision sees none of it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from tandem import access
from tandem.people.models import Organisation, Person
from tandem.vision import selectors
from tandem.vision.models import Goal


def organisation_of(request: HttpRequest) -> Organisation:
    organisation = access.organisation_required(request.user)
    if not access.vision.can_view_vision(request.user, organisation):
        raise PermissionDenied
    return organisation


def goal_of(request: HttpRequest, goal_id: int) -> Goal:
    goal = selectors.goal_get(organisation=organisation_of(request), goal_id=goal_id)
    if goal is None:
        raise Http404
    return goal


def team_of(request: HttpRequest, team_id: int) -> Person:
    team = selectors.team_get(organisation=organisation_of(request), team_id=team_id)
    if team is None:
        raise Http404
    return team
