"""The role x page matrix: every page, every persona, the exact answer each one gets.

Access is decided only in ``tandem.access``; this test is what proves the decisions hold at the
pages. Each part of the domain lists its pages in ``tests/access/pages_<part>.py``; a new page
must be added there, or ``test_every_url_is_in_the_matrix`` fails.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.access import (
    pages_careers,
    pages_core,
    pages_cycles,
    pages_growth,
    pages_integrations,
    pages_outbox,
    pages_overview,
    pages_vision,
)
from tests.access.statuses import ROLES, Pages
from tests.conftest import Personas
from tests.rendered import assert_no_template_syntax

PARTS = (
    pages_core,
    pages_careers,
    pages_vision,
    pages_cycles,
    pages_growth,
    pages_outbox,
    pages_integrations,
    pages_overview,
)

PAGES: Pages = {}
for part in PARTS:
    overlap = PAGES.keys() & part.PAGES.keys()
    assert not overlap, f"page described twice in the matrix: {sorted(overlap)}"
    PAGES.update(part.PAGES)


def client_for(role: str, personas: Personas) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(personas, role))
    return client


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("role", ROLES)
def test_role_page_matrix(personas: Personas, role: str, page: str) -> None:
    method, url_for, expected = PAGES[page]
    url = url_for(personas)
    response = getattr(client_for(role, personas), method)(url)
    assert response.status_code == expected[ROLES.index(role)], f"{role} on {page} ({url})"
    assert_no_template_syntax(response)


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


def test_every_url_is_in_the_matrix() -> None:
    covered: set[str] = set()
    for part in PARTS:
        covered |= part.MATRIX_URL_NAMES | part.PUBLIC_OR_TESTED_ELSEWHERE
    missing = _all_url_names() - covered
    assert not missing, f"add these pages to the access matrix: {sorted(missing)}"
