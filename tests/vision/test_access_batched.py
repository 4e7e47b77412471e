"""The batched access rules for pages that list every team agree with the one-team rules."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem import access
from tandem.vision.selectors import teams
from tandem.vision.services import goal_create, team_writer_add
from tests.conftest import Personas
from tests.factories import make_person
from tests.vision.conftest import Cascade

ROLES = ["admin", "hr", "manager", "employee", "outsider", "superuser"]


def test_batched_rules_agree_with_the_single_rules(personas: Personas, cascade: Cascade) -> None:
    team_writer_add(team=personas.manager_person, person=personas.employee_person, actor=None)
    all_teams = list(teams(organisation=personas.organisation))
    users = [getattr(personas, role) for role in ROLES] + [cascade.lead]
    for user in users:
        rules = access.vision
        assert rules.teams_writable_by(user, all_teams) == {
            t.pk for t in all_teams if rules.can_write_goals_for_team(user, t)
        }
        assert rules.teams_named_by(user, all_teams) == {
            t.pk for t in all_teams if rules.can_name_writers(user, t)
        }
        assert rules.teams_pulse_openable_by(user, all_teams) == {
            t.pk for t in all_teams if rules.can_open_pulse(user, t)
        }
        assert rules.teams_scored_for(user, all_teams) == {
            t.pk for t in all_teams if rules.can_view_pulse_score(user, t)
        }


def test_a_manager_reads_the_cascade_map_and_pulse_in_a_fixed_number_of_queries(
    personas: Personas, cascade: Cascade
) -> None:
    def queries(name: str) -> int:
        client = Client()
        client.force_login(personas.manager)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    names = ["vision:cascade", "vision:map_data", "vision:pulse"]
    before = {name: queries(name) for name in names}
    for i in range(4):
        lead = make_person(personas.organisation, f"Lead {i}", manager=cascade.lead_person)
        make_person(personas.organisation, f"Report {i}", manager=lead)
        goal_create(
            organisation=personas.organisation,
            team=lead,
            owner=lead,
            title=f"Goal {i}",
            meaning="m",
            why="w",
            parents=[cascade.bottom],
            actor=None,
        )
    assert {name: queries(name) for name in names} == before
