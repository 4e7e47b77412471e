"""The whole assessment story in a real browser, from launching a cycle to reading the PDF.

Ada (admin) launches a cycle for Emma; Emma rates herself and chooses two peers; Manny (her
manager) approves; Manny and the peers answer through their emailed links; Ada closes and
releases; Emma reads a report whose numbers are what ``tandem.measure`` computes from the
stored answers. Two peers are below the peer minimum of three, so the peer group must appear
nowhere: not on the page, not in the PDF, not in the CSV export.
"""

from __future__ import annotations

import io
import json
import re

from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tandem.accounts.models import Role
from tandem.cycles.instruments import instrument_of
from tandem.cycles.models import Nomination, Participant, ReleasedSheet, Report
from tandem.cycles.release import Sheet, answer_matrix
from tandem.cycles.reporting.numbers import format_score
from tandem.measure import score_360
from tests.browser.people import link_in_mail_to, pick, sign_in, sign_out
from tests.factories import make_organisation, make_person, make_user


def _answer_every_question(page: Page, seed: int, *, questions_on_sheet: int) -> None:
    """Choose an answer for each question: the first on its own, waiting until it is saved;
    the rest one after another as a quick rater would (the sheet sends answers given in the
    same moment together), then every one of them must say it is saved.

    Waits for the whole sheet first: ``count()`` does not wait, and counted while the click
    that opens the sheet is still loading it would see the previous page's zero questions.
    """
    questions = page.locator("fieldset.question")
    expect(questions).to_have_count(questions_on_sheet)
    for k in range(questions_on_sheet):
        question = questions.nth(k)
        options = question.locator("input[type=radio]")
        options.nth((seed + k) % min(5, options.count())).check()
        if k == 0:
            expect(question.locator(".save-status")).to_have_text("Saved")
    for k in range(questions_on_sheet):
        expect(questions.nth(k).locator(".save-status")).to_have_text("Saved")
    page.get_by_label(re.compile("keep doing")).fill(f"Keep the weekly demos ({seed}).")
    expect(page.locator("#status-keep")).to_have_text("Saved")


def test_a_cycle_from_launch_to_pdf(live_server, transactional_db, page: Page) -> None:  # type: ignore[no-untyped-def]
    base = live_server.url
    acme = make_organisation("Acme")
    ada = make_person(acme, "Ada Admin", title="Chief Executive")
    manny = make_person(acme, "Manny Manager", manager=ada)
    emma = make_person(acme, "Emma Employee", manager=manny)
    pat = make_person(acme, "Pat Peer", manager=manny)
    quinn = make_person(acme, "Quinn Peer", manager=manny)
    make_user(acme, role=Role.ADMIN, person=ada)
    make_user(acme, role=Role.EMPLOYEE, person=manny)
    make_user(acme, role=Role.EMPLOYEE, person=emma)

    # Ada launches a cycle for Emma.
    sign_in(page, base, ada.email)
    page.get_by_role("link", name="Cycles", exact=True).click()
    page.get_by_role("link", name="Manage cycles").click()
    page.get_by_role("link", name="New cycle").click()
    page.get_by_label("Name").fill("Autumn 360")
    page.get_by_label("Chosen people").check()
    pick(page, "People taking part", "Emma Employee")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Cycle saved as a draft")).to_be_visible()
    page.get_by_role("link", name="Launch the cycle").click()
    expect(page.get_by_text("1 person takes part")).to_be_visible()
    page.get_by_role("button", name="Yes, launch and send the emails").click()
    expect(page.get_by_text("Launched: participants")).to_be_visible()
    sign_out(page)
    instrument = instrument_of(Participant.objects.get(person=emma).cycle.instrument)

    # Emma rates herself; an answer survives a reload.
    sign_in(page, base, emma.email)
    page.get_by_role("link", name="Cycles", exact=True).click()
    page.get_by_role("link", name="Autumn 360").click()
    page.get_by_role("link", name="Start").click()
    # The sheet shows no template syntax (a two-line {# #} comment used to show above "I am done").
    expect(page.get_by_role("button", name="I am done")).to_be_visible()
    assert "{#" not in page.locator("main").inner_text()
    first = page.locator("fieldset.question").first
    first.locator("input[type=radio]").nth(3).check()
    expect(first.locator(".save-status")).to_have_text("Saved")
    page.reload()
    expect(
        page.locator("fieldset.question").first.locator("input[type=radio]").nth(3)
    ).to_be_checked()
    _answer_every_question(page, seed=1, questions_on_sheet=len(instrument.all_items))
    page.get_by_role("button", name="I am done").click()
    expect(page.get_by_text("Thank you")).to_be_visible()

    # Emma chooses two peers and sends the list.
    page.goto(base + reverse("cycles:home"))
    page.get_by_role("link", name="Autumn 360").click()
    for peer in ("Pat Peer", "Quinn Peer"):
        pick(page, "Colleague", peer)
        page.get_by_label("They are my").select_option("peer")
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_text(f"{peer} added.")).to_be_visible()
    # Two peers and nobody to combine them with: Emma is told plainly they would count for nothing.
    expect(page.get_by_text("2 peers: fewer than 3, and too few to combine")).to_be_visible()
    page.get_by_role("button", name="Send the list to my manager").click()
    expect(page.get_by_text("Sent to your manager")).to_be_visible()
    sign_out(page)

    # Manny approves.
    sign_in(page, base, manny.email)
    page.get_by_role("link", name="Cycles", exact=True).click()
    page.get_by_role("link", name="Emma Employee").click()
    page.get_by_role("button", name="Approve the list").click()
    expect(page.get_by_text("Approved: every rater now has their link.")).to_be_visible()
    sign_out(page)

    # Each rater answers through their own link, without signing in.
    for seed, rater in enumerate((manny, pat, quinn), start=2):
        page.goto(base + link_in_mail_to(rater.email))
        if rater is not manny:  # the peers hear it before they spend their time
            expect(page.get_by_text("Too few peers so far")).to_be_visible()
        page.get_by_role("link", name="Emma Employee").click()
        too_small = page.locator("#group-too-small")
        if rater is manny:
            expect(too_small).to_have_count(0)
        else:
            expect(too_small).to_contain_text("will not appear in the report at all")
        _answer_every_question(page, seed=seed, questions_on_sheet=len(instrument.items))

    # Every choice reached the database, on the right sheet.
    rated = len(instrument.items)
    for rater in (manny, pat, quinn):
        sheet = Nomination.objects.get(participant__person=emma, rater=rater)
        assert sheet.answers.exclude(value=None).count() == rated, f"{rater.name}'s answers"

    # Ada closes the cycle and releases the reports.
    sign_in(page, base, ada.email)
    page.goto(base + reverse("cycles:manage"))
    page.get_by_role("link", name="Autumn 360").click()
    expect(page.get_by_role("row", name=re.compile(r"^Peer 2 2 0"))).to_be_visible()
    expect(page.locator(".small-groups")).to_contain_text("Emma Employee: 2 peers")
    page.get_by_role("link", name="Close the cycle now").click()
    expect(page.get_by_text("Closing cannot be undone.")).to_be_visible()
    page.get_by_role("button", name="Yes, close the cycle").click()
    expect(page.get_by_text("Closed: answers can no longer change.")).to_be_visible()
    page.get_by_role("link", name="Release the reports").click()
    # Two peers are below the minimum of three: the page says so before anything happens.
    expect(page.get_by_text("In 1 report a group of raters is below its minimum")).to_be_visible()
    page.get_by_role("button", name="Yes, release the reports").click()
    expect(page.get_by_text("Released: each participant")).to_be_visible()
    # A rater's link now explains that the cycle is closed.
    page.goto(base + link_in_mail_to(pat.email))
    expect(page.get_by_role("heading", name="This cycle is closed")).to_be_visible()
    page.goto(base + reverse("web:home"))
    sign_out(page)

    # Emma reads her report: the numbers are tandem.measure's, from the stored answers.
    participant = Participant.objects.get(person=emma)
    sheets = [
        Sheet(
            participant=participant.pk,
            group=s.group,
            values=dict(s.answers.values_list("item_id", "value")),
        )
        for s in ReleasedSheet.objects.filter(participant=participant)
    ]
    answers, ratee, groups = answer_matrix(sheets, instrument, [participant.pk])
    expected = json.loads(
        json.dumps(
            next(
                score_360(
                    answers,
                    ratee=ratee,
                    group=groups,
                    instrument=instrument,
                    ratee_ids=[str(participant.pk)],
                    minimums=participant.cycle.minimums,
                    profile_cuts=(3.5, 3.5),
                ).ratee_dicts()
            )
        )
    )
    assert Report.objects.get(participant=participant).data["scales"] == expected["scales"]

    sign_in(page, base, emma.email)
    page.goto(base + reverse("cycles:report", args=[participant.pk]))
    expect(page.get_by_role("heading", name="Emma Employee")).to_be_visible()
    titles = {"self": "You", "manager": "Your manager", "all_others": "Everyone except you"}
    for scale in instrument.scales:
        table = page.get_by_role("table", name=f"{scale.name} in numbers")
        for aggregate in expected["scales"][scale.id]:
            assert aggregate["label"] in titles, aggregate
            row = table.get_by_role(
                "row", name=re.compile("^" + re.escape(titles[aggregate["label"]]))
            )
            expect(row.first).to_contain_text(format_score(aggregate["mean"]))
    page_text = page.locator("main").inner_text()
    assert "Peers" not in page_text and "Pat Peer" not in page_text
    assert "Keep the weekly demos (2)." in page_text  # the manager's comment, unattributed
    assert "(3)." not in page_text and "(4)." not in page_text  # the peers': group too small

    # The PDF says the same and nothing more.
    pdf = page.request.get(base + reverse("cycles:report_pdf", args=[participant.pk]))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    assert "Emma Employee" in pdf_text and "Setting direction" in pdf_text
    direction = {a["label"]: a for a in expected["scales"]["setting_direction"]}
    assert format_score(direction["all_others"]["mean"]) in pdf_text
    assert "Peers" not in pdf_text and "Keep the weekly demos (4)." not in pdf_text
    assert "Keep the weekly demos (2)." in pdf_text

    # So does the CSV export.
    exported = page.request.get(base + reverse("cycles:report_csv", args=[participant.pk]))
    assert exported.ok
    csv_text = exported.text()
    assert "setting_direction" in csv_text or "Setting direction" in csv_text
    assert "peer" not in csv_text.lower()
