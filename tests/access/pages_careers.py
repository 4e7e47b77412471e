"""Access matrix rows for the career framework, evidence, promotion cases and calibration."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.urls import reverse

from tandem.careers.models import PromotionCase
from tandem.careers.services import case_open, case_propose, evidence_log, framework_default_install
from tests.access.statuses import DENIED, HIDDEN, LOGIN, OK, Pages
from tests.conftest import Personas


def _with_framework(url_name: str, *args: str) -> Callable[[Personas], str]:
    def url_for(p: Personas) -> str:
        framework_default_install(organisation=p.organisation, actor=None)
        return reverse(url_name, args=args)

    return url_for


def _case_of(p: Personas, *, who: str = "employee", proposed: bool = False) -> PromotionCase:
    version = framework_default_install(organisation=p.organisation, actor=None)
    level = version.tracks.get(key="ic").levels.get(number=3)
    candidate = p.employee_person if who == "employee" else p.sibling_person
    case = case_open(candidate=candidate, target_level=level, actor=None)
    if proposed:
        case_propose(case=case, actor=None)
    return case


def _case_url(url_name: str, **kwargs: object) -> Callable[[Personas], str]:
    def url_for(p: Personas) -> str:
        case = _case_of(p, **kwargs)  # type: ignore[arg-type]
        if url_name == "careers:case_argue":
            criterion = case.target_level.criteria.first()
            assert criterion is not None
            return reverse(url_name, args=[case.pk, criterion.pk])
        return reverse(url_name, args=[case.pk])

    return url_for


def _own_evidence_url(url_name: str) -> Callable[[Personas], str]:
    """A page about one of the employee's own entries."""

    def url_for(p: Personas) -> str:
        framework_default_install(organisation=p.organisation, actor=None)
        entry = evidence_log(
            person=p.employee_person,
            what="Ran the incident review",
            happened_on=datetime.date(2026, 3, 1),
            actor=None,
        )
        return reverse(url_name, args=[entry.pk])

    return url_for


PAGES: Pages = {
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
    "careers my growth": (
        "get",
        _with_framework("careers:me"),
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
    "careers growth of a person": (
        "get",
        lambda p: _with_framework("careers:person", str(p.employee_person.pk))(p),
        [LOGIN, OK, OK, OK, OK, HIDDEN, DENIED],
    ),
    "careers log evidence": (
        "get",
        _with_framework("careers:evidence_new"),
        # The outsider's organisation has no framework to log against.
        [LOGIN, OK, OK, OK, OK, HIDDEN, DENIED],
    ),
    # Only the author changes an entry; Acme's entries are hidden from other organisations.
    "careers edit own evidence": (
        "get",
        _own_evidence_url("careers:evidence_edit"),
        [LOGIN, OK, DENIED, DENIED, DENIED, HIDDEN, DENIED],
    ),
    "careers delete own evidence": (
        "get",
        _own_evidence_url("careers:evidence_delete"),
        [LOGIN, OK, DENIED, DENIED, DENIED, HIDDEN, DENIED],
    ),
    "careers quarter summary": (
        "get",
        lambda p: reverse("careers:quarter"),
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
    "careers motivation check": (
        "get",
        lambda p: reverse("careers:motivation"),
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
    "careers track fit": (
        "get",
        lambda p: reverse("careers:track_fit"),
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
    "careers placement of a person": (
        "get",
        lambda p: _with_framework("careers:placement", str(p.employee_person.pk))(p),
        [LOGIN, DENIED, DENIED, OK, OK, HIDDEN, DENIED],
    ),
    "careers cases": (
        "get",
        lambda p: reverse("careers:cases"),
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
    "careers open a case for the employee": (
        "get",
        lambda p: _with_framework("careers:case_new", str(p.employee_person.pk))(p),
        [LOGIN, OK, OK, OK, OK, HIDDEN, DENIED],
    ),
    "careers open a case for a peer": (
        "get",
        lambda p: _with_framework("careers:case_new", str(p.sibling_person.pk))(p),
        [LOGIN, DENIED, OK, OK, OK, HIDDEN, DENIED],
    ),
    "careers case of the employee": (
        "get",
        _case_url("careers:case"),
        [LOGIN, OK, OK, OK, OK, HIDDEN, DENIED],
    ),
    "careers case of a peer": (
        "get",
        _case_url("careers:case", who="sibling"),
        [LOGIN, DENIED, OK, OK, OK, HIDDEN, DENIED],
    ),
    "careers argue a criterion": (
        "get",
        _case_url("careers:case_argue"),
        # The people team decides cases; it does not write them.
        [LOGIN, OK, OK, DENIED, OK, HIDDEN, DENIED],
    ),
    "careers decide a case": (
        "get",
        _case_url("careers:case_decide", proposed=True),
        [LOGIN, DENIED, DENIED, OK, OK, HIDDEN, DENIED],
    ),
    "careers calibration": (
        "get",
        lambda p: reverse("careers:calibration"),
        [LOGIN, DENIED, OK, OK, OK, OK, DENIED],
    ),
    "careers placements": (
        "get",
        lambda p: reverse("careers:placements"),
        [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED],
    ),
    "careers demographics": (
        "get",
        lambda p: reverse("careers:demographics"),
        [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED],
    ),
}

PUBLIC_OR_TESTED_ELSEWHERE = {
    # POST-only; tests/access/test_refusals.py checks who may use it.
    "careers:install_default",
    # POST-only; tests/careers/test_case_services_and_posts.py checks who may use them.
    "careers:endorse",
    "careers:case_peer",
    "careers:case_input",
    "careers:case_propose",
}

MATRIX_URL_NAMES = {
    "careers:framework",
    "careers:track",
    "careers:manage",
    "careers:import_upload",
    "careers:edit",
    "careers:export_yaml",
    "careers:export_csv",
    "careers:me",
    "careers:person",
    "careers:evidence_new",
    "careers:evidence_edit",
    "careers:evidence_delete",
    "careers:quarter",
    "careers:motivation",
    "careers:track_fit",
    "careers:placement",
    "careers:cases",
    "careers:case_new",
    "careers:case",
    "careers:case_argue",
    "careers:case_decide",
    "careers:calibration",
    "careers:demographics",
    "careers:placements",
}
