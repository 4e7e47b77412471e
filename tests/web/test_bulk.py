"""rows_insert writes tuples as given, from a list or streamed from a generator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tandem.audit.models import AuditEvent
from tandem.people.models import Organisation
from tandem.web.bulk import Json, rows_insert

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
