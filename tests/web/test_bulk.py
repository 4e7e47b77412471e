"""rows_insert writes tuples as given, from a list or streamed from a generator; random_ids\nmakes the random ids of anonymous rows."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Iterator

import pytest

from tandem.audit.models import AuditEvent
from tandem.cycles.instruments import instrument_default_install
from tandem.cycles.models import Cycle, Participant, ReleasedComment
from tandem.people.models import Organisation
from tandem.web.bulk import Json, random_ids, rows_insert
from tests.factories import make_organisation, make_person

pytestmark = pytest.mark.django_db


def test_a_generator_is_streamed_and_counted() -> None:
    from django.utils import timezone

    organisation = Organisation.objects.create(name="Acme")
    now = timezone.now()
    consumed: list[int] = []

    def rows() -> Iterator[tuple[object, ...]]:
        for k in range(25_001):  # more than one of SQLite's slices of 10,000
            consumed.append(k)
            yield (organisation.pk, "", "bench.row", "", "", str(k), Json({"k": k}), now)

    fields = [
        "organisation",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "target_label",
        "changes",
        "created_at",
    ]
    assert rows_insert(AuditEvent, fields, rows()) == 25_001
    assert len(consumed) == 25_001
    assert AuditEvent.objects.filter(action="bench.row").count() == 25_001
    last = AuditEvent.objects.get(action="bench.row", target_label="25000")
    assert last.changes == {"k": 25000}
    assert rows_insert(AuditEvent, fields, iter(())) == 0


def test_random_ids_are_distinct_version_4_uuids_that_both_databases_store() -> None:
    ids = list(itertools.islice(random_ids(batch=1000), 2500))  # across three batches
    assert len(set(ids)) == 2500
    parsed = [uuid.UUID(hex=i) for i in ids]
    assert all(u.version == 4 and u.variant == uuid.RFC_4122 for u in parsed)
    assert all(len(i) == 32 and i == u.hex for i, u in zip(ids, parsed, strict=True))
    # Stored through rows_insert and read back by Django as the same UUIDs.
    organisation = make_organisation("Acme")
    person = make_person(organisation, "Emma")
    version = instrument_default_install(organisation=organisation, actor=None)
    cycle = Cycle.objects.create(
        organisation=organisation,
        name="C",
        instrument=version,
        opens_on=dt.date(2026, 1, 1),
        closes_on=dt.date(2026, 1, 2),
    )
    participant = Participant.objects.create(cycle=cycle, person=person)
    rows_insert(
        ReleasedComment,
        ["id", "participant", "question_id", "text", "position"],
        [(i, participant.pk, "keep", "t", k) for k, i in enumerate(ids[:3])],
    )
    stored = set(ReleasedComment.objects.values_list("id", flat=True))
    assert stored == set(parsed[:3])
