"""What a careful reader sees in the browser cannot be used to recover anyone's answers.

Each test runs the same story twice, changing only answers that must stay hidden, and reads
everything the reader can read through the pages (results page; report page, PDF and CSV).
If the hidden answers could be worked out from what is shown, the two readings would differ.

1. Quick feedback, the attack found in the issue: four colleagues are asked; the fourth
   answers only the first of six questions. Before the fix the scale figure used three
   colleagues and the first question four, so the fourth answer followed by subtraction.
2. A 360 where one of three peers chose "not observed" on a question: the other two peers'
   answers to it are below the peer minimum there. Before the fix they were moved into the
   pooled figure for that question, and the stored report let them be taken back out.
"""

from __future__ import annotations

import io
import re

from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tandem.accounts.models import Role
from tandem.cycles.instruments import instrument_of
from tandem.cycles.models import Participant, Report
from tandem.cycles.release import cycle_release
from tandem.cycles.services import (
    answer_save,
    cycle_close,
    nomination_add,
    nominations_approve,
    nominations_submit,
)
from tandem.growth.services import feedback_request_create
from tandem.measure import load_instrument
from tests.browser.people import sign_in, sign_out
from tests.cycles.builders import fill_sheet, launched_cycle_for
from tests.factories import make_organisation, make_person, make_user

LABELS = {1: "Never or almost never", 3: "Sometimes", 4: "Often", 5: "Almost always"}


def _answer_by_link(page: Page, link: str, label: str, *, only_first: bool = False) -> None:
    """Answer every question with ``label``; or only the first, and "not observed" to the rest."""
    page.goto(link)
    radios = page.get_by_role("radio", name=label, exact=True)
    for n in range(radios.count()):
        if only_first and n > 0:
            page.get_by_role("radio", name=re.compile("^Not observed")).nth(n).check()
        else:
            radios.nth(n).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.locator("#thanks")).to_be_visible()


def _quick_feedback_results(page: Page, base: str, fourth_answer: str, round_name: str) -> str:
    """Emma asks four colleagues; three answer everything, the fourth one question. Returns
    the results section as Emma reads it."""
    acme = make_organisation(f"Acme {round_name}")
    manny = make_person(acme, "Manny Manager")
    emma = make_person(acme, "Emma Employee", manager=manny)
    make_user(acme, role=Role.EMPLOYEE, person=emma)
    colleagues = [make_person(acme, f"Colleague {k}", manager=manny) for k in range(4)]
    mail.outbox.clear()
    request = feedback_request_create(
        person=emma,
        instrument=load_instrument("tandem-lm-1"),
        scale_ids=["setting_direction"],
        respondents=colleagues,
        note="",
        actor=None,
    )
    links = []
    for person in colleagues:
        message = next(m for m in mail.outbox if person.email in m.to)
        match = re.search(r"/growth/feedback/answer/[\w-]+/", message.body)
        assert match is not None
        links.append(base + match.group(0))
    for link, label in zip(links[:3], ("Often", "Sometimes", "Almost always"), strict=True):
        _answer_by_link(page, link, label)
    _answer_by_link(page, links[3], fourth_answer, only_first=True)
    sign_in(page, base, emma.email)
    page.goto(base + reverse("growth:feedback", args=[request.pk]))
    results = page.locator("#feedback-results")
    expect(results.locator(".score")).to_contain_text("from 3 colleagues")
    text = results.inner_text()
    sign_out(page)
    return text


def test_quick_feedback_no_longer_gives_away_a_colleagues_answer(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    low = _quick_feedback_results(page, live_server.url, "Never or almost never", "one")
    high = _quick_feedback_results(page, live_server.url, "Almost always", "two")
    assert low == high
    # The first question's figure comes from the same three colleagues as the scale's.
    assert "too few answers" not in low


def _released_report(peer_answer: int, round_name: str) -> tuple[Participant, dict]:
    """Emma rated by herself, her manager, three peers and three colleagues (group "other");
    the third peer did not observe the first question, the other two answer it with
    ``peer_answer``. Everything else is the same in every round."""
    acme = make_organisation(f"Acme {round_name}")
    ada = make_person(acme, "Ada Admin")
    manny = make_person(acme, "Manny Manager", manager=ada)
    emma = make_person(acme, "Emma Employee", manager=manny)
    for person, role in ((ada, Role.ADMIN), (manny, Role.EMPLOYEE), (emma, Role.EMPLOYEE)):
        make_user(acme, role=role, person=person)
    cycle = launched_cycle_for(acme, ada, [emma])
    participant = Participant.objects.get(cycle=cycle, person=emma)
    raters = [(make_person(acme, f"Peer {k}", manager=manny), "peer") for k in range(3)]
    raters += [(make_person(acme, f"Colleague {k}"), "other") for k in range(3)]
    for person, group in raters:
        nomination_add(participant=participant, rater=person, group=group, actor=None)
    nominations_submit(participant=participant, actor=None)
    nominations_approve(participant=participant, actor=None)
    first = instrument_of(cycle.instrument).items[0].id
    peers = 0
    for k, nomination in enumerate(participant.nominations.order_by("group", "pk")):
        fill_sheet(nomination, 2 + k % 4, comment=f"Comment {nomination.group} {k}")
        if nomination.group == "peer":
            peers += 1
            value = "0" if peers == 3 else str(peer_answer)  # 0: "not observed"
            answer_save(nomination=nomination, item_id=first, value=value)
    cycle_close(cycle=cycle, actor=None)
    cycle_release(cycle=cycle, actor=None, notify=False)
    return participant, Report.objects.get(participant=participant).data


def _everything_emma_can_read(page: Page, base: str, participant: Participant) -> dict:
    sign_in(page, base, participant.person.email)
    page.goto(base + reverse("cycles:report", args=[participant.pk]))
    expect(page.get_by_role("heading", name="Emma Employee")).to_be_visible()
    html = page.locator("main").inner_text()
    pdf = page.request.get(base + reverse("cycles:report_pdf", args=[participant.pk]))
    assert pdf.ok
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.body())).pages)
    exported = page.request.get(base + reverse("cycles:report_csv", args=[participant.pk]))
    assert exported.ok
    sign_out(page)
    return {"page": html, "pdf": pdf_text, "csv": exported.text()}


def _lines(text: str) -> list[str]:
    """The text's lines in sorted order, dates masked: comments are shown in random order."""
    masked = re.sub(r"\d{1,2} \w+ \d{4}|\d{4}-\d{2}-\d{2}", "<date>", text)
    return sorted(masked.splitlines())


def test_two_peers_below_the_minimum_on_a_question_leave_no_trace(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    base = live_server.url
    one, stored_one = _released_report(1, "one")
    two, stored_two = _released_report(5, "two")
    for key in ("scales", "items", "self_other", "profile", "norms"):
        assert stored_one[key] == stored_two[key], key
    first = load_instrument("tandem-lm-1").items[0].id  # the question one peer did not observe
    assert "peer" not in {a["label"] for a in stored_one["items"][first]}
    read_one = _everything_emma_can_read(page, base, one)
    read_two = _everything_emma_can_read(page, base, two)
    for what in ("page", "pdf", "csv"):
        assert _lines(read_one[what]) == _lines(read_two[what]), what
