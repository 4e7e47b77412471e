"""Each person reads Tandem in their own language, and the numbers never depend on it.

1. Pablo, a peer whose browser asks for Spanish, answers the Spanish sheet through his emailed
   link; Emma reads her report in English, and Pablo's answers are the same codes as the
   English answers would be.
2. Emma chose Arabic: her report page and its PDF run right to left.
"""

from __future__ import annotations

import io
import re
import time
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tandem.accounts.models import Role
from tandem.cycles.models import Answer, Nomination, Participant
from tandem.cycles.release import cycle_release
from tandem.cycles.services import (
    cycle_close,
    nomination_add,
    nominations_approve,
    nominations_submit,
)
from tandem.measure import load_instrument
from tests.browser.axe import axe_violations, describe
from tests.browser.people import link_in_mail_to
from tests.cycles.builders import fill_sheet, launched_cycle_for
from tests.factories import PASSWORD, make_organisation, make_person, make_user


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """axe is injected as a script, which the pages' Content-Security-Policy would refuse."""
    return {**browser_context_args, "bypass_csp": True}


SPANISH = load_instrument("tandem-lm-1", language="es")
ARABIC = load_instrument("tandem-lm-1", language="ar")
ENGLISH = load_instrument("tandem-lm-1")


def _cycle_with_raters(*, emma_language: str = "") -> tuple[Participant, dict[str, object]]:
    acme = make_organisation("Acme")
    ada = make_person(acme, "Ada Admin")
    manny = make_person(acme, "Manny Manager", manager=ada)
    emma = make_person(acme, "Emma Employee", manager=manny)
    make_user(acme, role=Role.EMPLOYEE, person=emma, language=emma_language)
    cycle = launched_cycle_for(acme, None, [emma])
    participant = Participant.objects.get(cycle=cycle, person=emma)
    peers = {name: make_person(acme, name, manager=manny) for name in ("Pablo", "Pat", "Quinn")}
    for person in peers.values():
        nomination_add(participant=participant, rater=person, group="peer", actor=None)
    nominations_submit(participant=participant, actor=None)
    nominations_approve(participant=participant, actor=None)
    return participant, {"manny": manny, **peers}


def _release(participant: Participant, *, skip: Nomination | None = None) -> None:
    for k, nomination in enumerate(participant.nominations.order_by("pk")):
        if nomination != skip:
            fill_sheet(nomination, 2 + k % 4)
    cycle_close(cycle=participant.cycle, actor=None)
    cycle_release(cycle=participant.cycle, actor=None, notify=False)


def _sign_in(page: Page, base: str, email: str) -> None:
    """Signs in without reading the page's words: they are in the person's language."""
    page.goto(base + reverse("accounts:login"))
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(re.compile(r"^(?!.*sign-in).*$"))


def test_a_spanish_rater_answers_in_spanish_and_the_report_reads_in_english(  # type: ignore[no-untyped-def]
    live_server, transactional_db, browser: Browser, page: Page
) -> None:
    base = live_server.url
    participant, raters = _cycle_with_raters()
    pablo = raters["Pablo"]
    spanish_browser = browser.new_context(
        locale="es-ES", viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    sheet = spanish_browser.new_page()
    sheet.goto(base + link_in_mail_to(pablo.email))  # type: ignore[attr-defined]
    expect(sheet.locator("html")).to_have_attribute("lang", "es")
    sheet.get_by_role("link", name="Emma Employee").click()
    questions = sheet.locator("[lang=es] fieldset.question")
    expect(questions).to_have_count(len(SPANISH.items))
    expect(questions.first).to_contain_text(SPANISH.items[0].observer_text or "")
    violations = axe_violations(sheet)
    assert not violations, describe(violations)
    often = SPANISH.response_scale().labels[3]  # the answer 4: "Often"
    for k in range(len(SPANISH.items)):
        questions.nth(k).get_by_role("radio", name=often, exact=True).check()
    nomination = Nomination.objects.get(participant=participant, rater=pablo)
    deadline = time.monotonic() + 30
    while Answer.objects.filter(nomination=nomination).count() < len(SPANISH.items):
        assert time.monotonic() < deadline, "the Spanish answers were not all saved"
        sheet.wait_for_timeout(200)
    spanish_browser.close()
    # The codes stored are the questionnaire's, whatever the language they were chosen in.
    stored = dict(Answer.objects.filter(nomination=nomination).values_list("item_id", "value"))
    assert stored == dict.fromkeys(ENGLISH.item_ids, 4)

    _release(participant, skip=nomination)
    _sign_in(page, base, participant.person.email)
    page.goto(base + reverse("cycles:report", args=[participant.pk]))
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    main = page.locator("main")
    expect(main).to_contain_text(ENGLISH.scales[0].name)
    expect(main).not_to_contain_text(SPANISH.scales[0].name)


def test_an_arabic_readers_report_and_pdf_run_right_to_left(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    base = live_server.url
    participant, _raters = _cycle_with_raters(emma_language="ar")
    _release(participant)
    _sign_in(page, base, participant.person.email)
    page.goto(base + reverse("cycles:report", args=[participant.pk]))
    html = page.locator("html")
    expect(html).to_have_attribute("dir", "rtl")
    expect(html).to_have_attribute("lang", "ar")
    main = page.locator("main")
    expect(main).to_contain_text(ARABIC.scales[0].name)
    assert main.evaluate("element => getComputedStyle(element).direction") == "rtl"
    violations = axe_violations(page)
    assert not violations, describe(violations)
    pdf = page.request.get(base + reverse("cycles:report_pdf", args=[participant.pk]))
    assert pdf.ok
    reader = PdfReader(io.BytesIO(pdf.body()))
    first = reader.pages[0]
    width = float(first.mediabox.width)
    starts: list[float] = []

    def where(text: str, _cm: object, tm: list[float], _font: object, _size: object) -> None:
        if "Emma Employee" in text:
            starts.append(tm[4])

    first.extract_text(visitor_text=where)
    assert starts, "the PDF names Emma"
    assert starts[0] > width / 2, "the PDF's heading starts on the right half: right to left"
