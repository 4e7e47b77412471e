"""The first admin, made before anyone was imported, finds their person by email address."""

from __future__ import annotations

from django.urls import reverse

from tandem.accounts.models import Membership, Role
from tandem.accounts.services import NO_PERSON_YET, memberships_link_people
from tandem.audit.models import AuditEvent
from tests.access.test_matrix import client_for
from tests.conftest import Personas
from tests.factories import make_person, make_user


def test_an_account_without_a_person_is_told_what_to_do_not_just_refused(
    personas: Personas,
) -> None:
    user = make_user(personas.organisation, role=Role.ADMIN, email="founder@acme.example")
    from django.test import Client

    client = Client()
    client.force_login(user)
    page = client.get(reverse("growth:home"))
    assert page.status_code == 403
    assert NO_PERSON_YET[:60] in page.content.decode()


def test_accounts_are_linked_to_the_person_with_their_email_once(personas: Personas) -> None:
    user = make_user(personas.organisation, role=Role.ADMIN, email="Founder@Acme.example")
    assert Membership.objects.get(user=user).person is None
    founder = make_person(personas.organisation, "Fran Founder", email="founder@acme.example")
    assert memberships_link_people(organisation=personas.organisation) == 1
    assert Membership.objects.get(user=user).person == founder
    assert AuditEvent.objects.filter(action="membership.link_person").count() == 1
    assert memberships_link_people(organisation=personas.organisation) == 0


def test_a_person_already_linked_is_never_taken_over(personas: Personas) -> None:
    other = make_user(personas.organisation, role=Role.EMPLOYEE, email="x@acme.example")
    emma = personas.employee_person
    other.email = emma.email.upper()
    other.save()
    memberships_link_people(organisation=personas.organisation)
    assert Membership.objects.get(user=other).person is None
    assert client_for("employee", personas).get(reverse("growth:home")).status_code == 200
