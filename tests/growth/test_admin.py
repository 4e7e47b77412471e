"""The admin shows the library and habit sets read-only, and nothing personal or anonymous."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tandem.growth.models import (
    ActionNote,
    FeedbackInvite,
    FeedbackRequest,
    FeedbackSheet,
    HabitAdoption,
    HabitTick,
    Interest,
    Plan,
    PlanAction,
)
from tests.conftest import Personas


@pytest.mark.parametrize(
    "model",
    [
        FeedbackRequest,
        FeedbackInvite,
        FeedbackSheet,
        Plan,
        PlanAction,
        ActionNote,
        Interest,
        HabitAdoption,
        HabitTick,
    ],
)
def test_personal_and_anonymous_rows_are_not_in_the_admin(model: type) -> None:
    assert model not in admin.site._registry


@pytest.mark.parametrize("name", ["libraryaction", "habitset", "habit"])
def test_the_superuser_reads_the_library_and_habit_sets(personas: Personas, name: str) -> None:
    client = Client()
    client.force_login(personas.superuser)
    assert client.get(reverse(f"admin:growth_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:growth_{name}_add")).status_code == 403
