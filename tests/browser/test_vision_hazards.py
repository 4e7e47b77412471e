"""A blocker raised on a goal climbs two levels of managers until the top acknowledges it."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tandem.accounts.models import Role
from tandem.vision.models import Hazard
from tandem.vision.services import escalation_interval, goal_create, hazards_escalate
from tests.browser.people import sign_in, sign_out
from tests.factories import make_organisation, make_person, make_user


def test_a_hazard_climbs_two_levels_until_acknowledged(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    acme = make_organisation("Acme")
    ada = make_person(acme, "Ada Admin", title="Chief Executive")
    manny = make_person(acme, "Manny Manager", manager=ada)
    tess = make_person(acme, "Tess Teamlead", manager=manny)
    rory = make_person(acme, "Rory Report", manager=tess)
    make_user(acme, role=Role.ADMIN, person=ada)
    make_user(acme, person=manny)
    make_user(acme, person=tess)
    make_user(acme, person=rory)
    goal = goal_create(
        organisation=acme,
        team=tess,
        owner=tess,
        title="Automate releases",
        meaning="One button releases.",
        why="Nobody loses a Friday to a release.",
        links_to_vision=True,
        actor=None,
    )

    # Rory raises a blocker on his team's goal: it goes to Tess, who owns it.
    sign_in(page, live_server.url, rory.email)
    page.goto(live_server.url + reverse("vision:goal", args=[goal.pk]))
    page.get_by_text("Raise a hazard").click()
    page.get_by_label("Blocker").check()
    page.get_by_label("Severity").select_option(label="High")
    page.get_by_label("What is in the way?").fill("The release pipeline needs a licence.")
    page.get_by_role("button", name="Raise the hazard").click()
    expect(page.get_by_text("Tess Teamlead is told now")).to_be_visible()
    expect(page.locator("#hazard-status")).to_contain_text("with Tess Teamlead")
    assert [m.to for m in mail.outbox] == [[tess.email]]
    sign_out(page)

    # Nobody acknowledges it: a day later it is Manny's, a day after that Ada's.
    interval = escalation_interval()
    hazard = Hazard.objects.get()
    hazards_escalate(now=hazard.reached_at + interval)
    hazard.refresh_from_db()
    hazards_escalate(now=hazard.reached_at + interval)
    assert [m.to[0] for m in mail.outbox] == [tess.email, manny.email, ada.email]

    # Ada sees it on the leaders' board, above the severity she picks, and acknowledges it.
    sign_in(page, live_server.url, ada.email)
    page.get_by_role("link", name="Vision", exact=True).click()
    page.get_by_role("link", name="Open hazards").click()
    page.get_by_label("At least").select_option(label="High")
    page.get_by_role("button", name="Show").click()
    row = page.locator("#hazards tbody tr", has_text="Automate releases")
    expect(row).to_contain_text("Ada Admin")
    row.get_by_role("link", name="The release pipeline needs a licence.").click()
    path = page.locator("#hazard-path li")
    expect(path).to_have_count(3)
    expect(path.nth(0)).to_contain_text("Tess Teamlead")
    expect(path.nth(1)).to_contain_text("Manny Manager")
    expect(path.nth(2)).to_contain_text("Ada Admin")
    page.get_by_role("button", name="Acknowledge: I will take it from here").click()
    expect(page.locator("#hazard-status")).to_contain_text("Acknowledged by Ada Admin")
    assert mail.outbox[-1].to == [rory.email]  # whoever raised it hears it was picked up

    # Acknowledged, it climbs no further and leaves the board.
    hazard.refresh_from_db()
    assert hazards_escalate(now=timezone.now() + 10 * interval) == []
    page.get_by_role("link", name="Vision cascade").click()
    page.get_by_role("link", name="Open hazards").click()
    expect(page.locator("#hazards")).to_contain_text("No open hazard")
