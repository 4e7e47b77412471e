"""Bulk writes refresh the database's statistics once they commit (``tables_analyze``).

PostgreSQL plans every query from its table statistics; right after an import, a launch or a
release they describe the tables as they were. These tests run on SQLite and on PostgreSQL
(``make test`` runs both): the ANALYZE must run there without error and leave statistics.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.cycles.models import Participant
from tandem.people.models import Organisation, Person
from tandem.people.records import PersonRecord
from tandem.people.services import people_import_apply
from tandem.web.bulk import tables_analyze
from tests.conftest import Personas
from tests.cycles.builders import launched_cycle, released_participant

pytestmark = pytest.mark.django_db


def _analyzed(queries: CaptureQueriesContext) -> set[str]:
    """The tables the captured queries ran ANALYZE on."""
    return {
        query["sql"].split(None, 1)[1].strip('"')
        for query in queries.captured_queries
        if query["sql"].startswith("ANALYZE ")
    }


def _has_statistics(table: str) -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s",
                [table],
            )
            row = cursor.fetchone()
            return bool(row and row[0])
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        return bool(cursor.fetchone()[0])


def test_tables_analyze_leaves_statistics_of_the_table() -> None:
    organisation = Organisation.objects.create(name="Acme")
    Person.objects.bulk_create(
        Person(organisation=organisation, employee_id=f"E{k}", name=f"P {k}", email=f"p{k}@x.org")
        for k in range(50)
    )
    tables_analyze(Person)
    assert _has_statistics(Person._meta.db_table)


def test_an_import_analyzes_the_people_table_after_it_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    organisation = Organisation.objects.create(name="Acme")
    records = [
        PersonRecord(employee_id=f"E{k}", name=f"Person {k}", email=f"p{k}@example.org")
        for k in range(20)
    ]
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        people_import_apply(organisation=organisation, records=records, actor=None)
    assert Person._meta.db_table in _analyzed(queries)


def test_a_launch_analyzes_participants_sheets_and_links(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        launched_cycle(personas)
    assert {
        "cycles_participant",
        "cycles_nomination",
        "cycles_raterlink",
        "cycles_ratertoken",
    } <= _analyzed(queries)
    assert _has_statistics(Participant._meta.db_table)


def test_a_release_analyzes_what_it_wrote_and_deleted(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        released_participant(personas)
    assert {
        "cycles_report",
        "cycles_releasedsheet",
        "cycles_releasedanswer",
        "cycles_releasedcomment",
        "cycles_answer",
    } <= _analyzed(queries)
