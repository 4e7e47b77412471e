"""A first cycle with one participant reads as honestly as a large one (issue: honest numbers).

Emma is rated by her manager, four peers and three direct reports; nobody else takes part.
Her report gives a verdict on every scale, a range on both indices and a placement that says
where its cuts come from (Tandem's fallback, named as one), all in the browser.
"""

from __future__ import annotations

from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.accounts.models import Role
from tandem.cycles.instruments import instrument_of
from tandem.cycles.models import Participant
from tandem.cycles.release import cycle_release
from tandem.cycles.services import (
    answer_save,
    cycle_close,
    nomination_add,
    nominations_approve,
    nominations_submit,
)
from tests.browser.people import sign_in
from tests.cycles.builders import launched_cycle_for
from tests.factories import make_organisation, make_person, make_user


def test_a_one_participant_pilot_gets_verdicts_ranges_and_named_cuts(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    acme = make_organisation("Acme")
    ada = make_person(acme, "Ada Admin")
    manny = make_person(acme, "Manny Manager", manager=ada)
    emma = make_person(acme, "Emma Employee", manager=manny)
    make_user(acme, role=Role.EMPLOYEE, person=emma)
    cycle = launched_cycle_for(acme, None, [emma])
    participant = Participant.objects.get(cycle=cycle, person=emma)
    raters = [(make_person(acme, f"Peer {k}", manager=manny), "peer") for k in range(4)]
    raters += [(make_person(acme, f"Report {k}", manager=emma), "direct_report") for k in range(3)]
    for person, group in raters:
        nomination_add(participant=participant, rater=person, group=group, actor=None)
    nominations_submit(participant=participant, actor=None)
    nominations_approve(participant=participant, actor=None)
    instrument = instrument_of(cycle.instrument)
    for k, nomination in enumerate(participant.nominations.order_by("pk")):
        items = instrument.all_items if nomination.group == "self" else instrument.items
        for j, item in enumerate(items):
            top = instrument.response_scale(item.response_scale).maximum
            value = 2 + (k * 7 + j * 3) % 4  # answers that differ by rater and question
            answer_save(nomination=nomination, item_id=item.id, value=str(min(value, top)))
    cycle_close(cycle=cycle, actor=None)
    cycle_release(cycle=cycle, actor=None, notify=False)

    sign_in(page, live_server.url, emma.email)
    page.goto(live_server.url + reverse("cycles:report", args=[participant.pk]))
    readings = page.locator("table.agreement tbody td strong.category")
    expect(readings).to_have_count(len(instrument.scales))
    for k in range(len(instrument.scales)):
        expect(readings.nth(k)).not_to_have_text("Not compared")
    ranges = page.get_by_role("table", name="Placement in numbers").locator(
        "tbody tr td:nth-child(3)"
    )
    for k in range(2):
        expect(ranges.nth(k)).to_contain_text(" to ")
    main = page.locator("main")
    expect(main).to_contain_text("Tandem's fallback, not chosen by anyone")
    expect(main).to_contain_text("only 1 person was rated by others")
    expect(main).to_contain_text("Bliese 2013")  # the reference the comparisons use is named
