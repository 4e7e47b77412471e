"""The cascade pages: open to the organisation, written by the team's manager or the people team."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem import access
from tandem.audit.models import AuditEvent
from tandem.vision.models import Goal, KeyResult, Vision
from tandem.vision.services import goal_create
from tests.conftest import Personas
from tests.factories import make_person
from tests.vision.conftest import Cascade


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _goal_post(goal: Goal, **changes: Any) -> dict[str, Any]:
    data = {
        "owner": goal.owner_id,
        "title": goal.title,
        "meaning": goal.meaning,
        "why": goal.why,
        "parents": [p.pk for p in goal.parents.all()],
    }
    if goal.links_to_vision:
        data["links_to_vision"] = "on"
    data.update(changes)
    return data


def test_the_cascade_page_shows_the_tree_coloured_by_health(
    personas: Personas, cascade: Cascade
) -> None:
    page = _client(personas.employee).get(reverse("vision:cascade")).content.decode()
    assert "Every team ships what customers need, weekly." in page
    assert page.index("Win the market") < page.index("Ship weekly") < page.index("Automate")
    assert f'class="goal-node health-ok" data-goal="{cascade.top.pk}"' in page
    assert "The team of Tess Teamlead" in page
    assert "Add a goal" not in page
    assert "Change the vision" not in page


def test_teams_without_a_translation_are_named(personas: Personas) -> None:
    response = _client(personas.hr).get(reverse("vision:cascade"))
    rows = {row.team.name: row.health for row in response.context["cascade"].teams}
    assert rows == {"Ada Admin": "untranslated", "Manny Manager": "untranslated"}
    assert "No vision yet." in response.content.decode()


def test_the_people_team_states_the_vision(personas: Personas) -> None:
    response = _client(personas.hr).post(
        reverse("vision:edit"), {"destination": "Somewhere good.", "why": "Because."}
    )
    assert response.status_code == 302
    assert Vision.objects.get().destination == "Somewhere good."
    assert AuditEvent.objects.filter(action="vision.vision_save", actor=personas.hr).exists()


def test_managers_cannot_change_the_vision(personas: Personas, cascade: Cascade) -> None:
    response = _client(personas.manager).post(
        reverse("vision:edit"), {"destination": "Mine.", "why": "Mine."}
    )
    assert response.status_code == 403
    assert Vision.objects.get().destination != "Mine."


def test_a_manager_adds_a_goal_for_their_own_team_only(
    personas: Personas, cascade: Cascade
) -> None:
    client = _client(personas.manager)
    form = client.get(reverse("vision:goal_new")).context["form"]
    assert list(form.fields["team"].queryset) == [personas.manager_person]
    response = client.post(
        reverse("vision:goal_new"),
        {
            "team": personas.manager_person.pk,
            "owner": personas.employee_person.pk,
            "title": "Fewer incidents",
            "meaning": "We page each other less.",
            "why": "Sleep.",
            "parents": [cascade.top.pk],
        },
    )
    goal = Goal.objects.get(title="Fewer incidents")
    assert response.status_code == 302 and response["Location"].endswith(f"/goals/{goal.pk}/")
    assert list(goal.parents.all()) == [cascade.top]
    refused = client.post(
        reverse("vision:goal_new"),
        {
            "team": personas.ceo.pk,
            "owner": personas.ceo.pk,
            "title": "Not mine",
            "meaning": "m",
            "why": "w",
            "links_to_vision": "on",
        },
    )
    assert refused.status_code == 200
    assert not Goal.objects.filter(title="Not mine").exists()


def test_a_goal_must_be_tied_to_something_above(personas: Personas, cascade: Cascade) -> None:
    response = _client(personas.manager).post(
        reverse("vision:goal_new"),
        {
            "team": personas.manager_person.pk,
            "owner": personas.manager_person.pk,
            "title": "Floating",
            "meaning": "m",
            "why": "w",
        },
    )
    assert "Tie this goal to something above it" in response.content.decode()
    assert not Goal.objects.filter(title="Floating").exists()


def test_editing_a_goal_flags_the_team_below_and_emails_its_owner(
    personas: Personas, cascade: Cascade, django_capture_on_commit_callbacks: Any
) -> None:
    client = _client(personas.manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("vision:goal", args=[cascade.middle.pk]),
            _goal_post(cascade.middle, meaning="Every day."),
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[cascade.lead_person.email]]
    page = _client(cascade.lead).get(reverse("vision:goal", args=[cascade.bottom.pk]))
    assert page.context["health"] == "stale"
    assert page.context["can_confirm"]


def test_goals_below_are_not_offered_as_parents(personas: Personas, cascade: Cascade) -> None:
    response = _client(personas.admin).post(
        reverse("vision:goal", args=[cascade.top.pk]),
        _goal_post(cascade.top, parents=[cascade.bottom.pk]),
    )
    assert response.status_code == 200
    assert "not one of the available choices" in response.content.decode()
    parents = response.context["form"].fields["parents"].queryset
    assert list(parents) == []
    assert list(cascade.top.parents.all()) == []


def test_the_owner_confirms_and_the_flag_clears(personas: Personas, cascade: Cascade) -> None:
    _client(personas.manager).post(
        reverse("vision:goal", args=[cascade.middle.pk]),
        _goal_post(cascade.middle, title="Ship daily"),
    )
    client = _client(cascade.lead)
    url = reverse("vision:goal", args=[cascade.bottom.pk])
    assert client.get(url).context["health"] == "stale"
    assert client.post(reverse("vision:confirm", args=[cascade.bottom.pk])).status_code == 302
    assert client.get(url).context["health"] == "ok"


def test_others_cannot_confirm_edit_or_add_key_results(
    personas: Personas, cascade: Cascade
) -> None:
    client = _client(personas.employee)
    goal = cascade.middle
    assert client.post(reverse("vision:confirm", args=[goal.pk])).status_code == 403
    assert client.post(reverse("vision:goal", args=[goal.pk]), _goal_post(goal)).status_code == 403
    kr_url = reverse("vision:key_result_new", args=[goal.pk])
    assert client.post(kr_url, {"title": "x", "target": 1, "current": 0}).status_code == 403
    assert not KeyResult.objects.exists()


def test_key_results_are_added_and_progressed_by_the_team(
    personas: Personas, cascade: Cascade
) -> None:
    client = _client(personas.manager)
    client.post(
        reverse("vision:key_result_new", args=[cascade.middle.pk]),
        {"title": "Releases", "target": "12", "current": "3"},
    )
    kr = KeyResult.objects.get()
    client.post(reverse("vision:progress", args=[kr.pk]), {"current": "6"})
    page = client.get(reverse("vision:goal", args=[cascade.middle.pk])).content.decode()
    assert "Releases: 6 of 12" in page and "50%" in page
    assert (
        _client(personas.employee)
        .post(reverse("vision:progress", args=[kr.pk]), {"current": "12"})
        .status_code
        == 403
    )


def test_another_organisation_sees_nothing(personas: Personas, cascade: Cascade) -> None:
    client = _client(personas.outsider)
    page = client.get(reverse("vision:cascade"))
    assert page.status_code == 200
    assert "Win the market" not in page.content.decode()
    assert "Every team ships" not in page.content.decode()
    for name in ["vision:goal", "vision:confirm", "vision:key_result_new"]:
        method = client.get if name == "vision:goal" else client.post
        assert method(reverse(name, args=[cascade.middle.pk])).status_code == 404
    kr = KeyResult.objects.create(goal=cascade.middle, title="x", target=1)
    assert client.post(reverse("vision:progress", args=[kr.pk]), {"current": 1}).status_code == 404


def test_the_cascade_page_reads_in_a_fixed_number_of_queries(
    personas: Personas, cascade: Cascade
) -> None:
    def queries() -> int:
        client = _client(personas.hr)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("vision:cascade")).status_code == 200
        return len(captured)

    before = queries()
    for i in range(4):
        lead = make_person(personas.organisation, f"Lead {i}", manager=personas.manager_person)
        make_person(personas.organisation, f"Report {i}", manager=lead)
        goal_create(
            organisation=personas.organisation,
            team=lead,
            owner=lead,
            title=f"Goal {i}",
            meaning="m",
            why="w",
            parents=[cascade.middle, cascade.bottom],
            actor=None,
        )
    assert queries() == before


class TestAccessRules:
    def test_the_team_manager_and_people_team_write_a_teams_goals(
        self, personas: Personas, cascade: Cascade
    ) -> None:
        team = personas.manager_person
        assert access.vision.can_write_goals_for_team(personas.manager, team)
        assert access.vision.can_write_goals_for_team(personas.hr, team)
        assert access.vision.can_write_goals_for_team(personas.admin, team)
        assert not access.vision.can_write_goals_for_team(personas.employee, team)
        assert not access.vision.can_write_goals_for_team(cascade.lead, team)
        assert not access.vision.can_write_goals_for_team(personas.outsider, team)
        assert not access.vision.can_write_goals_for_team(personas.superuser, team)

    def test_the_owner_may_confirm_but_not_edit(self, personas: Personas, cascade: Cascade) -> None:
        owned = goal_create(
            organisation=personas.organisation,
            team=personas.manager_person,
            owner=personas.employee_person,
            title="Emma's part",
            meaning="m",
            why="w",
            parents=[cascade.middle],
            actor=None,
        )
        assert access.vision.can_confirm_goal(personas.employee, owned)
        assert not access.vision.can_edit_goal(personas.employee, owned)
        assert not access.vision.can_confirm_goal(cascade.lead, owned)
        assert not access.vision.can_confirm_goal(personas.employee, cascade.bottom)
        assert not access.vision.can_confirm_goal(personas.outsider, cascade.bottom)

    def test_only_the_people_team_edits_the_vision(self, personas: Personas) -> None:
        org = personas.organisation
        assert access.vision.can_edit_vision(personas.hr, org)
        assert not access.vision.can_edit_vision(personas.manager, org)
        assert not access.vision.can_edit_vision(personas.outsider, org)
        assert access.vision.can_view_vision(personas.employee, org)
        assert not access.vision.can_view_vision(personas.outsider, org)
