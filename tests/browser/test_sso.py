"""Single sign-on in Chromium, through the real providers the tests start on this machine.

The admin sets up OpenID Connect on Tandem's page; an employee then signs in from the sign-in
page through the provider's own login form. The same for SAML 2.0 with the metadata uploaded as a
file, the identity provider's answer posted back by the browser.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.accounts.models import Role
from tests.browser.axe import axe_violations, describe
from tests.browser.people import sign_in, sign_out
from tests.factories import make_organisation, make_person, make_user
from tests.sso_providers.oidc import OidcProvider
from tests.sso_providers.saml_idp import SamlIdp


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """axe is injected as an inline script, which Tandem's content security policy forbids."""
    return {**browser_context_args, "bypass_csp": True}


def _no_violations(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, describe(violations)


def _acme() -> tuple[str, str]:
    acme = make_organisation("Acme")
    ada = make_person(acme, "Ada Admin", email="ada@acme.example")
    emma = make_person(acme, "Emma Employee", manager=ada, email="emma@acme.example")
    make_user(acme, role=Role.ADMIN, person=ada)
    make_user(acme, role=Role.EMPLOYEE, person=emma)
    return ada.email, emma.email


def _open_settings(page: Page, base_url: str, admin_email: str) -> None:
    sign_in(page, base_url, admin_email)
    page.goto(base_url + reverse("integrations:tokens"))
    page.get_by_role("link", name="single sign-on").click()
    expect(page.get_by_role("heading", name="Single sign-on", exact=True)).to_be_visible()


def _sign_in_through_sso(page: Page, base_url: str) -> None:
    page.goto(base_url + reverse("accounts:login"))
    page.get_by_role("link", name="Sign in with single sign-on").click()


def test_an_employee_signs_in_through_openid_connect(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page, oidc_provider: OidcProvider
) -> None:
    admin_email, employee_email = _acme()
    _open_settings(page, live_server.url, admin_email)
    page.get_by_label("Single sign-on is on").check()
    page.get_by_label("OpenID Connect").check()
    page.get_by_label("Discovery URL").fill(oidc_provider.discovery_url)
    page.get_by_label("Client ID").fill(oidc_provider.client_id)
    page.get_by_label("Client secret").fill(oidc_provider.client_secret)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Single sign-on settings saved.")).to_be_visible()
    expect(page.locator("#sso-state")).to_contain_text("Nobody has signed in through it yet")
    _no_violations(page)
    sign_out(page)

    # Someone the organisation does not know is turned away, and told why.
    _sign_in_through_sso(page, live_server.url)
    page.locator("input[name=login]").fill("stranger@elsewhere.example")
    page.locator("input[name=password]").fill("anything")
    page.locator("button[type=submit]").click()
    expect(page.locator("#sso-refused")).to_contain_text(
        "Acme has no Tandem account for stranger@elsewhere.example"
    )
    _no_violations(page)
    page.context.clear_cookies()  # the provider remembers the stranger's session otherwise

    _sign_in_through_sso(page, live_server.url)
    expect(page).to_have_url(re.compile(re.escape(oidc_provider.issuer)))
    page.locator("input[name=login]").fill(employee_email.upper())
    page.locator("input[name=password]").fill("anything")
    page.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(re.escape(live_server.url)))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_text("Emma Employee").first).to_be_visible()


def test_an_employee_signs_in_through_saml(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page, saml_idp: SamlIdp, tmp_path: Path
) -> None:
    admin_email, employee_email = _acme()
    _open_settings(page, live_server.url, admin_email)
    metadata = tmp_path / "idp-metadata.xml"
    metadata.write_text(saml_idp.metadata_xml)
    page.get_by_label("Single sign-on is on").check()
    page.get_by_label("SAML 2.0").check()
    page.get_by_label("…or its metadata file").set_input_files(str(metadata))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Single sign-on settings saved.")).to_be_visible()
    # The identity provider is given Tandem's metadata, as an admin would download and upload it.
    with page.expect_download() as download:
        page.locator("#saml-metadata-download").click()
    saml_idp.trust_sp(Path(download.value.path()).read_text())
    _no_violations(page)
    sign_out(page)

    _sign_in_through_sso(page, live_server.url)
    page.get_by_label("Email").fill(employee_email)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page).to_have_url(re.compile(re.escape(live_server.url)))
    expect(page.get_by_text("Emma Employee").first).to_be_visible()
