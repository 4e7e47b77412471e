"""Guessing passwords is slowed per account and per address, and cannot lock a person out."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tandem.accounts.throttle import DEVICE_COOKIE, delay_after
from tests.conftest import Personas
from tests.factories import PASSWORD

ATTACKER, EMMA_AT_HOME, EMMA_TRAVELLING = "203.0.113.7", "198.51.100.4", "192.0.2.55"


@pytest.fixture(autouse=True)
def _waits_longer_than_a_test_takes(settings: Any) -> None:
    settings.SIGNIN_FIRST_DELAY_SECONDS = 600  # no test depends on how fast the machine is


def _sign_in(client: Client, email: str, password: str, address: str) -> Any:
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=address,
    )


def test_one_password_tried_on_many_accounts_is_slowed_by_address(
    personas: Personas, settings: Any
) -> None:
    attacker = Client()
    for k in range(settings.SIGNIN_ADDRESS_FREE):
        response = _sign_in(attacker, f"someone{k}@acme.example", "Summer2026!", ATTACKER)
        assert response.status_code == 200, k  # a wrong password, said kindly
    response = _sign_in(attacker, personas.employee.email, PASSWORD, ATTACKER)
    assert response.status_code == 429
    assert "from this network" in response.content.decode()
    # Someone else, elsewhere, is not slowed by it.
    assert _sign_in(Client(), personas.employee.email, PASSWORD, EMMA_AT_HOME).status_code == 302


def test_an_attacker_cannot_keep_a_person_out_of_their_own_browser(
    personas: Personas, settings: Any
) -> None:
    emma = Client()
    assert _sign_in(emma, personas.employee.email, PASSWORD, EMMA_AT_HOME).status_code == 302
    assert DEVICE_COOKIE in emma.cookies
    emma.post(reverse("accounts:logout"))
    attacker = Client()
    for _ in range(settings.SIGNIN_ACCOUNT_FREE + 3):
        _sign_in(attacker, personas.employee.email, "guess", ATTACKER)
    slowed = _sign_in(attacker, personas.employee.email, PASSWORD, ATTACKER)
    assert slowed.status_code == 429 and "for this account" in slowed.content.decode()
    # Emma, in the browser she signed in from before, gets in at once.
    assert _sign_in(emma, personas.employee.email, PASSWORD, EMMA_AT_HOME).status_code == 302


def test_a_new_browser_waits_but_a_password_reset_works_at_once(
    personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    attacker = Client()
    for _ in range(settings.SIGNIN_ACCOUNT_FREE + 1):
        _sign_in(attacker, personas.employee.email, "guess", ATTACKER)
    new_browser = Client()
    waiting = _sign_in(new_browser, personas.employee.email, PASSWORD, EMMA_TRAVELLING)
    assert waiting.status_code == 429
    body = waiting.content.decode()
    assert 'value="' + personas.employee.email + '"' in body, "the email typed is kept"
    assert reverse("accounts:password_reset") in body
    with django_capture_on_commit_callbacks(execute=True):
        new_browser.post(
            reverse("accounts:password_reset"),
            {"email": personas.employee.email},
            REMOTE_ADDR=EMMA_TRAVELLING,
        )
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/password-reset/" in line)
    page = new_browser.get("/" + link.split("://", 1)[1].split("/", 1)[1], follow=True)
    new = "a brand new passphrase"
    new_browser.post(page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert _sign_in(new_browser, personas.employee.email, new, EMMA_TRAVELLING).status_code == 302


def test_waits_double_up_to_a_cap(settings: Any) -> None:
    settings.SIGNIN_FIRST_DELAY_SECONDS = 1
    settings.SIGNIN_MAX_DELAY_MINUTES = 15
    waits = [delay_after(n, 5).total_seconds() for n in range(4, 20)]
    assert waits[:5] == [0.0, 1.0, 2.0, 4.0, 8.0]
    assert waits[-1] == 15 * 60 and waits == sorted(waits)
