"""Rating through the emailed link and signed in: autosave, validation, closed cycles."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tandem.cycles.instruments import instrument_of
from tandem.cycles.models import Answer, Nomination
from tandem.cycles.services import cycle_close, nominations_approve, nominations_submit
from tests.access.test_matrix import client_for
from tests.conftest import Personas
from tests.cycles.builders import launched_cycle, participant_of
from tests.rendered import assert_no_template_syntax


def _token_from_outbox() -> str:
    match = re.search(r"/cycles/r/([A-Za-z0-9_-]+)/", mail.outbox[-1].body)
    assert match
    return match.group(1)


@pytest.fixture
def own_sheet(personas: Personas, django_capture_on_commit_callbacks) -> tuple[str, Nomination]:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        cycle = launched_cycle(personas)
    nomination = participant_of(cycle, personas.employee_person).nominations.get(group="self")
    return _token_from_outbox(), nomination


def test_the_link_opens_the_inbox_and_the_sheet_without_sign_in(own_sheet) -> None:  # type: ignore[no-untyped-def]
    token, nomination = own_sheet
    client = Client()
    inbox = client.get(reverse("cycles:link_inbox", args=[token]))
    assert inbox.status_code == 200
    sheet_url = reverse("cycles:link_rate", args=[token, nomination.pk])
    assert sheet_url in inbox.content.decode()
    page = client.get(sheet_url)
    assert page.status_code == 200
    assert_no_template_syntax(inbox)
    assert_no_template_syntax(page)
    body = page.content.decode()
    first = instrument_of(nomination.participant.cycle.instrument).items[0]
    assert first.self_text in body
    assert 'data-answer-url="' in body and "<legend>" in body


def test_an_observer_sheet_shows_no_template_syntax(  # type: ignore[no-untyped-def]
    personas: Personas, own_sheet, django_capture_on_commit_callbacks
) -> None:
    _token, nomination = own_sheet
    participant = nomination.participant
    nominations_submit(participant=participant, actor=personas.employee)
    with django_capture_on_commit_callbacks(execute=True):
        nominations_approve(participant=participant, actor=personas.manager)
    manager = participant.nominations.get(group="manager")
    page = client_for("manager", personas).get(reverse("cycles:rate", args=[manager.pk]))
    assert page.status_code == 200
    assert "Save my answers" in page.content.decode()
    assert_no_template_syntax(page)


JSON = {"HTTP_ACCEPT": "application/json"}
FORM = "application/x-www-form-urlencoded"


def test_an_answer_from_the_script_is_saved_and_shown_after_reload(own_sheet) -> None:  # type: ignore[no-untyped-def]
    token, nomination = own_sheet
    client = Client()
    item = instrument_of(nomination.participant.cycle.instrument).items[0].id
    url = reverse("cycles:link_answer", args=[token, nomination.pk])
    response = client.post(url, {"item": item, item: "4"}, **JSON)
    assert response.status_code == 200 and response.json() == {"saved": [item], "refused": {}}
    assert Answer.objects.get(nomination=nomination, item_id=item).value == 4
    page = client.get(reverse("cycles:link_rate", args=[token, nomination.pk])).content.decode()
    assert re.search(rf'name="{item}" value="4" checked', page)


def test_answers_given_together_are_saved_in_one_statement_and_each_says_how_it_went(
    own_sheet, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    token, nomination = own_sheet
    items = [i.id for i in instrument_of(nomination.participant.cycle.instrument).items[:5]]
    url = reverse("cycles:link_answer", args=[token, nomination.pk])
    client = Client()  # its first request also learns that set-up is done
    first = [("item", items[0]), (items[0], "3")]
    client.post(url, urlencode(first), content_type=FORM, **JSON)  # and marks the sheet started
    data = [("item", i) for i in items] + [(i, "4") for i in items]
    data += [("item", "keep"), ("keep", "Clear notes")]
    # One statement: it checks the link, the approval and the open cycle as it writes.
    with django_assert_num_queries(1):
        response = client.post(url, urlencode(data), content_type=FORM, **JSON)
    assert response.status_code == 200
    assert response.json() == {"saved": [*items, "keep"], "refused": {}}
    stored = dict(Answer.objects.filter(nomination=nomination).values_list("item_id", "value"))
    assert stored == {**{i: 4 for i in items}, "keep": None}
    mixed = [("item", items[0]), (items[0], "5"), ("item", items[1]), (items[1], "9")]
    body = client.post(url, urlencode(mixed), content_type=FORM, **JSON).json()
    assert body == {
        "saved": [items[0]],
        "refused": {items[1]: f"'9' is not an answer to {items[1]}"},
    }
    clear = [("item", items[0]), (items[0], ""), ("item", items[1]), (items[1], "2")]
    assert client.post(url, urlencode(clear), content_type=FORM, **JSON).status_code == 200
    assert not Answer.objects.filter(nomination=nomination, item_id=items[0]).exists()
    assert Answer.objects.get(nomination=nomination, item_id=items[1]).value == 2


def test_the_one_statement_writes_nothing_through_a_link_that_does_not_open_the_sheet(
    personas: Personas, own_sheet
) -> None:  # type: ignore[no-untyped-def]
    token, nomination = own_sheet
    item = instrument_of(nomination.participant.cycle.instrument).items[0].id
    url = reverse("cycles:link_answer", args=[token, nomination.pk])
    assert Client().post(url, {"item": item, item: "4"}, **JSON).status_code == 200  # key kept
    manager_sheet = Nomination.objects.get(group="manager")
    other = reverse("cycles:link_answer", args=[token, manager_sheet.pk])
    assert Client().post(other, {"item": item, item: "4"}, **JSON).status_code == 404
    wrong = reverse("cycles:link_answer", args=["x" * 43, nomination.pk])
    assert Client().post(wrong, {"item": item, item: "5"}, **JSON).status_code == 404
    cycle_close(cycle=nomination.participant.cycle, actor=personas.hr)
    closed = Client().post(url, {"item": item, item: "2"}, **JSON)
    assert closed.status_code == 400 and "closed" in closed.json()["error"]
    assert list(Answer.objects.values_list("nomination_id", "value")) == [(nomination.pk, 4)]


def test_a_bad_answer_is_refused_with_a_message(own_sheet) -> None:  # type: ignore[no-untyped-def]
    token, nomination = own_sheet
    item = instrument_of(nomination.participant.cycle.instrument).items[0].id
    url = reverse("cycles:link_answer", args=[token, nomination.pk])
    response = Client().post(url, {"item": item, item: "7"}, **JSON)
    assert response.status_code == 400
    assert "not an answer" in response.json()["refused"][item]
    assert not Answer.objects.exists()


def test_without_javascript_the_whole_form_saves(own_sheet) -> None:  # type: ignore[no-untyped-def]
    token, nomination = own_sheet
    items = instrument_of(nomination.participant.cycle.instrument).items[:3]
    url = reverse("cycles:link_answer", args=[token, nomination.pk])
    response = Client().post(url, {i.id: "3" for i in items} | {"keep": "Listening"})
    assert response.status_code == 302
    assert Answer.objects.filter(nomination=nomination).count() == 4


def test_a_wrong_token_or_someone_elses_sheet_is_not_found(personas: Personas, own_sheet) -> None:  # type: ignore[no-untyped-def]
    token, _ = own_sheet
    client = Client()
    assert client.get(reverse("cycles:link_inbox", args=["x" * 43])).status_code == 404
    manager_sheet = Nomination.objects.get(group="manager")
    other = reverse("cycles:link_rate", args=[token, manager_sheet.pk])
    assert client.get(other).status_code == 404
    answer = reverse("cycles:link_answer", args=[token, manager_sheet.pk])
    assert client.post(answer, {"item": "keep", "keep": "x"}).status_code == 404


def test_a_closed_cycle_says_so(personas: Personas, own_sheet) -> None:  # type: ignore[no-untyped-def]
    token, nomination = own_sheet
    cycle_close(cycle=nomination.participant.cycle, actor=personas.hr)
    page = Client().get(reverse("cycles:link_rate", args=[token, nomination.pk]))
    assert page.status_code == 410
    assert "This cycle is closed" in page.content.decode()
    item = instrument_of(nomination.participant.cycle.instrument).items[0].id
    url = reverse("cycles:link_answer", args=[token, nomination.pk])
    refused = Client().post(url, {"item": item, item: "4"}, **JSON)
    assert refused.status_code == 400 and not Answer.objects.exists()
    assert refused.json()["error"] == "this cycle is closed: answers can no longer change"


def test_signed_in_raters_answer_their_own_sheets_only(personas: Personas, own_sheet) -> None:  # type: ignore[no-untyped-def]
    _, nomination = own_sheet
    item = instrument_of(nomination.participant.cycle.instrument).items[0].id
    url = reverse("cycles:answer", args=[nomination.pk])
    assert client_for("manager", personas).post(url, {"item": item, item: "2"}).status_code == 403
    assert client_for("outsider", personas).post(url, {"item": item, item: "2"}).status_code == 404
    ok = client_for("employee", personas).post(url, {"item": item, item: "2"}, **JSON)
    assert ok.status_code == 200
    finish = client_for("employee", personas).post(reverse("cycles:finish", args=[nomination.pk]))
    assert finish.status_code == 302
    nomination.refresh_from_db()
    assert nomination.finished_at is not None
