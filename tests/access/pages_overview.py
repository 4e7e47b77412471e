"""Access matrix rows for the organisation view (people team only; Acme's cycles hidden from
other organisations)."""

from __future__ import annotations

from django.urls import reverse

from tests.access.statuses import DENIED, HIDDEN, LOGIN, OK, Pages
from tests.conftest import Personas
from tests.cycles.builders import released_participant

PEOPLE_TEAM_ONLY = [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED]
ACME_PEOPLE_TEAM = [LOGIN, DENIED, DENIED, OK, OK, HIDDEN, DENIED]


def _of_acmes_cycle(name: str):  # type: ignore[no-untyped-def]
    def url(p: Personas) -> str:
        return f"{reverse(name)}?cycle={released_participant(p).cycle_id}"

    return url


PAGES: Pages = {
    # Each organisation's people team sees its own view (Otto sees Globex's, with no cycle).
    "organisation view": (
        "get",
        lambda p: reverse("overview:organisation"),
        PEOPLE_TEAM_ONLY,
    ),
    "organisation view of a cycle": (
        "get",
        _of_acmes_cycle("overview:organisation"),
        ACME_PEOPLE_TEAM,
    ),
    "organisation view csv": (
        "get",
        _of_acmes_cycle("overview:organisation_csv"),
        ACME_PEOPLE_TEAM,
    ),
    "organisation view pdf": (
        "get",
        _of_acmes_cycle("overview:organisation_pdf"),
        ACME_PEOPLE_TEAM,
    ),
}

PUBLIC_OR_TESTED_ELSEWHERE: set[str] = set()

MATRIX_URL_NAMES = {
    "overview:organisation",
    "overview:organisation_csv",
    "overview:organisation_pdf",
}
