"""The people team reads the demo organisation's instrument health page and its organisation
view (the heatmap) in a browser.

The demo simulates leadership and management as two related lenses (r = 0.5 in each person's
levels, plus each rater's own generosity on every question), so the page should find two
related things, reliable scales, no weak question, and rater groups that measure alike.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tandem.accounts.models import Role
from tandem.cycles.demo import demo_cycle_load
from tandem.people.models import Person
from tandem.people.services import demo_people_load, organisation_create
from tests.browser.axe import axe_violations, describe
from tests.browser.people import sign_in
from tests.factories import make_user


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """axe-core is injected as an inline script, which the content security policy forbids."""
    return {**browser_context_args, "bypass_csp": True}


def test_the_people_team_reads_the_demo_cycles_instrument_health_and_heatmap(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    northwind = organisation_create(name="Demo: Northwind Labs", is_demo=True)
    demo_people_load(organisation=northwind, actor=None, seed=2026)
    demo_cycle_load(organisation=northwind, seed=2026)
    make_user(northwind, role=Role.PEOPLE_TEAM, email="hana.hr@demo.example")

    sign_in(page, live_server.url, "hana.hr@demo.example")
    page.get_by_role("link", name="Cycles", exact=True).click()
    page.get_by_role("link", name="Manage cycles").click()
    page.get_by_role("link", name="Demo 360").click()
    page.get_by_role("link", name="Instrument health").click()

    main = page.locator("main")
    expect(page.get_by_role("heading", name="Instrument health", level=1)).to_be_visible()
    # Plain words first: two related lenses, with their correlation.
    expect(main).to_contain_text(
        re.compile(r"leadership and management are two related things \(r = 0\.[4-7]\d\)")
    )
    expect(main).to_contain_text("one lens would fit clearly worse")
    expect(main).to_contain_text("The two-lens model fits the answers well.")
    expect(main).to_contain_text("Every question behaves as its lens expects.")
    expect(main).to_contain_text(
        "Self-ratings and others' ratings measure the same thing in the same way"
    )
    expect(main).to_contain_text(
        "Managers, peers and direct reports measure the same thing in the same way"
    )
    # Then the numbers: both models, every scale's reliability, every question on request.
    fits = page.get_by_role("table", name=re.compile("Fit of each model"))
    expect(fits.get_by_role("row")).to_have_count(3)
    scales = page.get_by_role("table", name=re.compile("Alpha and omega"))
    expect(scales.get_by_role("row")).to_have_count(7)
    expect(scales).to_contain_text("Setting direction")
    page.get_by_text("Every question's figures").click()
    questions = page.get_by_role("table", name=re.compile("Standardised loading"))
    expect(questions.get_by_role("row")).to_have_count(36)
    # Nothing about one person: no name from the organisation appears on the page.
    text = main.inner_text()
    named = [name for name in Person.objects.values_list("name", flat=True) if name in text]
    assert named == []
    violations = axe_violations(page)  # with every figure filled in, as the matrix cannot
    assert not violations, describe(violations)

    # The organisation view: the heatmaps drawn, the same figures in a table, no one named.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organisation").click()
    expect(page.get_by_role("heading", name="Organisation view", level=1)).to_be_visible()
    expect(page.locator("#heatmap-leadership[data-ready=true] canvas")).to_have_count(1)
    expect(page.locator("#heatmap-management[data-ready=true] canvas")).to_have_count(1)
    cells = page.locator("#cells tbody tr")
    assert cells.count() >= 5
    for row in cells.all():
        _department, levels, n, leadership, management = row.locator("th, td").all_inner_texts()
        assert int(n) >= 5 and levels.startswith(("Level", "No level"))
        assert 1 <= float(leadership) <= 5 and 1 <= float(management) <= 5
    placements = page.locator("#placement-counts tbody tr")
    expect(placements).to_have_count(5)
    shown = page.locator("section", has=page.locator("#heatmap")).inner_text()
    shown += page.locator("section", has=page.locator("#placements")).inner_text()
    named = [name for name in Person.objects.values_list("name", flat=True) if name in shown]
    assert named == []
    # The bench: the demo's leadership-track people, none with a 360 score for the people team.
    bench = page.locator("#bench-table tbody tr")
    assert bench.count() >= 1
    expect(page.locator("#bench-table")).not_to_contain_text(re.compile(r"\d\.\d\d"))
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator("#heatmap-leadership canvas")).to_be_visible()
