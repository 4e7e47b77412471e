from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Invitation, Role
from tandem.accounts.services import AccountError, invitation_create
from tests.conftest import Personas


def _link(body: str) -> str:
    match = re.search(r"https?://\S+/accounts/invitation/\S+/", body)
    assert match, body
    return match.group(0)


def test_an_invitation_is_emailed_and_only_its_hash_is_stored(
    personas: Personas, client: Client, django_capture_on_commit_callbacks
) -> None:
    client.force_login(personas.hr)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:members"), {"email": "new@acme.example", "role": Role.EMPLOYEE}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@acme.example"]
    token = _link(mail.outbox[0].body).rstrip("/").rsplit("/", 1)[-1]
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash and len(token) >= 40


def test_accepting_creates_the_account_once(personas: Personas, client: Client) -> None:
    sent = invitation_create(
        organisation=personas.organisation,
        email="newbie@acme.example",
        role=Role.EMPLOYEE,
        invited_by=personas.hr,
        send=False,
    )
    path = sent.url.split("://", 1)[1].split("/", 1)[1]
    form = {
        "full_name": "New Bie",
        "password1": "another fine passphrase",
        "password2": "another fine passphrase",
    }
    response = client.post("/" + path, form)
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    second = Client().post("/" + path, form)
    assert second.status_code == 410, "a used link cannot be used again"


def test_the_people_team_cannot_invite_admins(personas: Personas, client: Client) -> None:
    client.force_login(personas.hr)
    response = client.post(
        reverse("accounts:members"), {"email": "boss@acme.example", "role": Role.ADMIN}
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_inviting_an_existing_account_is_refused(personas: Personas) -> None:
    with pytest.raises(AccountError):
        invitation_create(
            organisation=personas.organisation,
            email=personas.employee.email,
            role=Role.EMPLOYEE,
            invited_by=personas.admin,
            send=False,
        )


def test_an_invitation_links_the_account_to_the_person(personas: Personas, client: Client) -> None:
    sent = invitation_create(
        organisation=personas.organisation,
        email=personas.sibling_person.email,
        role=Role.EMPLOYEE,
        invited_by=personas.admin,
        send=False,
    )
    assert sent.invitation.person == personas.sibling_person
