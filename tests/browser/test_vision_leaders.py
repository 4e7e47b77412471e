"""On a seeded nomination survey, the people team finds the known informal leader."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.accounts.models import Role
from tandem.vision.models import Nomination
from tests.browser.people import pick, sign_in, sign_out
from tests.factories import make_organisation, make_person, make_user
from tests.vision.network_seed import seed_network


def test_a_nomination_survey_finds_the_known_informal_leader(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    acme = make_organisation("Acme")
    ada = make_person(acme, "Ada Admin", title="Chief Executive", department="Executive")
    harriet = make_person(acme, "Harriet Hr", manager=ada, department="People")
    make_user(acme, role=Role.ADMIN, person=ada)
    make_user(acme, role=Role.PEOPLE_TEAM, person=harriet)
    seeded = seed_network(acme, top=ada)
    newcomer = seeded.engineers[0]
    make_user(acme, person=newcomer)
    make_user(acme, person=seeded.oona)

    # An engineer answers the survey in the browser. Oona opted out, so is not offered.
    sign_in(page, live_server.url, newcomer.email)
    page.get_by_role("link", name="Vision", exact=True).click()
    page.get_by_role("link", name="Who do you go to?").click()
    direction = page.get_by_role("combobox", name="Who do you go to for direction?")
    direction.fill("Oona")
    expect(page.get_by_text("Nobody matches “Oona”.")).to_be_visible()
    direction.fill("")
    pick(page, "Who do you go to for direction?", "Ines Influencer")
    pick(page, "Who do you go to to get things done?", "Bram Bridge")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("No one will see whom you named.")).to_be_visible()
    # What they named is never shown back, not even to them.
    expect(page.locator("#nominations .chip")).to_have_count(0)
    assert Nomination.objects.filter(nominator=newcomer).count() == 2
    sign_out(page)

    # The people team finds Ines: central, and managing no one. Mona, as central, manages.
    sign_in(page, live_server.url, harriet.email)
    page.get_by_role("link", name="Vision", exact=True).click()
    page.get_by_role("link", name="Leaders everywhere").click()
    leaders = page.locator("#informal-leaders tbody tr")
    expect(leaders.first).to_contain_text("Ines Influencer")
    expect(leaders.first).to_contain_text("5 people")
    expect(page.locator("#informal-leaders")).not_to_contain_text("Mona Manager")
    expect(page.locator("#brokers")).to_contain_text("Bram Bridge")
    expect(page.locator("main")).not_to_contain_text("Oona Optout")
    sign_out(page)

    # Oona stays out; an engineer with no reports cannot open the page at all.
    sign_in(page, live_server.url, seeded.oona.email)
    response = page.goto(live_server.url + reverse("vision:leaders"))
    assert response is not None and response.status == 403
