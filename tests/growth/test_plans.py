"""Development plans: built from a released report, carried over, actions, notes, library."""

from __future__ import annotations

import datetime
import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.test import Client
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.growth.models import (
    ActionNote,
    ActionStatus,
    FocusArea,
    Habit,
    HabitSet,
    LibraryAction,
    NoteKind,
    PlanAction,
)
from tandem.growth.services import (
    GrowthError,
    growth_defaults_install,
    library_action_create,
    plan_action_create,
    plan_action_update,
    plan_focus_add,
)
from tests.conftest import Personas
from tests.growth.factories import instrument, make_released_result

STRONG = {"setting_direction": 4.5, "aligning_people": 4.25, "planning_budgeting": 2.25}


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_migration_seeds_tandems_own_defaults_and_installing_again_changes_nothing(
    db: None,
) -> None:
    migration = importlib.import_module("tandem.growth.migrations.0002_tandem_defaults")
    LibraryAction.objects.all().delete()
    HabitSet.objects.all().delete()
    migration.install(django_apps, None)
    assert LibraryAction.objects.filter(organisation=None, key="shadow-senior-leader").exists()
    seven = HabitSet.objects.get(organisation=None, key="seven-messages")
    assert seven.habits.count() == 7
    before = (LibraryAction.objects.count(), Habit.objects.count())
    assert growth_defaults_install() == {"actions": 0, "habit_sets": 0, "habits": 0}
    migration.install(django_apps, None)
    assert (LibraryAction.objects.count(), Habit.objects.count()) == before


def test_the_plan_page_suggests_from_the_report_and_the_person_chooses(personas: Personas) -> None:
    participant = make_released_result(personas.employee_person, others=STRONG)
    client = _client(personas.employee)
    page = client.get(reverse("growth:plan_new", args=[participant.pk]))
    html = page.content.decode()
    assert 'value="strength:setting_direction" checked' in html
    assert 'value="gap:planning_budgeting" checked' in html
    assert 'value="strength:planning_budgeting">' in html  # offered, not ticked
    response = client.post(
        reverse("growth:plan_new", args=[participant.pk]),
        {"focus": ["strength:setting_direction", "gap:planning_budgeting"]},
    )
    assert response.status_code == 302
    focus = FocusArea.objects.filter(plan__person=personas.employee_person).order_by("kind")
    assert [(f.kind, f.scale_id, f.cycle_id) for f in focus] == [
        ("gap", "planning_budgeting", participant.cycle_id),
        ("strength", "setting_direction", participant.cycle_id),
    ]
    assert "2.25" in focus[0].reason  # a one-person cycle now gets self-other verdicts too
    assert AuditEvent.objects.filter(action="growth.plan_focus_add").count() == 1


def test_a_plan_carries_over_and_a_new_cycle_adds_focus_areas(personas: Personas) -> None:
    first = make_released_result(
        personas.employee_person,
        name="2025",
        released_at=datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC),
        others=STRONG,
    )
    second = make_released_result(personas.employee_person, name="2026", others=STRONG)
    person = personas.employee_person
    plan = plan_focus_add(
        person=person,
        choices=[("setting_direction", "strength")],
        instrument=instrument(),
        cycle=first.cycle,
        actor=personas.employee,
    )
    plan_action_create(
        person=person, title="Teach", owner=person, due_on=None, success="A session.", actor=None
    )
    again = plan_focus_add(
        person=person,
        choices=[("setting_direction", "strength"), ("motivating_inspiring", "gap")],
        instrument=instrument(),
        cycle=second.cycle,
        actor=personas.employee,
    )
    assert again.pk == plan.pk
    assert sorted(again.focus_areas.values_list("scale_id", "cycle__name")) == [
        ("motivating_inspiring", "2026"),
        ("setting_direction", "2025"),
    ]
    assert again.actions.count() == 1


def test_it_refuses_an_empty_choice_or_a_scale_the_instrument_lacks(personas: Personas) -> None:
    for choices in ([], [("charisma", "strength")], [("setting_direction", "weakness")]):
        with pytest.raises(GrowthError):
            plan_focus_add(
                person=personas.employee_person,
                choices=choices,
                instrument=instrument(),
                cycle=None,
                actor=None,
            )


def test_only_the_person_assessed_builds_a_plan_from_a_report(personas: Personas) -> None:
    participant = make_released_result(personas.employee_person, others=STRONG)
    url = reverse("growth:plan_new", args=[participant.pk])
    assert (
        _client(personas.manager).post(url, {"focus": ["gap:planning_budgeting"]}).status_code
        == 403
    )
    assert not FocusArea.objects.exists()


def test_suggested_actions_fit_the_chosen_focus(personas: Personas) -> None:
    person = personas.employee_person
    plan = plan_focus_add(
        person=person,
        choices=[("planning_budgeting", "gap")],
        instrument=instrument(),
        cycle=None,
        actor=None,
    )
    focus = plan.focus_areas.get()
    page = _client(personas.employee).get(reverse("growth:action_new") + f"?focus={focus.pk}")
    fits = [f["action"].key for f in page.context["fits"]]
    assert fits[0] == "write-plan-and-budget"
    assert "shadow-senior-leader" not in fits  # grows leadership scales only
    template = LibraryAction.objects.get(key="write-plan-and-budget")
    page = _client(personas.employee).get(
        reverse("growth:action_new") + f"?focus={focus.pk}&from={template.pk}"
    )
    assert page.context["form"].initial["title"] == template.title


def test_an_action_is_updated_audited_and_commented_on_by_the_manager(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    person = personas.employee_person
    action = plan_action_create(
        person=person,
        title="Shadow a senior leader",
        owner=person,
        due_on=datetime.date(2026, 12, 1),
        success="Three things tried.",
        actor=personas.employee,
    )
    plan_action_update(
        action=action,
        title=action.title,
        owner=personas.manager_person,
        due_on=action.due_on,
        success=action.success,
        status=ActionStatus.IN_PROGRESS,
        actor=personas.employee,
    )
    event = AuditEvent.objects.get(action="growth.plan_action_update")
    assert event.changes == {
        "owner": ["Emma Employee", "Manny Manager"],
        "status": ["not_started", "in_progress"],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = _client(personas.manager).post(
            reverse("growth:action_note", args=[action.pk]), {"text": "Ask Ada, she said yes."}
        )
    assert response.status_code == 302
    note = ActionNote.objects.get()
    assert (note.kind, note.author) == (NoteKind.COMMENT, personas.manager_person)
    assert [m.to for m in mail.outbox] == [[person.email]]
    assert "Ask Ada" in mail.outbox[0].body


def test_the_person_checks_in_and_others_may_not_write(personas: Personas) -> None:
    person = personas.employee_person
    action = plan_action_create(
        person=person, title="Teach", owner=person, due_on=None, success="A session.", actor=None
    )
    url = reverse("growth:action_note", args=[action.pk])
    _client(personas.employee).post(url, {"text": "Booked the room."})
    assert ActionNote.objects.get().kind == NoteKind.CHECK_IN
    assert _client(personas.hr).post(url, {"text": "Hi"}).status_code == 403
    assert _client(personas.outsider).post(url, {"text": "Hi"}).status_code == 404
    update = reverse("growth:action", args=[action.pk])
    data = {"title": "x", "status": "done", "owner": person.pk, "success": "y"}
    assert _client(personas.manager).post(update, data).status_code == 403
    assert PlanAction.objects.get().status == ActionStatus.NOT_STARTED


def test_the_people_team_adds_actions_to_the_library(personas: Personas) -> None:
    url = reverse("growth:library")
    data = {
        "title": "Run the all-hands",
        "description": "Once.",
        "scale_ids": ["setting_direction"],
    }
    assert _client(personas.employee).post(url, data).status_code == 403
    assert _client(personas.hr).post(url, data).status_code == 302
    own = LibraryAction.objects.get(organisation=personas.organisation)
    assert own.scale_ids == ["setting_direction"]
    page = _client(personas.employee).get(url)
    assert "Run the all-hands" in page.content.decode()
    assert "Run the all-hands" not in _client(personas.outsider).get(url).content.decode()
    with pytest.raises(GrowthError):
        library_action_create(
            organisation=personas.organisation, title="x", description="y", scale_ids=[], actor=None
        )
