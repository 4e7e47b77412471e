"""The core's answers: who is a manager, who manages whom, and what nobody may see."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tandem import access
from tests.conftest import Personas
from tests.factories import make_user


class TestChokePoints:
    def test_manager_is_derived_from_reporting_lines(self, personas: Personas) -> None:
        assert access.is_manager(personas.manager)
        assert not access.is_manager(personas.employee)

    def test_manages_follows_the_whole_chain(self, personas: Personas) -> None:
        assert access.manages(personas.admin, personas.employee_person)
        assert access.manages(personas.manager, personas.employee_person)
        assert not access.manages(personas.employee, personas.manager_person)
        assert not access.manages(personas.manager, personas.hr_person)

    def test_private_details_open_to_self_managers_and_hr_only(self, personas: Personas) -> None:
        target = personas.employee_person
        assert access.can_view_person_private_details(personas.employee, target)
        assert access.can_view_person_private_details(personas.manager, target)
        assert access.can_view_person_private_details(personas.hr, target)
        sibling = make_user(personas.organisation, person=personas.sibling_person)
        assert not access.can_view_person_private_details(sibling, target)
        assert not access.can_view_person_private_details(personas.admin, personas.outsider_person)
        assert not access.can_view_person_private_details(personas.outsider, target)

    def test_nobody_sees_across_organisations(self, personas: Personas) -> None:
        assert not access.can_view_person(personas.outsider, personas.employee_person)
        assert not access.can_view_person(personas.superuser, personas.employee_person)
        assert not access.is_admin(personas.outsider, personas.organisation)

    def test_only_admins_grant_elevated_roles(self, personas: Personas) -> None:
        org = personas.organisation
        assert access.can_grant_role(personas.hr, org, "employee")
        assert not access.can_grant_role(personas.hr, org, "admin")
        assert not access.can_grant_role(personas.hr, org, "people_team")
        assert access.can_grant_role(personas.admin, org, "admin")
        assert not access.can_grant_role(personas.employee, org, "employee")

    def test_inactive_users_have_no_access(self, personas: Personas) -> None:
        personas.admin.is_active = False
        personas.admin.save()
        assert access.membership_of(personas.admin) is None
        assert not access.is_admin(personas.admin, personas.organisation)


def test_staff_who_are_not_superusers_cannot_open_the_admin(personas: Personas) -> None:
    staff = make_user(None, email="staff@example.org", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_admin_changes_nothing_even_for_superusers(personas: Personas) -> None:
    client = Client()
    client.force_login(personas.superuser)
    url = reverse("admin:people_person_change", args=[personas.employee_person.pk])
    response = client.post(url, {"name": "Renamed"})
    assert response.status_code == 403
    personas.employee_person.refresh_from_db()
    assert personas.employee_person.name == "Emma Employee"
