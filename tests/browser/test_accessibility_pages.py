"""axe-core on every page of the access matrix, as each persona allowed to see it.

The pages come from the matrix itself (``tests/access/test_matrix.py``), built by the same
functions, so a page added there is checked here too. A page is checked as every persona the
matrix lets in (status 200), because what a page shows depends on who reads it. Answers that are
not whole HTML pages (PDF, CSV, YAML, JSON, the fragments htmx swaps in) are skipped: their
markup is checked where it is shown, inside a page.

Zero violations of the WCAG 2.0, 2.1 and 2.2 rules at levels A and AA (docs/accessibility.md).
The markup does not depend on the database, so the PostgreSQL pass leaves this to the SQLite one.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Page

from tests.access.statuses import OK, ROLES
from tests.access.test_matrix import PAGES
from tests.browser.axe import axe_violations, describe
from tests.conftest import Personas

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the same markup is checked on the SQLite pass",
)

CHECKED = sorted(
    name for name, (method, _, expected) in PAGES.items() if method == "get" and OK in expected
)


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """axe is injected as an inline script, which Tandem's content security policy forbids."""
    return {**browser_context_args, "bypass_csp": True}


def sign_in_as(page: Page, base_url: str, role: str, personas: Personas) -> None:
    """Give the browser the session a signed-in persona would have (signing in through the
    form is tested elsewhere; here it would only cost time)."""
    page.context.clear_cookies()
    if role == "anonymous":
        return
    client = Client()
    client.force_login(getattr(personas, role))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}]
    )


def _is_whole_page(response: Any) -> bool:
    if not response["Content-Type"].startswith("text/html"):
        return False
    return response.content.lstrip()[:15].lower() == b"<!doctype html>"


@pytest.mark.parametrize("name", CHECKED)
def test_no_wcag_violations(
    live_server, transactional_db, personas: Personas, page: Page, name: str
) -> None:  # type: ignore[no-untyped-def]
    _, url_for, expected = PAGES[name]
    url = url_for(personas)
    roles = [role for role, status in zip(ROLES, expected, strict=True) if status == OK]
    first = Client()
    if roles[0] != "anonymous":
        first.force_login(getattr(personas, roles[0]))
    if not _is_whole_page(first.get(url)):
        pytest.skip("not a whole HTML page")
    found = []
    for role in roles:
        sign_in_as(page, live_server.url, role, personas)
        response = page.goto(live_server.url + url)
        assert response is not None and response.status == OK, f"{role} on {url}"
        page.wait_for_load_state("load")
        violations = axe_violations(page)
        if violations:
            found.append(f"as {role}:\n{describe(violations)}")
    assert not found, f"{name} ({url}):\n" + "\n".join(found)
