"""The team page reads its people's released results in a fixed number of queries: the same
for a team of 2 as for a team of 8, whatever mix of shared, unshared, several and no reports."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.people.models import Person
from tests.conftest import Personas
from tests.factories import make_person
from tests.growth.factories import make_released_result

SPRING = datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC)
AUTUMN = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)


def _count(user: Any, url: str) -> int:
    client = Client()
    client.force_login(user)
    client.get(url)  # warm caches that are not per request (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _report(person: Person, k: int) -> None:
    """Every fourth person has no report, one in four has two, one in four keeps theirs from
    their manager."""
    if k % 4 == 3:
        return
    make_released_result(
        person, name="Spring", released_at=SPRING, others={"setting_direction": 4.5}
    )
    if k % 4 == 1:
        make_released_result(
            person, name="Autumn", released_at=AUTUMN, others={"aligning_people": 4.5}
        )
    if k % 4 == 2:
        make_released_result(person, name="Autumn", released_at=AUTUMN, manager_may_view=False)


def test_the_team_page_reads_as_many_queries_for_8_people_as_for_2(personas: Personas) -> None:
    team = [personas.employee_person, personas.sibling_person]
    for k, person in enumerate(team):
        _report(person, k)
    two = _count(personas.manager, reverse("growth:team"))
    for k in range(2, 8):
        person = make_person(personas.organisation, f"Report {k}", manager=personas.manager_person)
        _report(person, k)
        team.append(person)
    eight = _count(personas.manager, reverse("growth:team"))
    print(f"team page queries: 2 people {two}, 8 people {eight}")
    assert eight == two
