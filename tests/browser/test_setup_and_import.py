"""The foundation's story in a real browser: set up, import with an error, fix, see the chart."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tandem.people.models import Person
from tests.browser.conftest import FILES

PASSWORD = "a long and unusual passphrase"


def test_setup_import_fix_and_chart(live_server, transactional_db, page: Page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/")
    expect(page).to_have_url(re.compile(r"/setup/$"))
    page.get_by_label("Organisation name").fill("Acme Robotics")
    page.get_by_label("Your name").fill("Ada Admin")
    page.get_by_label("Your email").fill("ada@acme.example")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Create organisation").click()
    expect(page.get_by_role("heading", name="Acme Robotics")).to_be_visible()

    # An export with a deliberate error: a bad date on row 4.
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("HRIS export (CSV or XLSX)").set_input_files(str(FILES / "people-bad.csv"))
    page.get_by_role("button", name="Upload and review").click()
    problems = page.locator("#problems")
    expect(problems).to_contain_text("Nothing was imported")
    row = problems.locator("tbody tr").first
    expect(row.locator("td").nth(0)).to_have_text("4")
    expect(row.locator("td").nth(1)).to_contain_text("Start date")
    assert Person.objects.count() == 0

    # The corrected file goes through.
    page.get_by_role("link", name="Upload a corrected file").click()
    page.get_by_label("HRIS export (CSV or XLSX)").set_input_files(str(FILES / "people-good.csv"))
    page.get_by_role("button", name="Upload and review").click()
    expect(page.locator("#preview")).to_contain_text("10 added")
    assert Person.objects.count() == 0, "the preview saved nothing"
    page.get_by_role("button", name="Apply this import").click()
    expect(page.get_by_text(re.compile(r"10 added"))).to_be_visible()
    assert Person.objects.count() == 10

    # The chart shows the people; opening a branch loads its reports.
    expect(page.get_by_role("heading", name="Organisation chart")).to_be_visible()
    top = page.locator(".chart > ul > li").first
    top.locator("summary").first.click()
    expect(top.locator("ul li").first).to_be_visible()
    reports_shown = top.locator("ul li").count()
    assert reports_shown >= 1

    # Search by name.
    someone = Person.objects.exclude(manager=None).order_by("name").first()
    assert someone is not None
    page.get_by_placeholder("Search by name or title").fill(someone.name.split()[0])
    expect(page.locator("#search-results")).to_contain_text(someone.name)
