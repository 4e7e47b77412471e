"""Who may read and write the vision, the goal cascade and everything hanging off it: named
writers, the understanding pulse, hazards and the leaders network."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from tandem.access.core import in_organisation, is_manager, is_people_team, manages, person_of
from tandem.people.models import Organisation, Person, PersonStatus

if TYPE_CHECKING:
    from tandem.vision.models import Goal, Hazard, Pulse


def can_view_vision(user: Any, organisation: Organisation) -> bool:
    """The vision and every team's translation are open to the whole organisation."""
    return in_organisation(user, organisation)


def can_edit_vision(user: Any, organisation: Organisation) -> bool:
    return is_people_team(user, organisation)


def can_name_writers(user: Any, team: Person) -> bool:
    """The team's manager names who may write the team's goals; so may the people team."""
    if not in_organisation(user, team.organisation):
        return False
    if is_people_team(user, team.organisation):
        return True
    return person_of(user) == team


def can_write_goals_for_team(user: Any, team: Person) -> bool:
    """A team's translation is written by its manager (``team``), the members the manager
    named as writers, or the people team."""
    from tandem.vision.models import TeamWriter

    if not in_organisation(user, team.organisation):
        return False
    if is_people_team(user, team.organisation):
        return True
    person = person_of(user)
    if person is None:
        return False
    if person == team:
        return True
    return TeamWriter.objects.filter(
        team=team, person=person, person__status=PersonStatus.ACTIVE
    ).exists()


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


# --- understanding pulse -------------------------------------------------------------------


def can_open_pulse(user: Any, team: Person) -> bool:
    """A team's manager (and the people team) opens and closes its pulse."""
    return can_name_writers(user, team)


def can_answer_pulse(user: Any, pulse: Pulse) -> bool:
    """Members of the team answer: the manager's active direct reports, while it is open."""
    if not in_organisation(user, pulse.organisation):
        return False
    if not pulse.is_open:
        return False
    person = person_of(user)
    if person is None:
        return False
    if not person.is_active:
        return False
    return person.manager_id == pulse.team_id


def can_view_pulse_score(user: Any, team: Person) -> bool:
    """A team's understanding score (an aggregate over at least the minimum of answers) is for
    the team's manager, the managers above them, and the people team."""
    if not in_organisation(user, team.organisation):
        return False
    if is_people_team(user, team.organisation):
        return True
    if person_of(user) == team:
        return True
    return manages(user, team)


# --- hazards -------------------------------------------------------------------------------


def can_raise_hazard(user: Any, goal: Goal) -> bool:
    """Anyone in the organisation with a place in it can raise a hazard on any goal."""
    if not in_organisation(user, goal.organisation):
        return False
    return person_of(user) is not None


def can_view_hazard_board(user: Any, organisation: Organisation) -> bool:
    """Leaders see every open hazard: the people team, admins and anyone with reports."""
    if not in_organisation(user, organisation):
        return False
    if is_people_team(user, organisation):
        return True
    return is_manager(user)


def _reached(user: Any, hazard: Hazard) -> bool:
    person = person_of(user)
    if person is None:
        return False
    return hazard.steps.filter(person=person).exists()


def can_view_hazard(user: Any, hazard: Hazard) -> bool:
    """Leaders, whoever raised it, and everyone it reached on its way up."""
    if not in_organisation(user, hazard.organisation):
        return False
    if can_view_hazard_board(user, hazard.organisation):
        return True
    if person_of(user) is not None and person_of(user) == hazard.raised_by:
        return True
    return _reached(user, hazard)


def can_acknowledge_hazard(user: Any, hazard: Hazard) -> bool:
    """Anyone it reached (the owner or a manager above) or the people team stops its climb."""
    if not in_organisation(user, hazard.organisation):
        return False
    if not hazard.is_open:
        return False
    if person_of(user) is None:
        return False
    if is_people_team(user, hazard.organisation):
        return True
    return _reached(user, hazard)


# --- leaders everywhere --------------------------------------------------------------------


def can_run_nomination_survey(user: Any, organisation: Organisation) -> bool:
    return is_people_team(user, organisation)


def can_answer_nomination_survey(user: Any, organisation: Organisation) -> bool:
    """Everyone with a place in the organisation may nominate, and may opt out."""
    if not in_organisation(user, organisation):
        return False
    return person_of(user) is not None


def can_view_leaders_network(user: Any, organisation: Organisation) -> bool:
    """Informal leaders and brokers (aggregates only) are for the people team and admins."""
    return is_people_team(user, organisation)


# --- the same rules over many teams at once, for pages that list every team ----------------


def _chain_above(organisation: Organisation) -> dict[int, int | None]:
    """Every person's manager id in one query, to walk reporting lines without N+1."""
    return dict(Person.objects.filter(organisation=organisation).values_list("pk", "manager_id"))


def teams_writable_by(user: Any, teams: Sequence[Person]) -> set[int]:
    """Ids of the ``teams`` whose goals the user may write: ``can_write_goals_for_team`` in
    two queries, whatever the number of teams."""
    from tandem.vision.models import TeamWriter

    mine = [t for t in teams if in_organisation(user, t.organisation)]
    if not mine:
        return set()
    if is_people_team(user, mine[0].organisation):
        return {t.pk for t in mine}
    person = person_of(user)
    if person is None:
        return set()
    named = set(
        TeamWriter.objects.filter(person=person, person__status=PersonStatus.ACTIVE).values_list(
            "team_id", flat=True
        )
    )
    return {t.pk for t in mine if t.pk == person.pk or t.pk in named}


def teams_named_by(user: Any, teams: Sequence[Person]) -> set[int]:
    """Ids of the ``teams`` whose writers the user may name (``can_name_writers``)."""
    mine = [t for t in teams if in_organisation(user, t.organisation)]
    if not mine:
        return set()
    if is_people_team(user, mine[0].organisation):
        return {t.pk for t in mine}
    person = person_of(user)
    return {t.pk for t in mine if person is not None and t.pk == person.pk}


def teams_scored_for(user: Any, teams: Sequence[Person]) -> set[int]:
    """Ids of the ``teams`` whose understanding score the user may see
    (``can_view_pulse_score``), walking reporting lines from one query."""
    mine = [t for t in teams if in_organisation(user, t.organisation)]
    if not mine:
        return set()
    organisation = mine[0].organisation
    if is_people_team(user, organisation):
        return {t.pk for t in mine}
    person = person_of(user)
    if person is None:
        return set()
    above = _chain_above(organisation)
    found = set()
    for team in mine:
        seen: set[int] = set()
        current: int | None = team.pk
        while current is not None and current not in seen:
            if current == person.pk:
                found.add(team.pk)
                break
            seen.add(current)
            current = above.get(current)
    return found


def teams_pulse_openable_by(user: Any, teams: Sequence[Person]) -> set[int]:
    """Ids of the ``teams`` whose pulse the user may open (``can_open_pulse``)."""
    return teams_named_by(user, teams)
