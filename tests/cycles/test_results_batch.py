"""Reading many people's released results at once gives each person exactly what reading them
one at a time gives: the same results, oldest first, released cycles only, in one query."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.cycles.models import CycleStatus
from tandem.cycles.results import (
    latest_result_for,
    latest_results_for_people,
    released_results_for,
    released_results_for_people,
)
from tandem.people.models import Person
from tests.conftest import Personas
from tests.factories import make_person
from tests.growth.factories import make_released_result


def _at(month: int) -> datetime.datetime:
    return datetime.datetime(2026, month, 1, tzinfo=datetime.UTC)


# Each person's reports as (cycle name, month released, status); the expected result is the
# released ones, oldest first, ties on the release date in the order the cycles were made.
TABLE: dict[str, list[tuple[str, int, str]]] = {
    "Nora None": [],
    "Olga One": [("Spring", 4, CycleStatus.RELEASED)],
    "Sam Several": [
        ("Autumn", 10, CycleStatus.RELEASED),
        ("Spring", 4, CycleStatus.RELEASED),
        ("Summer", 7, CycleStatus.RELEASED),
    ],
    "Tia Tied": [("First", 5, CycleStatus.RELEASED), ("Second", 5, CycleStatus.RELEASED)],
    "Uma Unreleased": [("Draft", 3, CycleStatus.CLOSED)],
    "Mia Mixed": [("Closed", 9, CycleStatus.CLOSED), ("Spring", 4, CycleStatus.RELEASED)],
}
EXPECTED = {
    "Nora None": [],
    "Olga One": ["Spring"],
    "Sam Several": ["Spring", "Summer", "Autumn"],
    "Tia Tied": ["First", "Second"],
    "Uma Unreleased": [],
    "Mia Mixed": ["Spring"],
}


@pytest.fixture
def people(personas: Personas) -> list[Person]:
    made = []
    for name, reports in TABLE.items():
        person = make_person(personas.organisation, name, manager=personas.manager_person)
        for k, (cycle, month, status) in enumerate(reports):
            participant = make_released_result(
                person,
                name=cycle,
                released_at=_at(month),
                others={"setting_direction": 3.0 + k / 4},
                manager_may_view=k % 2 == 0,  # consent is the caller's rule, not this one's
            )
            participant.cycle.status = status
            participant.cycle.save(update_fields=["status"])
        made.append(person)
    # Someone in another organisation with a released report, who must not leak in.
    make_released_result(personas.outsider_person, name="Spring", released_at=_at(4))
    return made


def test_the_table_reads_as_expected(people: list[Person]) -> None:
    batch = released_results_for_people(people)
    assert {p.name: [r.cycle_name for r in batch[p.pk]] for p in people} == EXPECTED


@pytest.mark.parametrize("name", list(TABLE))
def test_each_person_gets_from_the_batch_what_they_get_alone(
    people: list[Person], name: str
) -> None:
    person = next(p for p in people if p.name == name)
    batch = released_results_for_people(people)
    assert batch[person.pk] == released_results_for(person)
    assert latest_results_for_people(people)[person.pk] == latest_result_for(person)


def test_any_subset_and_order_of_people_gives_the_same_per_person(people: list[Person]) -> None:
    everyone = released_results_for_people(people)
    for subset in (people[::2], people[1::2], list(reversed(people)), people[3:4]):
        part = released_results_for_people(subset)
        assert set(part) == {p.pk for p in subset}
        assert all(part[p.pk] == everyone[p.pk] for p in subset)
        latest = latest_results_for_people(subset)
        assert all(latest[p.pk] == (everyone[p.pk] or [None])[-1] for p in subset)


def test_it_reads_in_one_query_however_many_people(people: list[Person]) -> None:
    for group in (people[:2], people):
        with CaptureQueriesContext(connection) as queries:
            released_results_for_people(group)
        assert len(queries) == 1
        with CaptureQueriesContext(connection) as queries:
            latest_results_for_people(group)
        assert len(queries) == 1


def test_nobody_costs_no_query(db: None) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert released_results_for_people([]) == {}
        assert latest_results_for_people([]) == {}
    assert len(queries) == 0
