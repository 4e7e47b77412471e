"""Three layers translate the vision; a change at the top goes stale below until each confirms."""

from __future__ import annotations

from django.core import mail
from playwright.sync_api import Page, expect

from tandem.accounts.models import Role
from tandem.vision.services import goal_create, vision_save
from tests.browser.people import sign_in, sign_out
from tests.factories import make_organisation, make_person, make_user


def _node(page: Page, title: str):  # type: ignore[no-untyped-def]
    return page.locator("#cascade .goal-node", has=page.get_by_role("link", name=title))


def test_a_change_at_the_top_is_carried_down_until_every_layer_confirms(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    acme = make_organisation("Acme")
    ada = make_person(acme, "Ada Admin", title="Chief Executive")
    manny = make_person(acme, "Manny Manager", manager=ada)
    tess = make_person(acme, "Tess Teamlead", manager=manny)
    make_person(acme, "Rory Report", manager=tess)
    make_user(acme, role=Role.ADMIN, person=ada)
    make_user(acme, role=Role.EMPLOYEE, person=manny)
    make_user(acme, role=Role.EMPLOYEE, person=tess)
    vision_save(
        organisation=acme,
        destination="Every team ships what customers need, weekly.",
        why="Customers trust us when we keep our promises.",
        actor=None,
    )
    top = goal_create(
        organisation=acme,
        team=ada,
        owner=ada,
        title="Win on reliability",
        meaning="We lead on reliability.",
        why="It is why customers stay.",
        links_to_vision=True,
        actor=None,
    )
    goal_create(
        organisation=acme,
        team=manny,
        owner=manny,
        title="Ship weekly",
        meaning="Engineering releases every week.",
        why="Small releases break less.",
        parents=[top],
        actor=None,
    )

    # Tess writes the third layer in her team's own words.
    sign_in(page, live_server.url, tess.email)
    page.get_by_role("link", name="Vision", exact=True).click()
    expect(page.get_by_role("heading", name="Vision cascade")).to_be_visible()
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Title").fill("Automate releases")
    page.get_by_label("What this means for us").fill("One button releases.")
    page.get_by_label("Why it matters to each of us").fill("Nobody loses a Friday to a release.")
    page.get_by_label("Ship weekly (team of Manny Manager)").check()
    page.get_by_role("button", name="Add the goal").click()
    expect(page.get_by_text("'Automate releases' is added to the cascade.")).to_be_visible()
    page.get_by_role("link", name="Vision cascade").click()
    for title in ["Win on reliability", "Ship weekly", "Automate releases"]:
        expect(_node(page, title)).to_have_attribute("data-health", "ok")
    sign_out(page)

    # Ada changes the top goal: both layers below go stale and their owners are told.
    sign_in(page, live_server.url, ada.email)
    page.get_by_role("link", name="Vision", exact=True).click()
    page.get_by_role("link", name="Win on reliability").click()
    page.get_by_label("What this means for us").fill("We lead on reliability and on speed.")
    page.get_by_role("button", name="Save the goal").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    page.get_by_role("link", name="Vision cascade").click()
    expect(_node(page, "Win on reliability")).to_have_attribute("data-health", "ok")
    expect(_node(page, "Ship weekly")).to_have_attribute("data-health", "stale")
    expect(_node(page, "Automate releases")).to_have_attribute("data-health", "stale")
    expect(page.locator("#health-summary")).to_contain_text("2 stale translations")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([manny.email, tess.email])
    sign_out(page)

    # Manny confirms his layer; Tess's stays stale until she confirms hers.
    sign_in(page, live_server.url, manny.email)
    page.get_by_role("link", name="Vision", exact=True).click()
    page.get_by_role("link", name="Ship weekly").click()
    expect(page.locator("#goal-status")).to_contain_text("Stale: check and confirm")
    page.get_by_role("button", name="Confirm the translation still holds").click()
    expect(page.locator("#goal-status")).to_contain_text("Aligned")
    page.get_by_role("link", name="Vision cascade").click()
    expect(_node(page, "Ship weekly")).to_have_attribute("data-health", "ok")
    expect(_node(page, "Automate releases")).to_have_attribute("data-health", "stale")
    sign_out(page)

    sign_in(page, live_server.url, tess.email)
    page.get_by_role("link", name="Vision", exact=True).click()
    page.get_by_role("link", name="Automate releases").click()
    page.get_by_role("button", name="Confirm the translation still holds").click()
    page.get_by_role("link", name="Vision cascade").click()
    for title in ["Win on reliability", "Ship weekly", "Automate releases"]:
        expect(_node(page, title)).to_have_attribute("data-health", "ok")
    expect(page.locator("#health-summary")).to_contain_text("0 stale translations")


def test_a_new_organisation_is_shown_its_first_step_not_a_wall_of_red(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    acme = make_organisation("Acme")
    ada = make_person(acme, "Ada Admin", title="Chief Executive")
    hana = make_person(acme, "Hana People", manager=ada, title="People Partner")
    for name in ["Manny Manager", "Mia Manager"]:
        manager = make_person(acme, name, manager=ada)
        make_person(acme, f"Report of {name}", manager=manager)
    make_user(acme, role=Role.PEOPLE_TEAM, person=hana)

    sign_in(page, live_server.url, hana.email)
    page.get_by_role("link", name="Vision", exact=True).click()
    step = page.locator("#first-step")
    expect(step).to_contain_text("Start here")
    expect(step).to_contain_text("Then: the top team (the team of Ada Admin) translates it.")
    expect(page.locator("#teams [data-state=waiting]")).to_have_count(3)
    expect(page.get_by_text("No translation yet")).to_have_count(0)
    step.get_by_role("link", name="Write the destination").click()
    page.get_by_label("Where we are going").fill("Every team ships what customers need, weekly.")
    page.get_by_label("Why it matters").fill("Customers trust us when we keep our promises.")
    page.get_by_role("button", name="Save the vision").click()

    expect(step).to_contain_text("The top team translates the vision.")
    expect(page.locator("#teams tbody[data-layer='1'] tr[data-team]")).to_have_attribute(
        "data-state", "next"
    )
    expect(page.locator("#teams tbody[data-layer='2'] [data-state=waiting]")).to_have_count(2)
