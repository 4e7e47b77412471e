"""A plan built from a released report; an action updated by its owner and commented on by
the manager."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.accounts.models import Role
from tandem.growth.services import growth_defaults_install
from tests.browser.people import sign_in, sign_out
from tests.factories import make_organisation, make_person, make_user
from tests.growth.factories import make_released_result


def test_a_plan_is_built_from_a_report_and_its_action_followed_by_the_manager(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    growth_defaults_install()  # transactional tests flush the rows the migration seeded
    acme = make_organisation("Acme")
    ada = make_person(acme, "Ada Admin", title="Chief Executive")
    manny = make_person(acme, "Manny Manager", manager=ada)
    emma = make_person(acme, "Emma Employee", manager=manny)
    make_user(acme, role=Role.ADMIN, person=ada)
    make_user(acme, role=Role.EMPLOYEE, person=manny)
    make_user(acme, role=Role.EMPLOYEE, person=emma)
    make_released_result(
        emma,
        name="Spring 2026",
        others={"setting_direction": 4.5, "aligning_people": 4.25, "planning_budgeting": 2.25},
    )

    # Emma builds her plan in a few clicks: the report's suggestions come ticked.
    sign_in(page, live_server.url, emma.email)
    page.goto(live_server.url + reverse("growth:home"))
    page.get_by_role("link", name="Build on your Spring 2026 report").click()
    expect(page.get_by_role("heading", name="Build your plan from Spring 2026")).to_be_visible()
    expect(page.get_by_label("Sharpen Setting direction")).to_be_checked()
    expect(page.get_by_label("Sharpen Aligning people")).to_be_checked()
    expect(page.get_by_label("Shore up Planning and budgeting")).to_be_checked()
    expect(page.get_by_label("Sharpen Planning and budgeting")).not_to_be_checked()
    page.get_by_label("Sharpen Aligning people").uncheck()
    page.get_by_role("button", name="Add to my plan").click()
    expect(page.get_by_text("Your plan is ready.")).to_be_visible()
    focus = page.locator("#focus .focus")
    expect(focus).to_have_count(2)
    expect(focus.filter(has_text="Setting direction")).to_contain_text("Strength to sharpen")
    expect(focus.filter(has_text="Planning and budgeting")).to_contain_text("Gap to shore up")

    # An action that fits the gap, from the library, made her own.
    page.get_by_role("link", name="Add an action for Planning and budgeting").click()
    suggested = page.locator("#suggested-actions")
    expect(suggested).to_contain_text("Write the plan and budget for a piece of work")
    expect(suggested).not_to_contain_text("Shadow a senior leader")
    suggested.get_by_role("link", name="Write the plan and budget for a piece of work").click()
    expect(page.get_by_label("Action")).to_have_value(
        "Write the plan and budget for a piece of work"
    )
    page.get_by_label("Due").fill("2026-12-18")
    page.get_by_label("What success looks like").fill("The Q1 plan is written before work starts.")
    page.get_by_role("button", name="Add to my plan").click()
    expect(page.get_by_text("is in your plan.")).to_be_visible()
    row = page.locator(".action-row", has_text="Write the plan and budget")
    expect(row).to_contain_text("Planning and budgeting")
    expect(row).to_contain_text("Not started")

    # She starts it and checks in.
    row.get_by_role("link").click()
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_role("button", name="Save the action").click()
    expect(page.locator("#action-status")).to_contain_text("In progress")
    page.get_by_label("How is it going?").fill("Drafted the steps; the budget is next.")
    page.get_by_role("button", name="Record a check-in").click()
    expect(page.locator("#notes")).to_contain_text("Drafted the steps")
    sign_out(page)

    # Manny reads the plan from his team page and comments; Emma is told by email.
    sign_in(page, live_server.url, manny.email)
    page.goto(live_server.url + reverse("growth:team"))
    page.get_by_role("link", name="Plan of Emma Employee").click()
    expect(page.get_by_role("heading", name="Development plan of Emma Employee")).to_be_visible()
    page.get_by_role("link", name="Write the plan and budget for a piece of work").click()
    expect(page.get_by_role("button", name="Save the action")).to_have_count(0)
    page.get_by_label("Your comment").fill("Ask finance for last year's numbers first.")
    page.get_by_role("button", name="Add the comment").click()
    expect(page.get_by_text("Comment added.")).to_be_visible()
    expect(page.locator(".note-comment")).to_contain_text("Ask finance")
    assert [m.to for m in mail.outbox] == [[emma.email]]
    assert "Ask finance for last year's numbers first." in mail.outbox[0].body
    sign_out(page)

    sign_in(page, live_server.url, emma.email)
    page.goto(live_server.url + reverse("growth:plan"))
    page.get_by_role("link", name="Write the plan and budget for a piece of work").click()
    expect(page.locator(".note-comment")).to_contain_text("Manny Manager")
