"""With a keyboard only: rate yourself, choose raters, and read the report.

No click and no ``fill`` on the pages under test: Tab and Shift+Tab move, arrows choose an
answer, Enter and Space act, and typing goes to whatever has the focus. Every element the focus
lands on must show it (WCAG 2.4.7 focus visible), which the helper checks at each step. Keys
do not depend on the database, so the PostgreSQL pass leaves this to the SQLite one.
"""

from __future__ import annotations

import os
import re

import pytest
from django.urls import reverse
from playwright.sync_api import Locator, Page, expect

from tandem.cycles.instruments import instrument_of
from tests.conftest import Personas
from tests.cycles.builders import launched_cycle, released_participant
from tests.factories import PASSWORD

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the same pages are walked on the SQLite pass",
)

FOCUS_SHOWN = """e => {
  const style = getComputedStyle(e);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || style.boxShadow !== "none";
}"""


def _focused(target: Locator) -> bool:
    return bool(
        target.evaluate("e => e === document.activeElement || e.contains(document.activeElement)")
    )


def tab_to(page: Page, target: Locator, *, limit: int = 200, backwards: bool = False) -> None:
    """Press Tab until the focus is on (or inside) ``target``, checking that every stop shows
    its focus."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        shown = page.evaluate(
            f"(() => {{ const e = document.activeElement; return e === document.body || ({FOCUS_SHOWN})(e); }})()"
        )
        described = page.evaluate("document.activeElement.outerHTML.slice(0, 160)")
        assert shown, f"the focus is not visible on {described}"
        if _focused(target):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {target}")


def sign_in_by_keyboard(page: Page, base_url: str, email: str) -> None:
    page.goto(base_url + reverse("accounts:login"))
    tab_to(page, page.get_by_label("Email"))
    page.keyboard.type(email)
    tab_to(page, page.get_by_label("Password"))
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def follow(page: Page, link: Locator) -> None:
    """Tab to a link or a submit button and press Enter: the next page arrives."""
    tab_to(page, link)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_participant_rates_herself_and_chooses_raters_by_keyboard(  # type: ignore[no-untyped-def]
    live_server, transactional_db, personas: Personas, page: Page
) -> None:
    cycle = launched_cycle(personas)
    instrument = instrument_of(cycle.instrument)
    sign_in_by_keyboard(page, live_server.url, personas.employee_person.email)
    follow(
        page,
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Cycles", exact=True),
    )
    follow(page, page.get_by_role("link", name=cycle.name))
    follow(page, page.get_by_role("link", name="Start"))

    # Each question: Tab into its answers, arrows to choose; every answer is saved as chosen
    # (checked once all are chosen: answers given in the same moment travel together).
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(len(instrument.all_items))
    for k in range(questions.count()):
        question = questions.nth(k)
        tab_to(page, question)
        for _ in range(k % 3 + 1):
            page.keyboard.press("ArrowRight")
        expect(question.locator("input[type=radio]:checked")).to_have_count(1)
    for k in range(questions.count()):
        expect(questions.nth(k).locator(".save-status")).to_have_text("Saved")
    tab_to(page, page.get_by_label(re.compile("keep doing")))
    page.keyboard.type("Keep the weekly demos.")
    expect(page.locator("#status-keep")).to_have_text("Saved")
    follow(page, page.get_by_role("button", name="I am done"))
    expect(page.get_by_text("Thank you")).to_be_visible()

    # Choosing a rater: type in the people picker, arrow to the name, Enter; the group by arrows.
    page.goto(live_server.url + reverse("cycles:participate", args=[cycle.pk]))
    box = page.get_by_role("combobox", name="Colleague")
    tab_to(page, box)
    page.keyboard.type("Eli")
    option = page.get_by_role("option", name="Eli Employee").first
    expect(option).to_be_visible()
    while option.get_attribute("aria-selected") != "true":
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("[data-picker] .chip", has_text="Eli Employee")).to_be_visible()
    group = page.get_by_label("They are my")
    tab_to(page, group)
    while group.input_value() != "peer":
        page.keyboard.press("ArrowDown")
    follow(page, page.get_by_role("button", name="Add", exact=True))
    expect(page.get_by_text("Eli Employee added.")).to_be_visible()


def test_a_participant_reads_her_report_by_keyboard(  # type: ignore[no-untyped-def]
    live_server, transactional_db, personas: Personas, page: Page
) -> None:
    participant = released_participant(personas)
    sign_in_by_keyboard(page, live_server.url, personas.employee_person.email)
    follow(
        page,
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Cycles", exact=True),
    )
    follow(page, page.get_by_role("link", name="Read your report").first)
    expect(page.get_by_role("heading", level=1)).to_contain_text(participant.person.name)
    # The downloads are reachable, and so is everything after them, down to the last link.
    tab_to(page, page.get_by_role("link", name="Download the figures (CSV)"))
    last = page.locator("main a[href], main button, main summary").last
    tab_to(page, last)
