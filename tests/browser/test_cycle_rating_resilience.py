"""Answers are not lost to a bad connection: one given offline is said to be unsaved and sent
when the connection is back; one given before the page has finished loading is sent as soon as
the page is ready."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from playwright.sync_api import BrowserContext, Page, Route, expect

from tandem.cycles.instruments import instrument_default_install
from tandem.cycles.models import Answer, CycleScope
from tandem.cycles.services import cycle_create, cycle_launch
from tests.factories import make_organisation, make_person


def _sheet_link(live_server) -> str:  # type: ignore[no-untyped-def]
    """Launch a one-person cycle and return the emailed link to Emma's inbox."""
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
    return live_server.url + match.group(1)


def _open_own_sheet_and_wait_for_its_script(page: Page) -> None:
    """Open the rater's own sheet from the inbox and wait until its script has taken over.

    The inbox has no "save my answers" button, so waiting for it to be hidden alone would pass
    before the sheet has even loaded: wait for it to be there first, then hidden by the script.
    """
    page.get_by_role("link", name="Yourself").click()
    save_all = page.locator("[data-save-all]")
    expect(save_all).to_be_attached()
    expect(save_all).to_be_hidden()


def test_an_answer_survives_a_lost_connection(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page, context: BrowserContext
) -> None:
    page.goto(_sheet_link(live_server))
    # Ready: answers save as they are given, so the button that saves them all at once is gone.
    # (Going offline before the scripts arrive is the next test's case.)
    _open_own_sheet_and_wait_for_its_script(page)

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


def test_an_answer_given_before_the_page_is_ready_is_saved(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    page.goto(_sheet_link(live_server))
    held: list[Route] = []
    # A slow network: the sheet's script is held back until the answer has been given.
    page.route(re.compile(r"cycles/rating[^/]*\.js"), lambda route: held.append(route))
    page.get_by_role("link", name="Yourself").click(no_wait_after=True)

    question = page.locator("fieldset.question").first
    question.locator("input[type=radio]").nth(1).check()
    expect(question.locator(".save-status")).to_have_text("")
    expect(page.get_by_role("button", name="Save my answers")).to_be_visible()
    assert not Answer.objects.exists(), "nothing could be sent before the script arrived"

    for _ in range(50):  # the held request reaches the handler while Playwright is called
        if held:
            break
        page.wait_for_timeout(100)
    assert held, "the page asked for its script"
    held[0].continue_()
    expect(question.locator(".save-status")).to_have_text("Saved")
    assert Answer.objects.get().value == 2
    expect(page.get_by_role("button", name="Save my answers")).to_be_hidden()


def test_without_its_scripts_the_sheet_saves_every_answer_with_one_button(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    page.goto(_sheet_link(live_server))
    # The connection drops while the sheet loads: its script never arrives.
    page.route(re.compile(r"cycles/rating[^/]*\.js"), lambda route: route.abort())
    page.get_by_role("link", name="Yourself").click()

    questions = page.locator("fieldset.question")
    questions.nth(0).locator("input[type=radio]").nth(3).check()
    questions.nth(1).locator("input[type=radio]").nth(0).check()
    page.locator("textarea").first.fill("Keep writing the weekly notes.")
    page.get_by_role("button", name="Save my answers").click()

    expect(page.get_by_text("Your answers are saved.")).to_be_visible()
    assert sorted(a.value for a in Answer.objects.exclude(value=None)) == [1, 4]
    assert Answer.objects.get(value=None).text == "Keep writing the weekly notes."
    expect(questions.nth(0).locator("input[type=radio]").nth(3)).to_be_checked()


def test_an_answer_the_server_dropped_or_failed_is_sent_again_until_stored(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    page.goto(_sheet_link(live_server))
    _open_own_sheet_and_wait_for_its_script(page)
    calls: list[str] = []

    def flaky(route: Route) -> None:
        calls.append(route.request.method)
        if len(calls) == 1:
            route.abort("connectionreset")  # the request is dropped; the browser stays online
        elif len(calls) == 2:
            route.fulfill(status=500, content_type="text/html", body="<!doctype html><h1>oops")
        else:
            route.continue_()

    page.route(re.compile(r"/answer/$"), flaky)
    question = page.locator("fieldset.question").first
    status = question.locator(".save-status")
    question.locator("input[type=radio]").nth(3).check()
    expect(status).to_contain_text("did not reach the server")
    expect(status).to_contain_text("the server had a problem", timeout=10_000)
    expect(status).not_to_contain_text("<")  # never an error page as text
    expect(status).to_have_text("Saved", timeout=15_000)
    assert len(calls) == 3
    assert Answer.objects.get().value == 4


def test_answers_given_in_the_same_moment_travel_together_and_each_says_saved(  # type: ignore[no-untyped-def]
    live_server, transactional_db, page: Page
) -> None:
    page.goto(_sheet_link(live_server))
    posts: list[str] = []
    page.on(
        "request",
        lambda request: (
            posts.append(request.post_data or "")
            if request.method == "POST" and request.url.endswith("/answer/")
            else None
        ),
    )
    _open_own_sheet_and_wait_for_its_script(page)
    questions = page.locator("fieldset.question")
    # Five answers in quick succession (a rater going down the page, or a slow connection).
    page.evaluate(
        """() => {
            const sets = [...document.querySelectorAll("fieldset.question")].slice(0, 5);
            sets.forEach((set, k) => {
                const radio = set.querySelectorAll("input[type=radio]")[k % 5];
                radio.checked = true;
                radio.dispatchEvent(new Event("change", { bubbles: true }));
            });
        }"""
    )
    for k in range(5):
        expect(questions.nth(k).locator(".save-status")).to_have_text("Saved")
    assert len(posts) == 1 and posts[0].count("item=") == 5
    assert sorted(Answer.objects.values_list("value", flat=True)) == [1, 2, 3, 4, 5]
    expect(page.locator("#progress")).to_contain_text("5 of")
