"""Demographic fields are the people team's alone; writes by anyone else change nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.careers.models import Demographics, Placement
from tandem.careers.services import CareersError, demographics_import, framework_default_install
from tests.conftest import Personas


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_people_team_imports_demographic_fields(personas: Personas) -> None:
    emma, eli = personas.employee_person, personas.sibling_person
    text = f"employee_id,gender,age_band\n{emma.employee_id},woman,30-39\n{eli.employee_id},man,\n"
    response = _client(personas.hr).post(reverse("careers:demographics"), {"text": text})
    assert response.status_code == 302
    assert Demographics.objects.get(person=emma).fields == {"gender": "woman", "age_band": "30-39"}
    # An empty cell leaves the field out.
    assert Demographics.objects.get(person=eli).fields == {"gender": "man"}
    event = AuditEvent.objects.get(action="careers.demographics_import")
    assert event.changes == {"people": 2, "fields": ["gender", "age_band"]}
    page = _client(personas.hr).get(reverse("careers:demographics")).content.decode()
    assert "30-39" in page


def test_an_unknown_person_saves_nothing_and_names_the_line(personas: Personas) -> None:
    emma = personas.employee_person
    text = f"employee_id,gender\n{emma.employee_id},woman\nNOPE,man\n"
    with pytest.raises(CareersError, match="Line 3: nobody has employee id 'NOPE'"):
        demographics_import(organisation=personas.organisation, text=text, actor=None)
    assert not Demographics.objects.exists()
    outsider = personas.outsider_person
    with pytest.raises(CareersError, match="Line 2"):
        demographics_import(
            organisation=personas.organisation,
            text=f"employee_id,gender\n{outsider.employee_id},man\n",
            actor=None,
        )
    with pytest.raises(CareersError, match="employee_id"):
        demographics_import(organisation=personas.organisation, text="id,gender\n", actor=None)


def test_managers_cannot_write_demographics_or_placements(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    emma = personas.employee_person
    client = _client(personas.manager)
    response = client.post(
        reverse("careers:demographics"), {"text": f"employee_id,gender\n{emma.employee_id},x\n"}
    )
    assert response.status_code == 403
    response = client.post(
        reverse("careers:placement", args=[emma.pk]),
        {"track": "ic", "level": "5", "since": "2026-01-01"},
    )
    assert response.status_code == 403
    assert not Demographics.objects.exists() and not Placement.objects.exists()
    # An employee cannot place themself either.
    response = _client(personas.employee).post(
        reverse("careers:placement", args=[emma.pk]),
        {"track": "ic", "level": "5", "since": "2026-01-01"},
    )
    assert response.status_code == 403
    assert not Placement.objects.exists()
