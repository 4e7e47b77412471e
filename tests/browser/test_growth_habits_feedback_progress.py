"""A habit week ticked off and its reminder sent; quick feedback hidden until its minimum;
progress across two cycles with one real change and one within measurement error."""

from __future__ import annotations

import datetime
import re

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tandem.accounts.models import Role
from tandem.growth.services import growth_defaults_install
from tests.browser.people import pick, sign_in, sign_out
from tests.factories import make_organisation, make_person, make_user
from tests.growth.factories import make_released_result


def _team():  # type: ignore[no-untyped-def]
    acme = make_organisation("Acme")
    manny = make_person(acme, "Manny Manager", title="Engineering Manager")
    emma = make_person(acme, "Emma Employee", manager=manny)
    make_user(acme, role=Role.EMPLOYEE, person=manny)
    make_user(acme, role=Role.EMPLOYEE, person=emma)
    return acme, manny, emma


def test_a_habit_week_is_ticked_off_and_its_reminder_sent(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    growth_defaults_install()
    _, _, emma = _team()
    sign_in(page, live_server.url, emma.email)
    page.goto(live_server.url + reverse("growth:habits"))
    page.get_by_role("button", name="Adopt “Seven messages a week”").click()
    expect(page.get_by_text("You keep 'Seven messages a week' now.")).to_be_visible()
    checklist = page.locator(".checklist")
    boxes = checklist.get_by_role("checkbox")
    expect(boxes).to_have_count(7)
    for label in [
        "Send a thank-you",
        "Write to someone you admire",
        "Lift someone up",
        "Write to someone you just met",
        "Write to a former co-worker",
        "Send your manager a Thursday update",
        "Write yourself a Friday note",
    ]:
        checklist.get_by_label(label).check()
    page.get_by_role("button", name="Save this week").click()
    expect(page.get_by_text("saved.")).to_be_visible()
    expect(page.locator(".checklist legend")).to_contain_text("7 of 7 done")
    expect(page.locator(".streak")).to_have_text(re.compile("1 week in a row"))
    expect(page.locator(".history li").last).to_have_class("kept")

    # The scheduled reminder runs (the command calls the same service as the task).
    call_command("send_habit_reminders", "--now", timezone.now().isoformat())
    (message,) = mail.outbox
    assert message.to == [emma.email]
    assert "0 of 7 to go" in message.body
    assert "[x] Send a thank-you" in message.body
    call_command("send_habit_reminders", "--now", timezone.now().isoformat())
    assert len(mail.outbox) == 1, "one reminder a week"


def _answer_by_link(page: Page, link: str, label: str) -> None:
    page.goto(link)
    radios = page.get_by_role("radio", name=label, exact=True)
    for n in range(radios.count()):
        radios.nth(n).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("#thanks")).to_be_visible()


def test_quick_feedback_stays_hidden_until_its_minimum_answered(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    acme, _, emma = _team()
    for name in ["Pia Peer", "Quinn Peer", "Ravi Peer"]:
        make_person(acme, name, manager=emma.manager)
    sign_in(page, live_server.url, emma.email)
    page.goto(live_server.url + reverse("growth:feedback_list"))
    page.get_by_role("checkbox", name="Setting direction", exact=True).check()
    for name in ["Pia Peer", "Quinn Peer", "Ravi Peer"]:
        pick(page, "Colleagues to ask", name)
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_role("heading", name="Quick feedback on Setting direction")).to_be_visible()
    request_url = page.url
    # The emails carry SITE_URL; the live server listens elsewhere, so keep only the path.
    found = [re.search(r"/growth/feedback/answer/[\w-]+/", m.body) for m in mail.outbox]
    assert len(found) == 3 and all(found)
    links = [live_server.url + match.group(0) for match in found if match]
    sign_out(page)

    _answer_by_link(page, links[0], "Often")
    _answer_by_link(page, links[1], "Almost always")

    sign_in(page, live_server.url, emma.email)
    page.goto(request_url)
    expect(page.locator("#feedback-status")).to_contain_text("2 of 3 colleagues answered")
    expect(page.locator("#hidden-reason")).to_contain_text("at least 3 have answered")
    expect(page.locator("#feedback-results")).to_have_count(0)
    expect(page.get_by_role("button", name="Close and see the results")).to_have_count(0)
    sign_out(page)

    _answer_by_link(page, links[2], "Sometimes")
    page.goto(links[2])
    expect(page.locator("#closed")).to_be_visible()

    sign_in(page, live_server.url, emma.email)
    page.goto(request_url)
    results = page.locator("#feedback-results")
    expect(results).to_be_visible()
    expect(results.locator(".score")).to_contain_text("from 3 colleagues")
    for name in ["Pia", "Quinn", "Ravi"]:
        expect(results).not_to_contain_text(name)


def test_a_second_cycle_shows_one_real_change_and_one_within_error(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    _, _, emma = _team()
    # sd 0.5 and alpha 0.8 in the first cycle: a change must exceed 0.62 to be real.
    make_released_result(
        emma,
        name="Spring 2025",
        released_at=datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC),
        others={"setting_direction": 3.0, "aligning_people": 3.0},
    )
    make_released_result(
        emma, name="Spring 2026", others={"setting_direction": 4.0, "aligning_people": 3.25}
    )
    sign_in(page, live_server.url, emma.email)
    page.goto(live_server.url + reverse("growth:progress"))
    changes = page.locator("#changes")
    expect(changes.get_by_role("heading")).to_have_text("From Spring 2025 to Spring 2026")
    real = changes.locator('tr[data-scale="setting_direction"]')
    expect(real).to_have_attribute("data-verdict", "increase")
    expect(real).to_contain_text("Real change up")
    expect(real).to_contain_text("+1.00")
    within = changes.locator('tr[data-scale="aligning_people"]')
    expect(within).to_have_attribute("data-verdict", "within error")
    expect(within).to_contain_text("Within measurement error")
    expect(changes).to_contain_text("1 real change;")
    chart = page.locator("svg.progress-chart")
    expect(chart).to_be_visible()
    expect(chart.locator('g[data-scale="setting_direction"] circle')).to_have_count(2)
