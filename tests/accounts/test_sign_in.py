from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import Personas
from tests.factories import PASSWORD


def _sign_in(client: Client, email: str, password: str) -> int:
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password}
    ).status_code


def test_sign_in_with_email_and_password(personas: Personas, client: Client) -> None:
    assert _sign_in(client, personas.employee.email, PASSWORD) == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_a_wrong_password_is_refused_kindly(personas: Personas, client: Client) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": personas.employee.email, "password": "nope"}
    )
    assert response.status_code == 200
    assert (
        "correct email and password" in response.content.decode().replace("\n", " ").lower()
        or "enter a correct" in response.content.decode().lower()
    )


@pytest.fixture(autouse=True)
def _waits_longer_than_a_test_takes(settings: Any) -> None:
    settings.SIGNIN_FIRST_DELAY_SECONDS = 600  # no test depends on how fast the machine is


def test_repeated_failures_lock_sign_in(personas: Personas, client: Client) -> None:
    for _ in range(5):
        _sign_in(client, personas.employee.email, "wrong password")
    assert _sign_in(client, personas.employee.email, PASSWORD) == 429
    assert client.get(reverse("web:home")).status_code == 302, "still signed out"


def test_password_reset_sends_a_working_link(
    personas: Personas, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": personas.employee.email})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password-reset/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    page = client.get(path, follow=True)
    assert page.status_code == 200
    new = "a brand new passphrase"
    response = client.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert _sign_in(Client(), personas.employee.email, new) == 302


@pytest.mark.django_db
def test_password_reset_does_not_reveal_unknown_emails(client: Client, personas: Personas) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_sign_ins_and_wrong_passwords_are_audited(personas: Personas, client: Client) -> None:
    from tandem.audit.models import AuditEvent

    _sign_in(client, personas.employee.email, "wrong")
    _sign_in(client, "nobody@nowhere.example", "wrong")
    _sign_in(client, personas.employee.email, PASSWORD)
    failed = AuditEvent.objects.get(action="user.sign_in_failed")
    assert failed.organisation == personas.organisation
    assert failed.target_id == str(personas.employee.pk) and failed.actor is None
    signed_in = AuditEvent.objects.get(action="user.sign_in")
    assert signed_in.actor == personas.employee and signed_in.changes == {"method": "password"}
    assert AuditEvent.objects.filter(action__startswith="user.sign_in").count() == 2
