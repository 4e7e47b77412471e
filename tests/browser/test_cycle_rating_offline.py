"""An answer given while the connection is down is said to be unsaved, then sent when it is back."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from playwright.sync_api import BrowserContext, Page, expect

from tandem.cycles.instruments import instrument_default_install
from tandem.cycles.models import Answer, CycleScope
from tandem.cycles.services import cycle_create, cycle_launch
from tests.factories import make_organisation, make_person


def test_an_answer_survives_a_lost_connection(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page, context: BrowserContext
) -> None:
    acme = make_organisation("Acme")
    emma = make_person(acme, "Emma Employee")
    today = dt.date.today()
    cycle = cycle_create(
        organisation=acme,
        name="Autumn 360",
        instrument=instrument_default_install(organisation=acme, actor=None),
        opens_on=today,
        closes_on=today + dt.timedelta(days=7),
        actor=None,
        scope=CycleScope.CHOSEN,
        chosen=[emma],
    )
    cycle_launch(cycle=cycle, actor=None)
    match = re.search(r"(/cycles/r/[A-Za-z0-9_-]+/)", mail.outbox[-1].body)
    assert match
    page.goto(live_server.url + match.group(1))
    page.get_by_role("link", name="Yourself").click()

    question = page.locator("fieldset.question").first
    context.set_offline(True)
    question.locator("input[type=radio]").nth(2).check()
    expect(question.locator(".save-status")).to_contain_text("Not saved yet")
    assert not Answer.objects.exists()

    context.set_offline(False)
    expect(question.locator(".save-status")).to_have_text("Saved")
    assert Answer.objects.get().value == 3
    page.reload()
    expect(
        page.locator("fieldset.question").first.locator("input[type=radio]").nth(2)
    ).to_be_checked()
