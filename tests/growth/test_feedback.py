"""Quick feedback: hashed links, anonymous sheets, the cycle's minimums, results only once closed."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.growth.models import FeedbackInvite, FeedbackRequest, FeedbackSheet
from tandem.growth.selectors import feedback_results
from tandem.growth.services import (
    GrowthError,
    feedback_answer,
    feedback_close,
    feedback_request_create,
    hash_token,
)
from tandem.measure import DEFAULT_MINIMUMS, load_instrument
from tandem.people.models import Person
from tests.conftest import Personas
from tests.factories import make_person

ITEMS = ["sd1", "sd2", "sd3", "sd4", "sd5", "sd6"]


def _colleagues(personas: Personas, n: int) -> list[Person]:
    return [make_person(personas.organisation, f"Colleague {k}") for k in range(n)]


def _ask(personas: Personas, people: list[Person]) -> FeedbackRequest:
    return feedback_request_create(
        person=personas.employee_person,
        instrument=load_instrument("tandem-lm-1"),
        scale_ids=["setting_direction"],
        respondents=people,
        note="Before my offsite",
        actor=personas.employee,
    )


def _answer(invite: FeedbackInvite, value: int) -> None:
    feedback_answer(invite=invite, values={i: value for i in ITEMS}, actor=None)


def test_each_colleague_gets_a_link_whose_token_is_stored_only_as_a_hash(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    people = _colleagues(personas, 3)
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(personas, people)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    tokens = []
    for message in mail.outbox:
        match = re.search(r"/growth/feedback/answer/([A-Za-z0-9_-]+)/", message.body)
        assert match is not None
        tokens.append(match.group(1))
    assert all(len(t) >= 43 for t in tokens), "token_urlsafe(32): 256 bits"
    stored = set(request.invites.values_list("token_hash", flat=True))
    assert stored == {hash_token(t) for t in tokens}
    assert not any(t in h for t in tokens for h in stored)
    page = Client().get(reverse("growth:feedback_answer_link", args=[tokens[0]]))
    assert page.status_code == 200
    scale = page.context["questions"]["scales"][0]
    assert scale["id"] == "setting_direction"
    assert all(item["text"].startswith("They ") for item in scale["items"]), "observer wording"
    assert "Quick feedback for Emma Employee" in page.content.decode()
    assert Client().get(reverse("growth:feedback_answer_link", args=["nope"])).status_code == 404


def test_it_asks_at_least_the_minimum_and_never_the_person_themself(personas: Personas) -> None:
    minimum = DEFAULT_MINIMUMS["other"]
    with pytest.raises(GrowthError, match=f"at least {minimum}"):
        _ask(personas, [personas.employee_person, *_colleagues(personas, minimum - 1)])


def test_nothing_shows_until_the_minimum_answered_and_the_request_closed(
    personas: Personas,
) -> None:
    request = _ask(personas, _colleagues(personas, 4))
    invites = list(request.invites.all())
    _answer(invites[0], 4)
    _answer(invites[1], 2)
    assert feedback_results(request=request).shown is False
    feedback_close(request=request, actor=personas.employee)
    request.refresh_from_db()
    results = feedback_results(request=request)
    assert (results.answered, results.shown) == (2, False), "two answers are below the minimum"
    assert results.scales[0].mean is None


def test_results_show_the_pooled_mean_once_enough_answered(personas: Personas) -> None:
    request = _ask(personas, _colleagues(personas, 3))
    invites = list(request.invites.all())
    _answer(invites[0], 5)
    _answer(invites[1], 4)
    assert feedback_results(request=request).shown is False, "still open"
    # sd5 is reverse-keyed: a raw 3 counts as 3; answering "not observed" leaves it out.
    feedback_answer(invite=invites[2], values={**{i: 3 for i in ITEMS}, "sd1": None}, actor=None)
    request.refresh_from_db()
    assert not request.is_open, "everyone answered, so it closed itself"
    results = feedback_results(request=request)
    assert results.shown and results.scales[0].n == 3
    # sd1 has only two answers: below the minimum, so it is hidden, and hidden from the scale
    # too: the scale is the mean of the questions shown (sd2-sd6), so the two answers to sd1
    # cannot be worked out from the scale and the other questions.
    assert results.scales[0].items[0].mean is None
    shown_means = [(5 + 4 + 3) / 3] * 4 + [(1 + 2 + 3) / 3]  # sd5 keyed: 6 - answer
    assert results.scales[0].mean == pytest.approx(sum(shown_means) / 5)
    assert results.scales[0].items[1].mean == pytest.approx(4.0)


def test_sheets_name_nobody_and_the_audit_log_holds_no_answers(personas: Personas) -> None:
    request = _ask(personas, _colleagues(personas, 3))
    invite = request.invites.first()
    assert invite is not None
    _answer(invite, 5)
    sheet = FeedbackSheet.objects.get()
    fields = {f.name for f in FeedbackSheet._meta.get_fields()}
    assert fields == {"id", "request", "group", "values"}
    assert sheet.group == "other"
    event = AuditEvent.objects.get(action="growth.feedback_answer")
    assert (event.actor, event.changes) == (None, {})
    with pytest.raises(GrowthError, match="already"):
        _answer(invite, 1)


def test_a_colleague_answers_while_signed_in_and_results_name_nobody(personas: Personas) -> None:
    colleagues = _colleagues(personas, 2)
    request = _ask(personas, [personas.manager_person, *colleagues])
    invite = request.invites.get(respondent=personas.manager_person)
    client = Client()
    client.force_login(personas.manager)
    url = reverse("growth:feedback_answer", args=[invite.pk])
    response = client.post(url, {f"item-{i}": "4" for i in ITEMS})
    assert "Thank you" in response.content.decode()
    for other in request.invites.exclude(pk=invite.pk):
        _answer(other, 3)
    owner = Client()
    owner.force_login(personas.employee)
    html = owner.get(reverse("growth:feedback", args=[request.pk])).content.decode()
    assert "3 of 3 colleagues answered" in html
    assert "Manny" not in html and "Colleague" not in html
    # Manny: five 4s and the reverse-keyed sd5 (4 counts as 2) = 3.67; the others 3.00.
    assert "3.22" in html


def test_a_scale_can_be_asked_about_once_a_month(personas: Personas) -> None:
    _ask(personas, _colleagues(personas, 3))
    with pytest.raises(GrowthError, match="Ask about it again from"):
        _ask(personas, _colleagues(personas, 4))
    FeedbackRequest.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert _ask(personas, _colleagues(personas, 3)).is_open


def test_an_answer_that_is_not_a_plain_number_is_refused_not_a_crash(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _ask(personas, _colleagues(personas, 3))
    match = re.search(r"/growth/feedback/answer/([A-Za-z0-9_-]+)/", mail.outbox[0].body)
    assert match is not None
    url = reverse("growth:feedback_answer_link", args=[match.group(1)])
    for odd in ("²", "٣", "4.5", "1e3", "-1", " "):
        response = Client().post(url, {f"item-{item}": odd for item in ITEMS})
        assert response.status_code == 400, odd
        assert "Answer at least one question" in response.content.decode() or "run from" in (
            response.content.decode()
        ), odd
    assert not FeedbackSheet.objects.exists()
    kept = Client().post(url, {"item-sd1": "3", "item-sd2": "7"})
    assert kept.status_code == 400 and "run from 1 to 5" in kept.content.decode()
    assert 'name="item-sd1" value="3" required checked' in kept.content.decode(), "choice kept"
