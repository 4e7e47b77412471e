"""Access matrix rows for assessment cycles.

Emma Employee takes part; Manny Manager is her manager; Ada Admin is further up the chain;
Harriet Hr is the people team. Reports open to Emma and, with her consent, to Manny only.
"""

from __future__ import annotations

from django.urls import reverse

from tandem.cycles.instruments import instrument_default_install
from tests.access.statuses import DENIED, HIDDEN, LOGIN, OK, Pages
from tests.conftest import Personas
from tests.cycles.builders import launched_cycle, participant_of, released_participant


def _participate(p: Personas) -> str:
    return reverse("cycles:participate", args=[launched_cycle(p).pk])


def _review(p: Personas) -> str:
    participant = participant_of(launched_cycle(p), p.employee_person)
    return reverse("cycles:review", args=[participant.pk])


def _own_sheet(p: Personas) -> str:
    participant = participant_of(launched_cycle(p), p.employee_person)
    return reverse("cycles:rate", args=[participant.nominations.get(group="self").pk])


def _report(name: str):  # type: ignore[no-untyped-def]
    def url_for(p: Personas) -> str:
        return reverse(name, args=[released_participant(p).pk])

    return url_for


def _dashboard(p: Personas) -> str:
    return reverse("cycles:dashboard", args=[launched_cycle(p).pk])


def _health(p: Personas) -> str:
    return reverse("cycles:health", args=[released_participant(p).cycle_id])


def _instrument(p: Personas) -> str:
    version = instrument_default_install(organisation=p.organisation, actor=None)
    return reverse("cycles:instrument", args=[version.pk])


def _wording(p: Personas) -> str:
    version = instrument_default_install(organisation=p.organisation, actor=None)
    return reverse("cycles:instrument_wording", args=[version.pk])


PEOPLE_TEAM_ONLY = [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED]
ACME_PEOPLE_TEAM = [LOGIN, DENIED, DENIED, OK, OK, HIDDEN, DENIED]
REPORT = [LOGIN, OK, OK, DENIED, DENIED, HIDDEN, DENIED]

PAGES: Pages = {
    "cycles home": ("get", lambda p: reverse("cycles:home"), [LOGIN, OK, OK, OK, OK, OK, DENIED]),
    "cycles participate": (
        "get",
        _participate,
        [LOGIN, OK, HIDDEN, HIDDEN, HIDDEN, HIDDEN, DENIED],
    ),
    "cycles review raters": ("get", _review, [LOGIN, DENIED, OK, DENIED, OK, HIDDEN, DENIED]),
    "cycles rate signed in": (
        "get",
        _own_sheet,
        [LOGIN, OK, DENIED, DENIED, DENIED, HIDDEN, DENIED],
    ),
    "cycles report": ("get", _report("cycles:report"), REPORT),
    "cycles report pdf": ("get", _report("cycles:report_pdf"), REPORT),
    "cycles report csv": ("get", _report("cycles:report_csv"), REPORT),
    "cycles manage": ("get", lambda p: reverse("cycles:manage"), PEOPLE_TEAM_ONLY),
    "cycles new": ("get", lambda p: reverse("cycles:new"), PEOPLE_TEAM_ONLY),
    "cycles dashboard": ("get", _dashboard, ACME_PEOPLE_TEAM),
    "cycles instrument health": ("get", _health, ACME_PEOPLE_TEAM),
    "cycles questionnaires": ("get", lambda p: reverse("cycles:instruments"), PEOPLE_TEAM_ONLY),
    "cycles questionnaire": ("get", _instrument, ACME_PEOPLE_TEAM),
    "cycles questionnaire wording": ("get", _wording, ACME_PEOPLE_TEAM),
}

PUBLIC_OR_TESTED_ELSEWHERE = {
    # The emailed link is the credential: tests/cycles/test_rating_views.py.
    "cycles:link_inbox",
    "cycles:link_rate",
    "cycles:link_answer",
    "cycles:link_finish",
    # POST-only; tests/cycles/test_views.py checks who may use them.
    "cycles:answer",
    "cycles:finish",
    "cycles:action",
    "cycles:instrument_install",
    "cycles:instrument_copy",
}

MATRIX_URL_NAMES = {
    "cycles:home",
    "cycles:participate",
    "cycles:review",
    "cycles:rate",
    "cycles:report",
    "cycles:report_pdf",
    "cycles:report_csv",
    "cycles:manage",
    "cycles:new",
    "cycles:dashboard",
    "cycles:health",
    "cycles:instruments",
    "cycles:instrument",
    "cycles:instrument_wording",
}
