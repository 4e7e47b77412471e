"""Who may use the POST-only growth endpoints (the matrix covers the pages)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tandem.growth.models import FeedbackRequest, FocusArea, HabitAdoption, HabitSet, Interest
from tandem.growth.services import (
    feedback_request_create,
    habit_adopt,
    interest_add,
    plan_focus_add,
)
from tandem.measure import load_instrument
from tests.conftest import Personas
from tests.factories import make_person
from tests.growth.factories import instrument

OTHERS = ["manager", "hr", "admin"]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _focus(personas: Personas) -> FocusArea:
    plan = plan_focus_add(
        person=personas.employee_person,
        choices=[("setting_direction", "strength")],
        instrument=instrument(),
        cycle=None,
        actor=None,
    )
    return plan.focus_areas.get()


def _request(personas: Personas) -> FeedbackRequest:
    return feedback_request_create(
        person=personas.employee_person,
        instrument=load_instrument("tandem-lm-1"),
        scale_ids=["aligning_people"],
        respondents=[make_person(personas.organisation, f"C {n}") for n in range(3)],
        actor=None,
    )


def _adoption(personas: Personas) -> HabitAdoption:
    return habit_adopt(
        person=personas.employee_person,
        habit_set=HabitSet.objects.get(key="seven-messages", organisation=None),
        actor=None,
    )


@pytest.mark.parametrize("role", OTHERS)
def test_only_the_person_finishes_a_focus_area(personas: Personas, role: str) -> None:
    focus = _focus(personas)
    url = reverse("growth:focus_done", args=[focus.pk])
    assert _client(getattr(personas, role)).post(url).status_code == 404
    assert _client(personas.employee).get(url).status_code == 405
    assert _client(personas.employee).post(url).status_code == 302
    focus.refresh_from_db()
    assert focus.closed_at is not None


@pytest.mark.parametrize("role", OTHERS)
def test_only_the_person_who_asked_closes_a_request(personas: Personas, role: str) -> None:
    request = _request(personas)
    url = reverse("growth:feedback_close", args=[request.pk])
    assert _client(getattr(personas, role)).post(url).status_code == 403
    assert _client(personas.outsider).post(url).status_code == 404
    assert FeedbackRequest.objects.get().is_open
    assert _client(personas.employee).post(url).status_code == 302
    assert not FeedbackRequest.objects.get().is_open


@pytest.mark.parametrize("role", OTHERS)
def test_only_the_person_changes_their_habit_options(personas: Personas, role: str) -> None:
    adoption = _adoption(personas)
    url = reverse("growth:habit_options", args=[adoption.pk])
    assert _client(getattr(personas, role)).post(url, {}).status_code == 404
    assert HabitAdoption.objects.get().reminders is True
    _client(personas.employee).post(url, {})  # the reminders box unticked
    assert HabitAdoption.objects.get().reminders is False
    _client(personas.employee).post(url, {"active": "off"})
    assert HabitAdoption.objects.get().active is False


@pytest.mark.parametrize("role", OTHERS)
def test_only_the_person_removes_an_interest(personas: Personas, role: str) -> None:
    interest = interest_add(person=personas.employee_person, text="Mentoring", actor=None)
    url = reverse("growth:interest_remove", args=[interest.pk])
    assert _client(getattr(personas, role)).post(url).status_code == 404
    assert Interest.objects.exists()


def test_anonymous_users_are_sent_to_sign_in(personas: Personas) -> None:
    focus = _focus(personas)
    for url in [
        reverse("growth:focus_done", args=[focus.pk]),
        reverse("growth:habit_week", args=[1]),
        reverse("growth:action_note", args=[1]),
    ]:
        assert Client().post(url).status_code == 302
