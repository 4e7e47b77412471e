"""A calibration session in a real browser: flags on a round that should raise them, none on
a round that should not."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.people import sign_in
from tests.careers.seed import biased_round, fair_round


def _open_session(page: Page) -> None:
    page.get_by_role("link", name="Careers", exact=True).click()
    page.get_by_role("link", name="Calibration session").click()
    page.get_by_label("Proposed since").fill("2026-01-01")
    page.get_by_role("button", name="Show").click()


def test_the_session_shows_every_flag_on_a_biased_round(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    r = biased_round()
    sign_in(page, live_server.url, r.hr.email)
    _open_session(page)
    flags = page.locator("#flags")
    expect(flags.locator("[data-flag=argued-without-evidence]")).to_contain_text("Mark Report 2")
    expect(flags.locator("[data-flag=confidence-without-evidence]")).to_contain_text(
        "Nora Report 2"
    )
    expect(flags.locator("[data-flag=manager-proposal-rate]")).to_have_count(1)
    expect(flags.locator("[data-flag=manager-proposal-rate]")).to_contain_text("Gina Generous")
    expect(flags.locator("[data-flag=four-fifths]")).to_contain_text("gender: woman")
    expect(page.locator("#no-flags")).to_have_count(0)
    expect(page.locator("#distribution")).to_contain_text("People manager, level 1")
    # The manager who stands out leads the table of proposals by manager.
    expect(page.locator("#rates tbody tr").first).to_contain_text("Gina Generous")
    expect(page.locator("#rates tbody tr").first).to_contain_text("Stands out")
    # The flag leads to the case it is about.
    flags.locator("[data-flag=argued-without-evidence]").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mark Report 2")
    expect(page.locator("#readiness")).to_contain_text("Not yet: ")


def test_the_session_shows_no_flags_on_a_fair_round(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    r = fair_round()
    sign_in(page, live_server.url, r.manager_users[0].email)
    _open_session(page)
    expect(page.locator("#no-flags")).to_be_visible()
    expect(page.locator("#flags [data-flag]")).to_have_count(0)
    expect(page.locator("#distribution")).to_contain_text("7 proposals")
    # Managers never see the demographic part.
    expect(page.get_by_text("four-fifths")).to_have_count(0)
