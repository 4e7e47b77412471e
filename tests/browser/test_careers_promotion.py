"""Evidence to decision in a real browser: an employee logs evidence against the framework, her
manager endorses it and builds a promotion case from it, the people team decides criterion by
criterion, and the decision reaches her."""

from __future__ import annotations

import datetime
import re

from django.urls import reverse
from playwright.sync_api import Page, expect

from tandem.accounts.models import Role
from tandem.careers.models import CaseStatus, Evidence, PromotionCase
from tandem.careers.services import (
    case_argue,
    case_open,
    case_propose,
    evidence_endorse,
    evidence_log,
    framework_default_install,
    placement_set,
)
from tests.browser.people import pick, sign_in, sign_out
from tests.factories import make_organisation, make_person, make_user


def test_an_employee_logs_evidence_and_her_manager_builds_a_case_from_it(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    acme = make_organisation("Acme")
    version = framework_default_install(organisation=acme, actor=None)
    manny = make_person(acme, "Manny Manager", title="Engineering Manager")
    emma = make_person(acme, "Emma Employee", manager=manny)
    make_person(acme, "Pat Peer", manager=manny)
    make_user(acme, person=manny)
    make_user(acme, role=Role.EMPLOYEE, person=emma)
    placement_set(
        person=emma, track_key="ic", level_number=2, since=datetime.date(2026, 1, 5), actor=None
    )
    level3 = version.tracks.get(key="ic").levels.get(number=3)
    criterion = level3.criteria.get(text__startswith="Weighs cost, risk and time honestly")

    # Emma reads the framework, is asked for her quarter, and logs an accomplishment.
    sign_in(page, live_server.url, emma.email)
    page.get_by_role("link", name="Careers", exact=True).click()
    expect(page.locator("#position")).to_contain_text("Individual contributor, level 2")
    expect(page.locator("#quarter-prompt")).to_contain_text("You have not summarised this quarter")
    page.get_by_role("link", name="Log an accomplishment").click()
    page.get_by_label("What did you do?").fill("Chose the queue design after costing three options")
    page.get_by_label("When", exact=True).fill("2026-05-12")
    page.get_by_label("Link (optional)").fill("https://wiki.example.org/queue-decision")
    page.get_by_label(criterion.text).check()
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("Logged. It now counts as evidence")).to_be_visible()
    next_level = page.locator("#growth-level-3")
    expect(next_level).to_contain_text("Evidence so far for 1 of")
    expect(next_level.get_by_role("row", name=re.compile("Weighs cost, risk"))).to_contain_text(
        "Chose the queue design"
    )
    page.get_by_role("link", name="Write your Q").click()
    page.get_by_label("Your quarter in a few lines").fill("Queue design, two incidents, a talk.")
    page.get_by_role("button", name="Save the summary").click()
    expect(page.locator("#quarter-prompt")).to_have_count(0)
    sign_out(page)

    # Manny finds her through his team, endorses the entry and opens a case for level 3.
    sign_in(page, live_server.url, manny.email)
    page.get_by_role("link", name="Careers", exact=True).click()
    page.get_by_role("link", name="My growth").click()
    page.locator("#team").get_by_role("link", name="Emma Employee").click()
    expect(page.locator("#summaries")).to_contain_text("Queue design, two incidents, a talk.")
    page.get_by_label("A word on it (optional)").fill("I watched her do it")
    page.get_by_role("button", name="Endorse Chose the queue design").click()
    expect(page.get_by_text("Endorsed by Manny Manager")).to_be_visible()
    page.get_by_role("link", name="Open a promotion case").click()
    expect(page.get_by_label("Target level")).to_have_value(str(level3.pk))
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Emma Employee for Individual contributor, level 3"
    )
    page.get_by_role("link", name=f"Argue this criterion ({criterion.text})").click()
    # Her evidence for this criterion is linked already.
    expect(page.get_by_label(re.compile("Chose the queue design"))).to_be_checked()
    page.get_by_label("The case for this criterion").fill(
        "She costed three designs and chose the cheaper one with the team."
    )
    page.get_by_role("button", name="Save the argument").click()
    row = page.locator(f"#criterion-{criterion.pk}")
    expect(row).to_contain_text("Met")
    expect(row).to_contain_text("endorsed by Manny Manager")
    expect(page.locator("#readiness")).to_contain_text("Met: 1")
    # A colleague is asked for input with the people picker, not a drop-down of everyone.
    pick(page, "Ask a colleague for input", "Pat Peer")
    page.get_by_role("button", name="Ask for input").click()
    expect(page.get_by_text("Pat Peer can now read the case and add input.")).to_be_visible()
    page.get_by_role("button", name="Propose for calibration").click()
    expect(
        page.get_by_text("Proposed. The case goes to the next calibration session.")
    ).to_be_visible()

    case = PromotionCase.objects.get()
    assert case.status == CaseStatus.PROPOSED
    argument = case.arguments.get()
    assert list(argument.evidence.all()) == [Evidence.objects.get()]
    assert case.version == version


def test_a_decision_reaches_the_candidate(live_server, transactional_db, page: Page) -> None:  # type: ignore[no-untyped-def]
    acme = make_organisation("Acme")
    version = framework_default_install(organisation=acme, actor=None)
    harriet = make_person(acme, "Harriet Hr", title="People Partner")
    make_user(acme, role=Role.PEOPLE_TEAM, person=harriet)
    manny = make_person(acme, "Manny Manager")
    emma = make_person(acme, "Emma Employee", manager=manny)
    make_user(acme, person=emma)
    level = version.tracks.get(key="ic").levels.get(number=3)
    case = case_open(candidate=emma, target_level=level, actor=None)
    criteria = list(level.criteria.all())
    entry = evidence_log(
        person=emma,
        what="Ran the on-call rota",
        happened_on=datetime.date(2026, 3, 3),
        criteria=criteria[:1],
        actor=None,
    )
    evidence_endorse(evidence=entry, endorser=manny, actor=None)
    case_argue(
        case=case,
        criterion=criteria[0],
        text="Ran it well.",
        evidence=[entry],
        author=manny,
        actor=None,
    )
    case_propose(case=case, actor=None)

    sign_in(page, live_server.url, harriet.email)
    page.goto(live_server.url + reverse("careers:cases"))
    page.get_by_role("link", name="Emma Employee").click()
    page.get_by_role("link", name="Record the decision").click()
    for i, criterion in enumerate(criteria):
        section = page.locator(f"#decide-{criterion.pk}")
        verdict = "Met" if i == 0 else "Not yet"
        section.get_by_label(verdict, exact=True).check()
        section.get_by_label(f"Reason for “{criterion.text}”").fill(
            "Shown on the on-call rota."
            if i == 0
            else "No evidence yet: look for a chance this year."
        )
    page.get_by_label("Not yet", exact=True).last.check()
    page.get_by_label("Reason for the outcome").fill(
        "One criterion of the level is shown so far; we will look again next round."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The decision is recorded; Emma Employee can read it.")).to_be_visible()
    sign_out(page)

    sign_in(page, live_server.url, emma.email)
    page.goto(live_server.url + reverse("careers:cases"))
    expect(page.get_by_role("cell", name="Decided: Not yet")).to_be_visible()
    page.get_by_role("link", name="Emma Employee").click()
    expect(page.locator("#decision")).to_contain_text("Decision: Not yet")
    expect(page.locator("#decision")).to_contain_text("we will look again next round")
    expect(page.locator(f"#criterion-{criteria[0].pk}")).to_contain_text(
        "Decision: Met. Shown on the on-call rota."
    )
    expect(page.locator(f"#criterion-{criteria[1].pk}")).to_contain_text(
        "Decision: Not yet. No evidence yet"
    )
    # A decided case no longer explains how readiness is read: the decision replaced it.
    expect(page.locator("#readiness")).not_to_contain_text("Partly met: evidence linked")
