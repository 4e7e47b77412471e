"""The admin shows cases, decisions and placements read-only, and nothing private."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tandem.careers.models import Demographics, MotivationCheck, QuarterSummary
from tests.conftest import Personas


@pytest.mark.parametrize("model", [MotivationCheck, QuarterSummary, Demographics])
def test_private_answers_are_not_in_the_admin(model: type) -> None:
    assert model not in admin.site._registry


@pytest.mark.parametrize("name", ["promotioncase", "criteriondecision", "placement"])
def test_the_superuser_reads_cases_decisions_and_placements(personas: Personas, name: str) -> None:
    client = Client()
    client.force_login(personas.superuser)
    assert client.get(reverse(f"admin:careers_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:careers_{name}_add")).status_code == 403
