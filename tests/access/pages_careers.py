"""Access matrix rows for the career framework, evidence, promotion cases and calibration."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from tandem.careers.services import framework_default_install
from tests.access.statuses import DENIED, HIDDEN, LOGIN, OK, Pages
from tests.conftest import Personas


def _with_framework(url_name: str, *args: str) -> Callable[[Personas], str]:
    def url_for(p: Personas) -> str:
        framework_default_install(organisation=p.organisation, actor=None)
        return reverse(url_name, args=args)

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
}

PUBLIC_OR_TESTED_ELSEWHERE = {
    # POST-only; tests/access/test_refusals.py checks who may use it.
    "careers:install_default",
}

MATRIX_URL_NAMES = {
    "careers:framework",
    "careers:track",
    "careers:manage",
    "careers:import_upload",
    "careers:edit",
    "careers:export_yaml",
    "careers:export_csv",
}
