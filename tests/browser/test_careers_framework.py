"""An employee reads the career framework in a real browser and sees their level and the next."""

from __future__ import annotations

import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.accounts.models import Role
from tandem.careers.services import framework_default_install
from tests.factories import PASSWORD, make_organisation, make_person, make_user


def test_employee_reads_the_framework(live_server, transactional_db, page: Page) -> None:  # type: ignore[no-untyped-def]
    acme = make_organisation("Acme")
    emma = make_person(acme, "Emma Employee", track="ic", level=2)
    make_user(acme, role=Role.EMPLOYEE, person=emma)
    framework_default_install(organisation=acme, actor=None)

    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Email").fill(emma.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Sign in", re.I)).click()

    page.get_by_role("link", name="Careers", exact=True).click()
    expect(page.get_by_role("heading", name="Career framework")).to_be_visible()
    position = page.locator("#position")
    expect(position).to_contain_text("You are here")
    expect(position).to_contain_text("Individual contributor, level 2: Practitioner")
    expect(position).to_contain_text("Next level")
    expect(position).to_contain_text("Level 3: Experienced")
    expect(page.locator("#sideways")).to_contain_text("normal and respected choice")

    # Every track is readable, not only Emma's own.
    page.get_by_role("link", name="People manager").click()
    expect(page.get_by_role("heading", name="People manager", level=1)).to_be_visible()
    expect(page.locator("#level-1")).to_contain_text("Holds regular one-to-ones")
    expect(page.get_by_text("You are here")).to_have_count(0)

    # Her own track marks where she is and what comes next.
    page.go_back()
    position.get_by_role("link", name=re.compile("Level 3: Experienced")).click()
    expect(page).to_have_url(re.compile(r"/careers/tracks/ic/#level-3$"))
    expect(page.locator("#level-2")).to_contain_text("You are here")
    expect(page.locator("#level-3")).to_contain_text("Next level")
    expect(page.locator("#level-3")).to_contain_text("Weighs cost, risk and time honestly")
