"""Who may read and write the vision, the goal cascade and everything hanging off it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tandem.access.core import in_organisation, is_people_team, person_of
from tandem.people.models import Organisation, Person

if TYPE_CHECKING:
    from tandem.vision.models import Goal


def can_view_vision(user: Any, organisation: Organisation) -> bool:
    """The vision and every team's translation are open to the whole organisation."""
    return in_organisation(user, organisation)


def can_edit_vision(user: Any, organisation: Organisation) -> bool:
    return is_people_team(user, organisation)


def can_write_goals_for_team(user: Any, team: Person) -> bool:
    """A team's translation is written by its manager (``team``) or the people team.

    Later: members the manager names may write it too.
    """
    if not in_organisation(user, team.organisation):
        return False
    if is_people_team(user, team.organisation):
        return True
    return person_of(user) == team


def can_edit_goal(user: Any, goal: Goal) -> bool:
    """Editing and linking a goal is for whoever writes its team's goals."""
    return can_write_goals_for_team(user, goal.team)


def can_confirm_goal(user: Any, goal: Goal) -> bool:
    """The goal's owner confirms its translation still holds; so may whoever can edit it."""
    if not in_organisation(user, goal.organisation):
        return False
    if person_of(user) == goal.owner:
        return True
    return can_edit_goal(user, goal)
