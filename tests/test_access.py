"""The role x page matrix: every page, every persona, the exact answer each one gets.

Access is decided only in ``tandem.access``; this test is what proves the decisions hold at the
pages. A new page must be added here, or ``test_every_url_is_in_the_matrix`` fails.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tandem import access
from tandem.careers.models import FrameworkVersion
from tandem.careers.services import framework_default_install
from tandem.people.models import PeopleImport
from tandem.vision.models import Goal
from tandem.vision.services import goal_create
from tests.conftest import Personas
from tests.factories import make_user

# "outsider" is the admin of another organisation: org-level pages show them their own
# organisation, and anything of Acme's is hidden from them.
ROLES = ["anonymous", "employee", "manager", "hr", "admin", "outsider", "superuser"]

# page -> (method, url builder, expected status per role in ROLES order)
# 302 for anonymous means "sent to sign in"; 404 hides things in other organisations.
OK, DENIED, HIDDEN, LOGIN = 200, 403, 404, 302


def _draft_import(p: Personas) -> str:
    batch = PeopleImport.objects.create(
        organisation=p.organisation,
        filename="people.csv",
        data=b"Employee ID,Name,Email\nE1,Ann,ann@example.org\n",
        mapping={"employee_id": "Employee ID", "name": "Name", "email": "Email"},
    )
    return reverse("people:import_review", args=[batch.pk])


def _with_framework(url_name: str, *args: str) -> Callable[[Personas], str]:
    def url_for(p: Personas) -> str:
        framework_default_install(organisation=p.organisation, actor=None)
        return reverse(url_name, args=args)

    return url_for


def _acme_goal(p: Personas) -> str:
    goal: Goal = goal_create(
        organisation=p.organisation,
        team=p.manager_person,
        owner=p.manager_person,
        title="Ship weekly",
        meaning="We release every week.",
        why="Small releases break less.",
        links_to_vision=True,
        actor=None,
    )
    return reverse("vision:goal", args=[goal.pk])


PAGES: dict[str, tuple[str, Callable[[Personas], str], list[int]]] = {
    "home": ("get", lambda p: reverse("web:home"), [LOGIN, OK, OK, OK, OK, OK, DENIED]),
    "chart": ("get", lambda p: reverse("people:chart"), [LOGIN, OK, OK, OK, OK, OK, DENIED]),
    "chart branch": (
        "get",
        lambda p: reverse("people:chart_branch", args=[p.manager_person.pk]),
        [LOGIN, OK, OK, OK, OK, HIDDEN, DENIED],
    ),
    "search": (
        "get",
        lambda p: reverse("people:search") + "?q=Emma",
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
    "person": (
        "get",
        lambda p: reverse("people:person", args=[p.employee_person.pk]),
        [LOGIN, OK, OK, OK, OK, HIDDEN, DENIED],
    ),
    "import upload": (
        "get",
        lambda p: reverse("people:import_upload"),
        [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED],
    ),
    "import review": ("get", _draft_import, [LOGIN, DENIED, DENIED, OK, OK, HIDDEN, DENIED]),
    "export people": (
        "get",
        lambda p: reverse("people:export_csv"),
        [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED],
    ),
    "members": (
        "get",
        lambda p: reverse("accounts:members"),
        [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED],
    ),
    "audit log": (
        "get",
        lambda p: reverse("audit:list"),
        [LOGIN, DENIED, DENIED, DENIED, OK, OK, DENIED],
    ),
    "django admin": (
        "get",
        lambda p: reverse("admin:index"),
        [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, OK],
    ),
    "admin people list": (
        "get",
        lambda p: reverse("admin:people_person_changelist"),
        [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, OK],
    ),
    "careers framework": (
        "get",
        _with_framework("careers:framework"),
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
    "careers track": (
        "get",
        _with_framework("careers:track", "ic"),
        [LOGIN, OK, OK, OK, OK, HIDDEN, DENIED],
    ),
    "careers manage": (
        "get",
        lambda p: reverse("careers:manage"),
        [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED],
    ),
    "careers edit": (
        "get",
        lambda p: reverse("careers:edit"),
        [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED],
    ),
    "careers import": (
        "get",
        lambda p: reverse("careers:import_upload"),
        [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED],
    ),
    "careers export yaml": (
        "get",
        _with_framework("careers:export_yaml"),
        [LOGIN, DENIED, DENIED, OK, OK, HIDDEN, DENIED],
    ),
    "careers export csv": (
        "get",
        _with_framework("careers:export_csv"),
        [LOGIN, DENIED, DENIED, OK, OK, HIDDEN, DENIED],
    ),
    "vision cascade": (
        "get",
        lambda p: reverse("vision:cascade"),
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
    "vision edit": (
        "get",
        lambda p: reverse("vision:edit"),
        [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED],
    ),
    # Only someone who writes some team's goals may add one: Otto's Globex has no teams.
    "vision goal new": (
        "get",
        lambda p: reverse("vision:goal_new"),
        [LOGIN, DENIED, OK, OK, OK, DENIED, DENIED],
    ),
    "vision goal": ("get", _acme_goal, [LOGIN, OK, OK, OK, OK, HIDDEN, DENIED]),
}


def _client_for(role: str, personas: Personas) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(personas, role))
    return client


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_role_page_matrix(personas: Personas, role: str, page: str) -> None:
    method, url_for, expected = PAGES[page]
    url = url_for(personas)
    response = getattr(_client_for(role, personas), method)(url)
    assert response.status_code == expected[ROLES.index(role)], f"{role} on {page} ({url})"


def test_import_apply_is_refused_to_employees(personas: Personas) -> None:
    url = _draft_import(personas).replace("/import/", "/import/", 1) + "apply/"
    response = _client_for("employee", personas).post(url)
    assert response.status_code == 403
    assert PeopleImport.objects.get().status == "draft"


def test_invite_person_is_refused_to_employees(personas: Personas) -> None:
    url = reverse("accounts:invite_person", args=[personas.sibling_person.pk])
    response = _client_for("employee", personas).post(url)
    assert response.status_code == 403


def test_framework_install_is_refused_to_employees(personas: Personas) -> None:
    response = _client_for("employee", personas).post(reverse("careers:install_default"))
    assert response.status_code == 403
    assert not FrameworkVersion.objects.exists()


def test_framework_edit_is_refused_to_employees(personas: Personas) -> None:
    response = _client_for("manager", personas).post(
        reverse("careers:edit"), {"text": "framework: Mine\n"}
    )
    assert response.status_code == 403
    assert not FrameworkVersion.objects.exists()


def _all_url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            space = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _all_url_names(entry, space)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


# Pages that are open to everyone by design, or covered by their own tests.
PUBLIC_OR_TESTED_ELSEWHERE = {
    "web:setup",
    "web:healthz",
    "accounts:login",
    "accounts:logout",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:accept_invitation",
    "accounts:invite_person",
    "people:import_apply",
    "people:import_discard",
    "careers:install_default",
    # POST-only; tests/vision/test_views.py checks who may use them.
    "vision:confirm",
    "vision:key_result_new",
    "vision:progress",
}

MATRIX_URL_NAMES = {
    "web:home",
    "people:chart",
    "people:chart_branch",
    "people:search",
    "people:person",
    "people:import_upload",
    "people:import_review",
    "people:export_csv",
    "accounts:members",
    "audit:list",
    "careers:framework",
    "careers:track",
    "careers:manage",
    "careers:import_upload",
    "careers:edit",
    "careers:export_yaml",
    "careers:export_csv",
    "vision:cascade",
    "vision:edit",
    "vision:goal_new",
    "vision:goal",
}


def test_every_url_is_in_the_matrix() -> None:
    missing = _all_url_names() - MATRIX_URL_NAMES - PUBLIC_OR_TESTED_ELSEWHERE
    assert not missing, f"add these pages to the access matrix: {sorted(missing)}"


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
