"""Pages that list things read in a fixed number of queries, whatever the list's size."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.growth.models import HabitSet, LibraryAction
from tandem.growth.services import (
    action_note_add,
    habit_adopt,
    habit_set_create,
    habit_set_retire,
    habit_tick,
    interest_add,
    library_action_create,
    library_action_hide,
    library_action_retire,
    plan_action_create,
)
from tandem.growth.weeks import IsoWeek
from tests.conftest import Personas
from tests.factories import make_person
from tests.growth.factories import make_released_result


def _count(user: Any, url: str) -> int:
    client = Client()
    client.force_login(user)
    client.get(url)  # warm caches that are not per request (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_actions(personas: Personas, n: int) -> None:
    person = personas.employee_person
    for k in range(n):
        action = plan_action_create(
            person=person, title=f"Action {k}", owner=person, due_on=None, success="s", actor=None
        )
        action_note_add(action=action, author=person, kind="check_in", text="going", actor=None)


def test_the_plan_page_does_not_grow_with_actions(personas: Personas) -> None:
    _add_actions(personas, 2)
    few = _count(personas.employee, reverse("growth:plan"))
    _add_actions(personas, 5)
    assert _count(personas.employee, reverse("growth:plan")) == few


def test_the_team_page_does_not_grow_with_the_team(personas: Personas) -> None:
    for person in (personas.employee_person, personas.sibling_person):
        make_released_result(person, others={"setting_direction": 4.5})
        interest_add(person=person, text="Coaching", actor=None)
    few = _count(personas.manager, reverse("growth:team"))
    for n in range(3):
        person = make_person(personas.organisation, f"New {n}", manager=personas.manager_person)
        make_released_result(person, others={"aligning_people": 4.5})
        interest_add(person=person, text="Customers", actor=None)
    assert _count(personas.manager, reverse("growth:team")) == few


def test_the_habits_page_does_not_grow_with_weeks_ticked(personas: Personas) -> None:
    adoption = habit_adopt(
        person=personas.employee_person,
        habit_set=HabitSet.objects.get(key="seven-messages", organisation=None),
        actor=None,
    )
    few = _count(personas.employee, reverse("growth:habits"))
    for back in range(10):
        for habit in adoption.habit_set.habits.all():
            habit_tick(
                adoption=adoption,
                habit=habit,
                week=IsoWeek(2026, 40).shift(-back),
                done=True,
                actor=None,
            )
    assert _count(personas.employee, reverse("growth:habits")) == few


def _add_library_actions(personas: Personas, n: int) -> None:
    for k in range(n):
        action = library_action_create(
            organisation=personas.organisation,
            title=f"Own action {k}",
            description="d",
            scale_ids=["setting_direction"],
            actor=personas.hr,
        )
        if k % 2:
            library_action_retire(action=action, actor=personas.hr)


def test_the_library_page_does_not_grow_with_actions(personas: Personas) -> None:
    _add_library_actions(personas, 2)
    few = _count(personas.hr, reverse("growth:library"))
    _add_library_actions(personas, 6)
    for shipped in LibraryAction.objects.filter(organisation=None)[:3]:
        library_action_hide(organisation=personas.organisation, action=shipped, actor=personas.hr)
    assert _count(personas.hr, reverse("growth:library")) == few


def _add_habit_sets(personas: Personas, n: int) -> None:
    for k in range(n):
        habit_set = habit_set_create(
            organisation=personas.organisation,
            name=f"Set {k}",
            description="d",
            habits=["One", "Two"],
            actor=personas.hr,
        )
        if k % 2:
            habit_adopt(person=personas.employee_person, habit_set=habit_set, actor=None)
        if k % 3 == 2:
            habit_set_retire(habit_set=habit_set, actor=personas.hr)


def test_the_habit_sets_page_does_not_grow_with_sets(personas: Personas) -> None:
    _add_habit_sets(personas, 2)
    few = _count(personas.hr, reverse("growth:habit_sets"))
    _add_habit_sets(personas, 6)
    assert _count(personas.hr, reverse("growth:habit_sets")) == few
