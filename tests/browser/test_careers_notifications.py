"""A decision reaches the candidate without her going to look for it: the people team finds the
proposed case waiting on their home page and decides it; the candidate gets an email and follows
its link, signing in on the way, to the decided case."""

from __future__ import annotations

import datetime
import re

from django.core import mail
from playwright.sync_api import Page, expect

from tandem.accounts.models import Role
from tandem.careers.services import (
    case_argue,
    case_open,
    case_propose,
    evidence_endorse,
    evidence_log,
    framework_default_install,
)
from tests.browser.people import sign_in, sign_out
from tests.factories import PASSWORD, make_organisation, make_person, make_user


def test_the_decision_reaches_the_candidate_by_email_and_its_link_opens_the_case(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page, settings
) -> None:
    settings.SITE_URL = live_server.url  # the emailed links point at this test server
    acme = make_organisation("Acme")
    version = framework_default_install(organisation=acme, actor=None)
    harriet = make_person(acme, "Harriet Hr", title="People Partner")
    make_user(acme, role=Role.PEOPLE_TEAM, person=harriet)
    manny = make_person(acme, "Manny Manager")
    manny_user = make_user(acme, person=manny)
    emma = make_person(acme, "Emma Employee", manager=manny)
    make_user(acme, person=emma)
    level = version.tracks.get(key="ic").levels.get(number=3)
    criteria = list(level.criteria.all())
    case = case_open(candidate=emma, target_level=level, actor=manny_user)
    for criterion in criteria:
        entry = evidence_log(
            person=emma,
            what=f"Work on: {criterion.theme}",
            happened_on=datetime.date(2026, 3, 3),
            criteria=[criterion],
            actor=None,
        )
        evidence_endorse(evidence=entry, endorser=manny, actor=None)
        case_argue(
            case=case,
            criterion=criterion,
            text="Shown all year.",
            evidence=[entry],
            author=manny,
            actor=manny_user,
        )
    case_propose(case=case, actor=manny_user)
    mail.outbox.clear()

    # Harriet finds the case waiting for her on the home page, and decides it.
    sign_in(page, live_server.url, harriet.email)
    waiting = page.locator("#waiting")
    row = waiting.get_by_role("row", name=re.compile("Emma Employee"))
    expect(row).to_contain_text("Individual contributor, level 3")
    row.get_by_role("link", name="Record the decision").click()
    page.get_by_role("link", name="Record the decision").click()
    for criterion in criteria:
        section = page.locator(f"#decide-{criterion.pk}")
        section.get_by_label("Met", exact=True).check()
        section.get_by_label(f"Reason for “{criterion.text}”").fill("Shown all year.")
    page.get_by_label("Approved: moves to the target level").check()
    page.get_by_label("Reason for the outcome").fill("Every criterion is shown, and endorsed.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The decision is recorded; Emma Employee can read it.")).to_be_visible()
    page.goto(live_server.url + "/")
    expect(page.locator("#waiting")).to_contain_text("Nothing is waiting for you right now.")
    sign_out(page)

    # Emma and Manny are told; Harriet, who decided, is not.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([emma.email, manny.email])
    message = next(m for m in mail.outbox if m.to == [emma.email])
    assert message.subject == "A decision on your promotion case"
    assert ": approved." in message.body
    found = re.search(r"^(http\S+)$", message.body, re.MULTILINE)
    assert found is not None
    link = found.group(1)
    assert link == f"{live_server.url}/careers/cases/{case.pk}/#decision"

    # Emma follows the link from her email, signs in on the way, and reads the decision.
    page.goto(link)
    page.get_by_label("Email").fill(emma.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(rf"/careers/cases/{case.pk}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Emma Employee for Individual contributor, level 3"
    )
    expect(page.locator("#decision")).to_contain_text("Decision: Approved")
    expect(page.locator("#decision")).to_contain_text("Every criterion is shown, and endorsed.")
    expect(page.locator(f"#criterion-{criteria[0].pk}")).to_contain_text(
        "Decision: Met. Shown all year."
    )
    # Her home page points at the decision too.
    page.goto(live_server.url + "/")
    decision = page.locator("#waiting").get_by_role(
        "link", name="Read the decision on your case: Approved"
    )
    expect(decision).to_be_visible()
