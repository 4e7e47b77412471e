"""A team's understanding score stays hidden below the minimum and shows once enough answer."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tandem.accounts.models import Role
from tandem.vision.models import PULSE_STATEMENTS
from tests.browser.people import sign_in, sign_out
from tests.factories import make_organisation, make_person, make_user


def _answer(page: Page, base_url: str, email: str, values: list[str]) -> None:
    sign_in(page, base_url, email)
    page.get_by_role("link", name="Vision", exact=True).click()
    page.get_by_role("link", name="Understanding pulse").click()
    page.get_by_role("link", name="Answer the pulse").click()
    for statement, value in zip(PULSE_STATEMENTS, values, strict=True):
        page.get_by_role("group", name=statement).get_by_label(value).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Your answers are counted, and not kept as yours.")).to_be_visible()
    expect(page.locator("#to-answer")).to_contain_text("Answered, thank you")
    sign_out(page)


def _team_row(page: Page, base_url: str, email: str):  # type: ignore[no-untyped-def]
    sign_in(page, base_url, email)
    page.get_by_role("link", name="Vision", exact=True).click()
    page.get_by_role("link", name="Understanding pulse").click()
    return page.locator("#pulse-teams tbody tr", has_text="The team of Manny Manager")


def test_an_understanding_score_is_hidden_below_the_minimum_and_shown_above_it(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    acme = make_organisation("Acme")
    ada = make_person(acme, "Ada Admin", title="Chief Executive")
    manny = make_person(acme, "Manny Manager", manager=ada)
    members = [make_person(acme, name, manager=manny) for name in ["Emma", "Eli", "Tia"]]
    make_user(acme, role=Role.ADMIN, person=ada)
    make_user(acme, person=manny)
    for member in members:
        make_user(acme, person=member)

    # Manny opens a pulse for his team.
    row = _team_row(page, live_server.url, manny.email)
    row.get_by_role("button", name="Open a pulse").click()
    expect(page.get_by_text("The pulse is open to the team of Manny Manager.")).to_be_visible()
    sign_out(page)

    # Two of three answer: not enough for a score anyone may see.
    _answer(page, live_server.url, members[0].email, ["5 · Strongly agree"] * 3)
    _answer(page, live_server.url, members[1].email, ["3 · Neither"] * 3)
    row = _team_row(page, live_server.url, manny.email)
    expect(row).to_contain_text("2 of 3")
    expect(row).to_contain_text("Hidden until 3 people answer")
    expect(row.locator("[data-score]")).to_have_count(0)
    sign_out(page)

    # The third answer reaches the minimum: the score appears, for Manny and for Ada above him.
    _answer(page, live_server.url, members[2].email, ["4 · Agree"] * 3)
    row = _team_row(page, live_server.url, manny.email)
    expect(row).to_contain_text("3 of 3")
    expect(row.locator("[data-score]")).to_have_text("4.0 / 5")
    sign_out(page)
    sign_in(page, live_server.url, ada.email)
    page.get_by_role("link", name="Vision", exact=True).click()
    expect(page.locator("#teams tr", has_text="The team of Manny Manager")).to_contain_text(
        "4.0 / 5"
    )
    sign_out(page)

    # A member never sees the team's score.
    sign_in(page, live_server.url, members[0].email)
    page.get_by_role("link", name="Vision", exact=True).click()
    expect(page.locator("#teams [data-score]")).to_have_count(0)
