"""Habit sets the people team makes: offered beside Tandem's own, editable until adopted,
retired without touching anyone's weeks; another organisation sees none of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem import access
from tandem.access.growth import ADOPTED_SET, NOT_PEOPLE_TEAM, RETIRED_SET, SHIPPED_SET
from tandem.accounts.models import Role
from tandem.audit.models import AuditEvent
from tandem.growth.models import HabitAdoption, HabitSet, HabitTick
from tandem.growth.selectors import habit_weeks
from tandem.growth.services import (
    GrowthError,
    habit_adopt,
    habit_set_create,
    habit_set_retire,
    habit_set_update,
    habit_settings,
    habit_tick,
)
from tandem.growth.weeks import IsoWeek
from tests.conftest import Personas
from tests.factories import make_user

HABITS = ["Thank someone by name", "Ask one question in the Monday meeting"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _own(personas: Personas, **fields: Any) -> HabitSet:
    values = {"name": "Two a week", "description": "Small and steady.", "habits": HABITS}
    values.update(fields)
    return habit_set_create(organisation=personas.organisation, actor=personas.hr, **values)


def _seven() -> HabitSet:
    return HabitSet.objects.get(key="seven-messages", organisation=None)


def _texts(habit_set: HabitSet) -> list[str]:
    return list(habit_set.habits.values_list("text", flat=True))


# --- rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "refused"),
    [
        ("hr", None),
        ("admin", None),
        ("employee", NOT_PEOPLE_TEAM),
        ("manager", NOT_PEOPLE_TEAM),
        ("outsider", NOT_PEOPLE_TEAM),
        ("superuser", NOT_PEOPLE_TEAM),
    ],
)
def test_only_the_people_team_of_its_organisation_changes_a_set(
    personas: Personas, role: str, refused: str | None
) -> None:
    change = access.growth.habit_set_change(getattr(personas, role), _own(personas))
    assert (change.edit_refused, change.retire_refused) == (refused, refused)


def test_once_adopted_a_set_can_be_retired_but_not_edited(personas: Personas) -> None:
    habit_set = _own(personas)
    adoption = habit_adopt(person=personas.employee_person, habit_set=habit_set, actor=None)
    change = access.growth.habit_set_change(personas.hr, habit_set)
    assert (change.edit_refused, change.retire_refused) == (ADOPTED_SET, None)
    # Stopping does not make it editable: the weeks they ticked name its habits.
    habit_settings(adoption=adoption, active=False, reminders=False, actor=None)
    assert access.growth.habit_set_change(personas.hr, habit_set).edit_refused == ADOPTED_SET


def test_tandems_own_and_retired_sets_stay_as_they_are(personas: Personas) -> None:
    change = access.growth.habit_set_change(personas.admin, _seven())
    assert (change.edit_refused, change.retire_refused) == (SHIPPED_SET, SHIPPED_SET)
    retired = habit_set_retire(habit_set=_own(personas), actor=personas.hr)
    change = access.growth.habit_set_change(personas.admin, retired)
    assert (change.edit_refused, change.retire_refused) == (RETIRED_SET, RETIRED_SET)


def test_the_people_team_may_manage_sets_and_nobody_else(personas: Personas) -> None:
    acme = personas.organisation
    allowed = {
        role: access.growth.can_manage_habit_sets(getattr(personas, role), acme)
        for role in ("hr", "admin", "employee", "manager", "outsider", "superuser")
    }
    assert allowed == {
        "hr": True,
        "admin": True,
        "employee": False,
        "manager": False,
        "outsider": False,
        "superuser": False,
    }


# --- making a set ----------------------------------------------------------------------------


def test_the_people_team_makes_a_set_that_everyone_can_adopt(personas: Personas) -> None:
    typed = "  Thank someone   by name\n\nAsk one question in the Monday meeting\n\n"
    response = _client(personas.hr).post(
        reverse("growth:habit_sets"),
        {"name": "Two a week", "description": "Small and steady.", "habits": typed},
    )
    assert response.status_code == 302
    habit_set = HabitSet.objects.get(organisation=personas.organisation)
    assert _texts(habit_set) == HABITS
    assert list(habit_set.habits.values_list("key", flat=True)) == [
        "thank-someone-by-name",
        "ask-one-question-in-the-monday-meeting",
    ]
    assert habit_set.created_by == personas.hr
    event = AuditEvent.objects.get(action="growth.habit_set_create")
    assert (event.actor, event.organisation) == (personas.hr, personas.organisation)
    assert event.changes["habits"] == HABITS

    emma = _client(personas.employee)
    page = emma.get(reverse("growth:habits"))
    assert [s.name for s in page.context["offered"]] == ["Seven messages a week", "Two a week"]
    assert "Adopt “Two a week”" in page.content.decode()
    emma.post(reverse("growth:habits"), {"habit_set": habit_set.pk})
    assert HabitAdoption.objects.get().habit_set == habit_set


@pytest.mark.parametrize(
    ("habits", "error"),
    [
        ("\n".join(f"Habit number {n}" for n in range(11)), "There are 11 habits"),
        ("Thank someone\n\n" + "x" * 201, "Line 3 is 201 characters long"),
        ("Thank someone\nAsk a question\nthank   SOMEONE", "Line 3 repeats line 1."),
        ("   \n  ", "This field is required."),
    ],
)
def test_a_set_that_breaks_the_limits_is_shown_again_with_what_was_typed(
    personas: Personas, habits: str, error: str
) -> None:
    data = {"name": "Carefully named", "description": "Typed with care.", "habits": habits}
    response = _client(personas.hr).post(reverse("growth:habit_sets"), data)
    assert response.status_code == 400
    assert any(error in e for e in response.context["form"].errors["habits"])
    content = response.content.decode()
    assert 'value="Carefully named"' in content
    assert "Typed with care." in content
    assert not HabitSet.objects.filter(organisation=personas.organisation).exists()
    assert not AuditEvent.objects.filter(action="growth.habit_set_create").exists()


def test_the_service_keeps_the_limits_too(personas: Personas) -> None:
    with pytest.raises(GrowthError, match="1 to 10"):
        _own(personas, habits=[f"Habit {n}" for n in range(11)])
    with pytest.raises(GrowthError, match="1 to 10"):
        _own(personas, habits=["  "])
    with pytest.raises(GrowthError, match="longer than 200"):
        _own(personas, habits=["x" * 201])
    with pytest.raises(GrowthError, match="once"):
        _own(personas, habits=["Thank someone", "thank someone"])
    with pytest.raises(GrowthError, match="name"):
        _own(personas, name=" ")
    assert not HabitSet.objects.filter(organisation=personas.organisation).exists()


def test_employees_cannot_make_sets(personas: Personas) -> None:
    data = {"name": "Mine", "description": "Mine.", "habits": "Do it"}
    for user in (personas.employee, personas.manager):
        assert _client(user).get(reverse("growth:habit_sets")).status_code == 403
        assert _client(user).post(reverse("growth:habit_sets"), data).status_code == 403
    assert not HabitSet.objects.filter(organisation=personas.organisation).exists()


# --- editing ---------------------------------------------------------------------------------


def test_a_set_nobody_has_adopted_is_edited_and_audited(personas: Personas) -> None:
    habit_set = _own(personas)
    url = reverse("growth:habit_set_edit", args=[habit_set.pk])
    page = _client(personas.hr).get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["habits"] == "\n".join(HABITS)
    response = _client(personas.admin).post(
        url,
        {
            "name": "Three a week",
            "description": "Small and steady.",
            "habits": "Thank someone by name\nAsk one question\nSend a Friday note",
        },
    )
    assert response.status_code == 302
    habit_set.refresh_from_db()
    assert habit_set.name == "Three a week"
    assert _texts(habit_set) == ["Thank someone by name", "Ask one question", "Send a Friday note"]
    event = AuditEvent.objects.get(action="growth.habit_set_update")
    assert event.actor == personas.admin
    assert event.changes == {
        "name": ["Two a week", "Three a week"],
        "habits": [HABITS, ["Thank someone by name", "Ask one question", "Send a Friday note"]],
    }


def test_an_invalid_edit_is_shown_again_and_saves_nothing(personas: Personas) -> None:
    habit_set = _own(personas)
    data = {"name": "", "description": "A better description", "habits": "One\nTwo\none"}
    response = _client(personas.hr).post(
        reverse("growth:habit_set_edit", args=[habit_set.pk]), data
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"name", "habits"}
    content = response.content.decode()
    assert "A better description" in content
    assert "One\nTwo\none" in content
    habit_set.refresh_from_db()
    assert (habit_set.name, habit_set.description, _texts(habit_set)) == (
        "Two a week",
        "Small and steady.",
        HABITS,
    )
    assert not AuditEvent.objects.filter(action="growth.habit_set_update").exists()


def test_an_adopted_set_is_not_edited(personas: Personas) -> None:
    habit_set = _own(personas)
    habit_adopt(person=personas.employee_person, habit_set=habit_set, actor=None)
    url = reverse("growth:habit_set_edit", args=[habit_set.pk])
    response = _client(personas.hr).get(url)
    assert response.status_code == 302
    assert _messages(response) == [ADOPTED_SET]
    data = {"name": "Changed", "description": "Changed.", "habits": "Something else"}
    assert _client(personas.hr).post(url, data).status_code == 302
    with pytest.raises(GrowthError, match="adopted"):
        habit_set_update(habit_set=habit_set, actor=personas.hr, **data)
    habit_set.refresh_from_db()
    assert (habit_set.name, _texts(habit_set)) == ("Two a week", HABITS)
    # The people team sees that it is in use, never by whom.
    page = _client(personas.hr).get(reverse("growth:habit_sets")).content.decode()
    assert "Adopted: no longer editable" in page
    assert url not in page
    assert reverse("growth:habit_set_retire", args=[habit_set.pk]) in page
    assert personas.employee_person.name not in page


def test_tandems_own_set_is_never_changed(personas: Personas) -> None:
    seven = _seven()
    for name in ("growth:habit_set_edit", "growth:habit_set_retire"):
        response = _client(personas.hr).post(reverse(name, args=[seven.pk]))
        assert response.status_code == 302
        assert _messages(response) == [SHIPPED_SET]
    with pytest.raises(GrowthError):
        habit_set_retire(habit_set=seven, actor=personas.admin)
    seven.refresh_from_db()
    assert (seven.retired_at, seven.habits.count()) == (None, 7)


# --- retiring --------------------------------------------------------------------------------


def test_a_retired_set_takes_no_new_adopters_and_keeps_its_old_ones(personas: Personas) -> None:
    habit_set = _own(personas)
    adoption = habit_adopt(person=personas.employee_person, habit_set=habit_set, actor=None)
    this = IsoWeek.of(timezone.localdate())
    for week in (this.shift(-2), this.shift(-1)):
        for habit in habit_set.habits.all():
            habit_tick(adoption=adoption, habit=habit, week=week, done=True, actor=None)

    url = reverse("growth:habit_set_retire", args=[habit_set.pk])
    confirm = _client(personas.hr).get(url)
    assert confirm.status_code == 200
    habit_set.refresh_from_db()
    assert habit_set.retired_at is None  # asking first changes nothing
    assert _client(personas.hr).post(url).status_code == 302
    habit_set.refresh_from_db()
    assert habit_set.retired_at is not None
    event = AuditEvent.objects.get(action="growth.habit_set_retire")
    assert (event.actor, event.changes["retired_at"][0]) == (personas.hr, None)

    # Eli cannot take it up, neither from the page nor through the service.
    eli = make_user(personas.organisation, role=Role.EMPLOYEE, person=personas.sibling_person)
    page = _client(eli).get(reverse("growth:habits"))
    assert [s.name for s in page.context["offered"]] == ["Seven messages a week"]
    _client(eli).post(reverse("growth:habits"), {"habit_set": habit_set.pk})
    with pytest.raises(GrowthError, match="retired"):
        habit_adopt(person=personas.sibling_person, habit_set=habit_set, actor=None)
    assert not HabitAdoption.objects.filter(person=personas.sibling_person).exists()

    # Emma carries on: her streak, this week's checklist and its form still work.
    (week,) = habit_weeks(person=personas.employee_person, today=this.monday)
    assert (week.adoption.habit_set, week.streak.current) == (habit_set, 2)
    emma = _client(personas.employee)
    assert "This set is retired" in emma.get(reverse("growth:habits")).content.decode()
    first = habit_set.habits.first()
    assert first is not None
    emma.post(reverse("growth:habit_week", args=[adoption.pk]), {"habit": [first.pk]})
    assert HabitTick.objects.filter(adoption=adoption, week=str(this)).count() == 1
    # Once she stops, she cannot adopt it again.
    habit_settings(adoption=adoption, active=False, reminders=True, actor=None)
    with pytest.raises(GrowthError, match="retired"):
        habit_adopt(person=personas.employee_person, habit_set=habit_set, actor=None)


def test_a_retired_set_is_not_changed_again(personas: Personas) -> None:
    habit_set = habit_set_retire(habit_set=_own(personas), actor=personas.hr)
    response = _client(personas.hr).get(reverse("growth:habit_set_edit", args=[habit_set.pk]))
    assert _messages(response) == [RETIRED_SET]
    with pytest.raises(GrowthError, match="retired"):
        habit_set_retire(habit_set=habit_set, actor=personas.hr)
    with pytest.raises(GrowthError, match="retired"):
        habit_set_update(
            habit_set=habit_set, actor=personas.hr, name="x", description="y", habits=["z"]
        )
    assert AuditEvent.objects.filter(action="growth.habit_set_retire").count() == 1


# --- another organisation --------------------------------------------------------------------


def test_another_organisations_sets_are_invisible_and_unchangeable(personas: Personas) -> None:
    habit_set = _own(personas)
    otto = _client(personas.outsider)
    assert "Two a week" not in otto.get(reverse("growth:habit_sets")).content.decode()
    offered = otto.get(reverse("growth:habits")).context["offered"]
    assert habit_set not in offered
    data = {"name": "Globex was here", "description": "x", "habits": "y"}
    for name in ("growth:habit_set_edit", "growth:habit_set_retire"):
        assert otto.get(reverse(name, args=[habit_set.pk])).status_code == 404
        assert otto.post(reverse(name, args=[habit_set.pk]), data).status_code == 404
    otto.post(reverse("growth:habits"), {"habit_set": habit_set.pk})
    with pytest.raises(GrowthError):
        habit_adopt(person=personas.outsider_person, habit_set=habit_set, actor=None)
    with pytest.raises(GrowthError):
        habit_set_update(habit_set=habit_set, actor=personas.outsider, **{**data, "habits": ["y"]})
    with pytest.raises(GrowthError):
        habit_set_retire(habit_set=habit_set, actor=personas.outsider)
    habit_set.refresh_from_db()
    assert (habit_set.name, habit_set.retired_at) == ("Two a week", None)
    assert not HabitAdoption.objects.exists()
