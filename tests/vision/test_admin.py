"""The admin shows the vision app read-only, and never what could name an answer."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tandem.vision.models import (
    NetworkOptOut,
    Nomination,
    PulseRespondent,
    PulseTally,
)
from tandem.vision.services import hazard_raise, pulse_open
from tests.conftest import Personas
from tests.vision.conftest import Cascade


@pytest.mark.parametrize("model", [Nomination, NetworkOptOut, PulseTally, PulseRespondent])
def test_answers_and_nominations_are_not_in_the_admin(model: type) -> None:
    assert model not in admin.site._registry


@pytest.mark.parametrize("name", ["hazard", "pulse", "teamwriter"])
def test_the_superuser_reads_the_rest(personas: Personas, cascade: Cascade, name: str) -> None:
    hazard_raise(
        goal=cascade.middle,
        kind="risk",
        severity=2,
        description="d",
        raised_by=None,
        actor=None,
    )
    pulse_open(team=personas.manager_person, actor=None)
    client = Client()
    client.force_login(personas.superuser)
    response = client.get(reverse(f"admin:vision_{name}_changelist"))
    assert response.status_code == 200
    assert client.get(reverse(f"admin:vision_{name}_add")).status_code == 403
