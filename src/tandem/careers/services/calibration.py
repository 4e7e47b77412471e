"""Writes behind calibration: the demographic fields its four-fifths checks group people by.
Keyword-only, atomic, audited."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from tandem.audit.services import audit_record
from tandem.careers.models import Demographics
from tandem.careers.services._common import CareersError
from tandem.people.models import Organisation, Person


@transaction.atomic
def demographics_import(*, organisation: Organisation, text: str, actor: Any) -> int:
    """Import demographic fields from CSV: an ``employee_id`` column, then one column per field.

    Every row must name a person in the organisation, or nothing is saved. Empty cells clear
    a field. Returns the number of people updated.
    """
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "employee_id" not in reader.fieldnames:
        raise CareersError(
            gettext("Line 1: the first row must name the columns, one of them employee_id.")
        )
    fields = [f for f in reader.fieldnames if f and f != "employee_id"]
    if not fields:
        raise CareersError(gettext("Line 1: add at least one column besides employee_id."))
    people = {p.employee_id: p for p in Person.objects.in_organisation(organisation)}
    rows = []
    for row in reader:
        employee_id = (row.get("employee_id") or "").strip()
        person = people.get(employee_id)
        if person is None:
            raise CareersError(
                gettext("Line %(line)s: nobody has employee id '%(id)s'; nothing was saved.")
                % {"line": reader.line_num, "id": employee_id}
            )
        rows.append((person, {f: (row.get(f) or "").strip() for f in fields}))
    for person, values in rows:
        record, _ = Demographics.objects.get_or_create(person=person)
        merged = {**record.fields, **values}
        record.fields = {k: v for k, v in merged.items() if v}
        record.save()
    audit_record(
        organisation=organisation,
        actor=actor,
        action="careers.demographics_import",
        changes={"people": len(rows), "fields": fields},
    )
    return len(rows)
