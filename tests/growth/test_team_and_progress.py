"""The manager's team view (strengths and interests) and progress across cycles."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from tandem.growth.models import Interest
from tandem.growth.selectors import progress_for
from tandem.growth.services import interest_add
from tests.conftest import Personas
from tests.growth.factories import make_released_result

EARLY = datetime.datetime(2025, 5, 1, tzinfo=datetime.UTC)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_manager_sees_shared_strengths_and_interests_side_by_side(personas: Personas) -> None:
    make_released_result(
        personas.employee_person, others={"setting_direction": 4.75, "aligning_people": 4.5}
    )
    make_released_result(
        personas.sibling_person, others={"planning_budgeting": 4.75}, manager_may_view=False
    )
    interest_add(person=personas.employee_person, text="Coaching new starters", actor=None)
    interest_add(person=personas.sibling_person, text="Hard  bugs ", actor=None)
    page = _client(personas.manager).get(reverse("growth:team"))
    members = {m.person.name: m for m in page.context["members"]}
    assert members["Emma Employee"].strengths == (
        ("Setting direction", 4.75),
        ("Aligning people", 4.5),
    )
    assert members["Emma Employee"].interests == ("Coaching new starters",)
    assert members["Eli Employee"].strengths == ()
    assert members["Eli Employee"].interests == ("Hard bugs",)
    html = page.content.decode()
    assert "Not shared with you" in html
    assert "Planning and budgeting" not in html


def test_interests_are_the_persons_own_to_add_and_remove(personas: Personas) -> None:
    client = _client(personas.employee)
    client.post(reverse("growth:interests"), {"text": "Talking to customers"})
    interest = Interest.objects.get(person=personas.employee_person)
    assert (
        _client(personas.manager)
        .post(reverse("growth:interest_remove", args=[interest.pk]))
        .status_code
        == 404
    )
    client.post(reverse("growth:interest_remove", args=[interest.pk]))
    assert not Interest.objects.exists()


def test_progress_marks_a_real_change_and_one_within_error(personas: Personas) -> None:
    # sd 0.5, alpha 0.8: a change must exceed 0.62 to be real.
    make_released_result(
        personas.employee_person,
        name="2025",
        released_at=EARLY,
        others={"setting_direction": 3.0, "aligning_people": 3.0},
    )
    make_released_result(
        personas.employee_person,
        name="2026",
        others={"setting_direction": 4.0, "aligning_people": 3.25},
    )
    found = {c.scale_id: c for c in progress_for(person=personas.employee_person).changes}
    assert found["setting_direction"].verdict == "increase"
    assert found["aligning_people"].verdict == "within error"
    assert found["planning_budgeting"].verdict == "within error"
    html = _client(personas.employee).get(reverse("growth:progress")).content.decode()
    assert "1 real change;" in html
    assert 'data-scale="setting_direction" data-verdict="increase"' in html
    main = html[html.index('<main id="main"') :]
    assert "<svg" in main and "<script" not in main and "style=" not in main


def test_progress_before_a_second_cycle_says_so(personas: Personas) -> None:
    make_released_result(personas.employee_person)
    html = _client(personas.employee).get(reverse("growth:progress")).content.decode()
    assert "changes appear after your next one" in html
    empty = _client(personas.manager).get(reverse("growth:progress")).content.decode()
    assert "No released report yet" in empty


def test_only_people_with_reports_are_offered_my_team(personas: Personas) -> None:
    assert "My team</a>" in _client(personas.manager).get(reverse("growth:home")).content.decode()
    html = _client(personas.employee).get(reverse("growth:home")).content.decode()
    assert "My team</a>" not in html
