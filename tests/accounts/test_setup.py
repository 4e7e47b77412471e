from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Membership, Role, User
from tandem.audit.models import AuditEvent
from tandem.cycles.models import Cycle, CycleStatus, Report
from tandem.people.models import Organisation, Person


@pytest.mark.django_db
def test_a_new_installation_sends_every_visit_to_setup(client: Client) -> None:
    for url in ["/", reverse("people:chart"), reverse("accounts:login")]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("web:setup")


FORM = {
    "organisation_name": "Acme",
    "full_name": "Ada Admin",
    "email": "ada@acme.example",
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
}


@pytest.mark.django_db
def test_setup_creates_the_organisation_and_its_admin(client: Client) -> None:
    response = client.post(reverse("web:setup"), FORM)
    assert response.status_code == 302
    membership = Membership.objects.select_related("user", "organisation").get()
    assert membership.role == Role.ADMIN and membership.organisation.name == "Acme"
    assert membership.user.check_password(FORM["password1"])
    assert AuditEvent.objects.filter(action="organisation.create").exists()
    assert client.get("/").status_code == 200, "the new admin is signed in"


@pytest.mark.django_db
def test_setup_runs_once(client: Client) -> None:
    client.post(reverse("web:setup"), FORM)
    response = Client().post(reverse("web:setup"), {**FORM, "email": "mallory@example.org"})
    assert response.status_code == 302
    assert not User.objects.filter(email="mallory@example.org").exists()


@pytest.mark.django_db
def test_setup_keeps_what_was_typed_when_passwords_differ(client: Client) -> None:
    response = client.post(reverse("web:setup"), {**FORM, "password2": "something else entirely"})
    assert response.status_code == 200
    assert "The two passwords differ" in response.content.decode()
    assert 'value="Acme"' in response.content.decode()
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_setup_refuses_weak_passwords(client: Client) -> None:
    response = client.post(
        reverse("web:setup"), {**FORM, "password1": "12345678", "password2": "12345678"}
    )
    assert response.status_code == 200
    assert not User.objects.exists()


@pytest.mark.django_db
def test_setup_can_load_the_demo_organisation(client: Client) -> None:
    client.post(reverse("web:setup"), {**FORM, "load_demo": "on"})
    organisation = Organisation.objects.get()
    count = Person.objects.filter(organisation=organisation).count()
    assert 130 <= count <= 170
    cycle = Cycle.objects.get(organisation=organisation)
    assert cycle.status == CycleStatus.RELEASED
    assert Report.objects.filter(participant__cycle=cycle).count() == count


def test_production_hashes_passwords_with_argon2() -> None:
    from tandem.web import settings as tandem_settings

    assert tandem_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
