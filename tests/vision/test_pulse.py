"""The understanding pulse: anonymous answers, counted not stored; scores behind a minimum."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tandem import access
from tandem.audit.models import AuditEvent
from tandem.vision.models import Pulse, PulseRespondent, PulseTally
from tandem.vision.selectors import pulse_minimum, pulse_scores
from tandem.vision.services import PulseError, pulse_answer, pulse_close, pulse_open
from tests.conftest import Personas
from tests.factories import make_person, make_user


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def pulse(personas: Personas) -> Pulse:
    return pulse_open(team=personas.manager_person, actor=personas.manager)


def test_the_minimum_defaults_to_the_minimum_for_others(settings) -> None:  # type: ignore[no-untyped-def]
    assert pulse_minimum() == 3
    settings.VISION_PULSE_MINIMUM = 5
    assert pulse_minimum() == 5


def test_answers_are_counts_with_no_link_to_the_person(personas: Personas, pulse: Pulse) -> None:
    pulse_answer(pulse=pulse, person=personas.employee_person, answers=[5, 4, 3], actor=None)
    tallies = {(t.statement, t.value): t.count for t in PulseTally.objects.filter(pulse=pulse)}
    assert len(tallies) == 15
    assert {k for k, n in tallies.items() if n} == {(0, 5), (1, 4), (2, 3)}
    # The tally has no person, no time: nothing on it points back to who answered.
    names = {f.name for f in PulseTally._meta.get_fields()}
    assert names == {"id", "pulse", "statement", "value", "count"}
    assert {f.name for f in PulseRespondent._meta.get_fields()} == {"id", "pulse", "person"}
    event = AuditEvent.objects.get(action="vision.pulse_answer")
    assert event.changes in ({}, None)


def test_a_person_answers_once(personas: Personas, pulse: Pulse) -> None:
    pulse_answer(pulse=pulse, person=personas.employee_person, answers=[5, 4, 3], actor=None)
    with pytest.raises(PulseError, match="already"):
        pulse_answer(pulse=pulse, person=personas.employee_person, answers=[1, 1, 1], actor=None)
    assert sum(PulseTally.objects.filter(pulse=pulse).values_list("count", flat=True)) == 3


@pytest.mark.parametrize("answers", [[5, 4], [5, 4, 6], [0, 4, 3]])
def test_bad_answers_are_refused(personas: Personas, pulse: Pulse, answers: list[int]) -> None:
    with pytest.raises(PulseError):
        pulse_answer(pulse=pulse, person=personas.employee_person, answers=answers, actor=None)
    assert not PulseRespondent.objects.exists()


def test_only_the_team_answers_and_only_while_open(personas: Personas, pulse: Pulse) -> None:
    with pytest.raises(PulseError, match="not in the team"):
        pulse_answer(pulse=pulse, person=personas.hr_person, answers=[5, 5, 5], actor=None)
    pulse_close(pulse=pulse, actor=None)
    with pytest.raises(PulseError, match="closed"):
        pulse_answer(pulse=pulse, person=personas.employee_person, answers=[5, 5, 5], actor=None)


def test_a_team_has_one_open_pulse_at_a_time(personas: Personas, pulse: Pulse) -> None:
    with pytest.raises(PulseError, match="open pulse already"):
        pulse_open(team=personas.manager_person, actor=None)
    pulse_close(pulse=pulse, actor=None)
    assert pulse_open(team=personas.manager_person, actor=None).is_open


def test_the_score_is_hidden_below_the_minimum_and_shown_at_it(
    personas: Personas, pulse: Pulse
) -> None:
    pulse_answer(pulse=pulse, person=personas.employee_person, answers=[5, 4, 3], actor=None)
    pulse_answer(pulse=pulse, person=personas.sibling_person, answers=[3, 4, 5], actor=None)
    score = pulse_scores(organisation=personas.organisation)[personas.manager_person.pk]
    assert score.respondents == 2 and not score.shown and score.score is None
    third = make_person(personas.organisation, "Tia Third", manager=personas.manager_person)
    pulse_answer(pulse=pulse, person=third, answers=[4, 4, 4], actor=None)
    score = pulse_scores(organisation=personas.organisation)[personas.manager_person.pk]
    assert score.shown
    assert score.statement_means == pytest.approx((4.0, 4.0, 4.0))
    assert score.score == pytest.approx(4.0)


def test_the_latest_pulse_gives_the_score(personas: Personas, pulse: Pulse) -> None:
    pulse_close(pulse=pulse, actor=None)
    newer = pulse_open(team=personas.manager_person, actor=None)
    assert (
        pulse_scores(organisation=personas.organisation)[personas.manager_person.pk].pulse == newer
    )


def test_who_sees_a_team_score(personas: Personas) -> None:
    team = personas.manager_person
    assert access.vision.can_view_pulse_score(personas.manager, team)
    assert access.vision.can_view_pulse_score(personas.admin, team)  # Ada is above Manny
    assert access.vision.can_view_pulse_score(personas.hr, team)
    assert not access.vision.can_view_pulse_score(personas.employee, team)
    assert not access.vision.can_view_pulse_score(personas.outsider, team)


def test_members_answer_through_the_page(personas: Personas, pulse: Pulse) -> None:
    client = _client(personas.employee)
    home = client.get(reverse("vision:pulse")).content.decode()
    assert reverse("vision:pulse_answer", args=[pulse.pk]) in home
    response = client.post(
        reverse("vision:pulse_answer", args=[pulse.pk]), {"s0": "5", "s1": "4", "s2": "4"}
    )
    assert response.status_code == 302
    assert PulseRespondent.objects.filter(person=personas.employee_person).exists()
    assert "Answered, thank you" in client.get(reverse("vision:pulse")).content.decode()
    # A second visit does not offer the form again.
    again = client.get(reverse("vision:pulse_answer", args=[pulse.pk]))
    assert again.status_code == 302


def test_an_incomplete_answer_is_shown_again(personas: Personas, pulse: Pulse) -> None:
    response = _client(personas.employee).post(
        reverse("vision:pulse_answer", args=[pulse.pk]), {"s0": "5"}
    )
    assert response.status_code == 200
    assert "Answer every statement" in response.content.decode()
    assert not PulseRespondent.objects.exists()


def test_the_manager_opens_and_closes_the_pulse_and_sees_the_score_once_enough_answered(
    personas: Personas,
) -> None:
    manager = _client(personas.manager)
    manager.post(reverse("vision:pulse_open", args=[personas.manager_person.pk]))
    pulse = Pulse.objects.get()
    for person in [personas.employee_person, personas.sibling_person]:
        pulse_answer(pulse=pulse, person=person, answers=[2, 2, 2], actor=None)
    page = manager.get(reverse("vision:pulse")).content.decode()
    assert "Hidden until 3 people answer" in page and "2 of 2" in page
    third = make_person(personas.organisation, "Tia Third", manager=personas.manager_person)
    make_user(personas.organisation, person=third)
    pulse_answer(pulse=pulse, person=third, answers=[5, 5, 5], actor=None)
    page = manager.get(reverse("vision:pulse")).content.decode()
    assert 'data-score="3.0"' in page
    cascade = manager.get(reverse("vision:cascade")).content.decode()
    assert 'data-score="3.0"' in cascade
    # A member sees no team score, not even their own team's.
    assert (
        "data-score"
        not in _client(personas.employee).get(reverse("vision:cascade")).content.decode()
    )
    manager.post(reverse("vision:pulse_close", args=[pulse.pk]))
    pulse.refresh_from_db()
    assert not pulse.is_open


def test_a_member_cannot_open_or_close_a_pulse(personas: Personas, pulse: Pulse) -> None:
    client = _client(personas.employee)
    assert (
        client.post(reverse("vision:pulse_open", args=[personas.manager_person.pk])).status_code
        == 403
    )
    assert client.post(reverse("vision:pulse_close", args=[pulse.pk])).status_code == 403
