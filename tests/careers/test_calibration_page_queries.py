"""The calibration page reads candidates' released results (and their consent) in a fixed
number of queries: the same for 2 candidates as for 8."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.people.models import Person
from tests.careers.seed import _org, _propose
from tests.growth.factories import SCALES, make_released_result

SPRING = datetime.datetime(2026, 4, 1, tzinfo=datetime.UTC)
AUTUMN = datetime.datetime(2026, 10, 1, tzinfo=datetime.UTC)
URL = reverse("careers:calibration") + "?since=2026-01-01"


def _count(user: Any) -> int:
    client = Client()
    client.force_login(user)
    client.get(URL)  # warm caches that are not per request (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def _report(person: Person, k: int) -> None:
    """Every fourth candidate has no report, one in four has two, one in four keeps theirs
    from their manager."""
    if k % 4 == 3:
        return
    make_released_result(
        person,
        name="Spring",
        released_at=SPRING,
        others=dict.fromkeys(SCALES, 3.5),
        self_scores=dict.fromkeys(SCALES, 5),
    )
    if k % 4 == 1:
        make_released_result(person, name="Autumn", released_at=AUTUMN)
    if k % 4 == 2:
        make_released_result(person, name="Autumn", released_at=AUTUMN, manager_may_view=False)


def test_the_calibration_page_reads_as_many_queries_for_8_candidates_as_for_2(
    db: None,
) -> None:
    r = _org("Acme", [8])
    team = r.teams[r.managers[0].pk]
    for k, person in enumerate(team):
        _report(person, k)
    for person in team[:2]:
        _propose(r, person, track="manager", level=1)
    two = _count(r.hr)
    for person in team[2:]:
        _propose(r, person, track="manager", level=1)
    eight = _count(r.hr)
    print(f"calibration page queries: 2 candidates {two}, 8 candidates {eight}")
    assert eight == two
