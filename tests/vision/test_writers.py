"""A team's manager names members who may write the team's goals."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tandem import access
from tandem.audit.models import AuditEvent
from tandem.people.models import PersonStatus
from tandem.vision.services import team_writer_add, team_writer_remove
from tests.conftest import Personas
from tests.factories import make_person, make_user


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_named_member_may_write_the_team_goals(personas: Personas) -> None:
    team = personas.manager_person
    assert not access.vision.can_write_goals_for_team(personas.employee, team)
    team_writer_add(team=team, person=personas.employee_person, actor=personas.manager)
    assert access.vision.can_write_goals_for_team(personas.employee, team)
    # Writing one team's goals gives nothing on another team.
    assert not access.vision.can_write_goals_for_team(personas.employee, personas.ceo)
    event = AuditEvent.objects.get(action="vision.team_writer_add")
    assert event.changes == {"team": "Manny Manager", "person": "Emma Employee"}


def test_removing_a_writer_takes_the_right_away(personas: Personas) -> None:
    team = personas.manager_person
    team_writer_add(team=team, person=personas.employee_person, actor=personas.manager)
    assert team_writer_remove(team=team, person=personas.employee_person, actor=personas.manager)
    assert not access.vision.can_write_goals_for_team(personas.employee, team)
    assert AuditEvent.objects.filter(action="vision.team_writer_remove").count() == 1
    assert not team_writer_remove(team=team, person=personas.employee_person, actor=None)


def test_only_members_of_the_team_can_be_named(personas: Personas) -> None:
    with pytest.raises(ValueError, match="not in the team"):
        team_writer_add(team=personas.manager_person, person=personas.hr_person, actor=None)


def test_a_writer_who_leaves_writes_no_more(personas: Personas) -> None:
    team = personas.manager_person
    team_writer_add(team=team, person=personas.employee_person, actor=None)
    personas.employee_person.status = PersonStatus.ARCHIVED
    personas.employee_person.save()
    assert not access.vision.can_write_goals_for_team(personas.employee, team)


def test_the_manager_names_a_writer_on_the_page_and_the_writer_adds_a_goal(
    personas: Personas,
) -> None:
    team = personas.manager_person
    manager = _client(personas.manager)
    page = manager.get(reverse("vision:team_writers", args=[team.pk])).content.decode()
    assert "Emma Employee" in page and "Harriet Hr" not in page
    response = manager.post(
        reverse("vision:team_writers", args=[team.pk]), {"person": personas.employee_person.pk}
    )
    assert response.status_code == 302
    employee = _client(personas.employee)
    form = employee.get(reverse("vision:goal_new")).content.decode()
    assert "The team of Manny Manager" in form
    response = employee.post(
        reverse("vision:goal_new"),
        {
            "team": team.pk,
            "owner": personas.employee_person.pk,
            "title": "Ship weekly",
            "meaning": "We release every week.",
            "why": "Small releases break less.",
            "links_to_vision": "on",
        },
    )
    assert response.status_code == 302


def test_someone_outside_the_team_cannot_be_named_through_the_page(personas: Personas) -> None:
    response = _client(personas.manager).post(
        reverse("vision:team_writers", args=[personas.manager_person.pk]),
        {"person": personas.hr_person.pk},
    )
    assert response.status_code == 302
    assert not personas.manager_person.goal_writers.exists()


def test_a_member_cannot_name_writers(personas: Personas) -> None:
    team = personas.manager_person
    url = reverse("vision:team_writers", args=[team.pk])
    assert (
        _client(personas.employee).post(url, {"person": personas.sibling_person.pk}).status_code
        == 403
    )
    remove = reverse("vision:team_writer_remove", args=[team.pk, personas.sibling_person.pk])
    team_writer_add(team=team, person=personas.sibling_person, actor=None)
    assert _client(personas.employee).post(remove).status_code == 403
    assert _client(personas.manager).post(remove).status_code == 302
    assert not team.goal_writers.exists()


def test_a_person_with_no_reports_is_no_team(personas: Personas) -> None:
    url = reverse("vision:team_writers", args=[personas.employee_person.pk])
    assert _client(personas.hr).get(url).status_code == 404
    other = make_person(personas.other_organisation, "Olga Other", manager=personas.outsider_person)
    make_user(personas.other_organisation, person=other)
    url = reverse("vision:team_writers", args=[personas.outsider_person.pk])
    assert _client(personas.hr).get(url).status_code == 404
