"""On a 390 px phone nothing runs off the screen: the navigation wraps, the report fits."""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page

from tandem.accounts.models import Role
from tests.browser.people import sign_in
from tests.factories import make_organisation, make_person, make_user
from tests.growth.factories import make_released_result

PHONE = {"width": 390, "height": 844}


def _fits(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= PHONE["width"], f"the page is {overflow} px wide on a 390 px screen"
    for link in page.locator("nav[aria-label=Main] a").all():
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
            link.inner_text()
        )


def test_the_navigation_and_a_report_fit_a_phone(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    acme = make_organisation("Acme")
    manny = make_person(acme, "Manny Manager")
    emma = make_person(acme, "Emma Employee", manager=manny)
    make_user(acme, role=Role.ADMIN, person=emma)  # the longest navigation there is
    participant = make_released_result(emma)
    page.set_viewport_size(PHONE)
    sign_in(page, live_server.url, emma.email)
    for url in (
        reverse("web:home"),
        reverse("cycles:report", args=[participant.pk]),
        reverse("cycles:home"),
        reverse("growth:home"),
    ):
        page.goto(live_server.url + url)
        _fits(page)
