"""Admins choose the organisation's language; emails to people who chose none follow it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.outbox.language import recipient_language
from tests.access.test_matrix import client_for
from tests.conftest import Personas

URL = reverse("accounts:organisation_language")


def test_an_admin_sets_it_and_it_is_audited(personas: Personas) -> None:
    response = client_for("admin", personas).post(URL, {"language": "de"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:members")
    personas.organisation.refresh_from_db()
    assert personas.organisation.language == "de"
    event = AuditEvent.objects.get(action="organisation.language")
    assert event.changes == {"language": ["en-gb", "de"]}
    assert recipient_language(organisation=personas.organisation, email="nobody@x.org") == "de"
    page = client_for("admin", personas).get(reverse("accounts:members")).content.decode()
    assert '<option value="de" lang="de" selected>' in page


@pytest.mark.parametrize("role", ["hr", "manager", "employee", "outsider"])
def test_nobody_else_may_change_this_organisations(personas: Personas, role: str) -> None:
    """The outsider may act only on their own organisation, never on this one."""
    response = client_for(role, personas).post(URL, {"language": "de"})
    assert response.status_code == (302 if role == "outsider" else 403)
    personas.organisation.refresh_from_db()
    assert personas.organisation.language == "en-gb"


def test_an_unknown_language_changes_nothing_and_says_so(personas: Personas) -> None:
    client = client_for("admin", personas)
    response = client.post(URL, {"language": "xx"}, follow=True)
    assert "Tandem does not speak that language." in response.content.decode()
    personas.organisation.refresh_from_db()
    assert personas.organisation.language == "en-gb"
