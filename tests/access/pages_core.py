"""Access matrix rows for the platform's own pages: people, import, members, audit, admin."""

from __future__ import annotations

from django.urls import reverse

from tandem.people.models import PeopleImport
from tests.access.statuses import DENIED, HIDDEN, LOGIN, OK, Pages
from tests.conftest import Personas


def draft_import(p: Personas) -> str:
    batch = PeopleImport.objects.create(
        organisation=p.organisation,
        filename="people.csv",
        data=b"Employee ID,Name,Email\nE1,Ann,ann@example.org\n",
        mapping={"employee_id": "Employee ID", "name": "Name", "email": "Email"},
    )
    return reverse("people:import_review", args=[batch.pk])


PAGES: Pages = {
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
    "people picker": (
        "get",
        lambda p: reverse("people:pick") + "?q=Em&field=id_rater",
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
    "import review": ("get", draft_import, [LOGIN, DENIED, DENIED, OK, OK, HIDDEN, DENIED]),
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
}

# Pages open to everyone by design, or covered by their own tests.
PUBLIC_OR_TESTED_ELSEWHERE = {
    "web:setup",
    "web:healthz",
    "web:language_choose",  # anyone: the switcher at the foot of every page (tests/web/test_language.py)
    "accounts:organisation_language",  # admins only: tests/accounts/test_organisation_language.py
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
}

MATRIX_URL_NAMES = {
    "web:home",
    "people:chart",
    "people:chart_branch",
    "people:search",
    "people:pick",
    "people:person",
    "people:import_upload",
    "people:import_review",
    "people:export_csv",
    "accounts:members",
    "audit:list",
}
