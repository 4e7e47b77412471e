"""Planning a synchronisation: who an import would add, change, archive or bring back."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.utils.translation import gettext

from tandem.people.hris._shared import _as_text
from tandem.people.records import (
    SYNCED_FIELDS,
    FieldChange,
    PersonChange,
    PersonRecord,
    Problem,
    SyncPlan,
)


def plan_sync(
    *, records: Iterable[PersonRecord], existing: Mapping[str, tuple[PersonRecord, bool]]
) -> SyncPlan:
    """What importing ``records`` would do to the people Tandem knows, without doing it.

    ``existing`` maps each known employee id to (their record, whether they are active). People
    in the file are added, changed, unchanged, or returning (archived before, back now); active
    people missing from the file are leaving: they will be archived, never deleted. Archived
    people who are still absent are left alone.
    """
    in_order = tuple(records)
    added: list[PersonRecord] = []
    changed: list[PersonChange] = []
    unchanged: list[PersonRecord] = []
    returning: list[PersonRecord] = []
    in_file: set[str] = set()
    for record in in_order:
        in_file.add(record.employee_id)
        known = existing.get(record.employee_id)
        if known is None:
            added.append(record)
            continue
        before, is_active = known
        if not is_active:
            returning.append(record)
            continue
        changes = field_changes(before, record)
        if changes:
            changed.append(PersonChange(record=record, changes=changes))
        else:
            unchanged.append(record)
    leaving = sorted(
        (
            record
            for employee_id, (record, is_active) in existing.items()
            if is_active and employee_id not in in_file
        ),
        key=lambda record: (record.name.casefold(), record.employee_id),
    )
    return SyncPlan(
        added=tuple(added),
        changed=tuple(changed),
        leaving=tuple(leaving),
        unchanged=tuple(unchanged),
        returning=tuple(returning),
        conflicts=_email_conflicts(in_order, existing),
    )


def _email_conflicts(
    records: Sequence[PersonRecord], existing: Mapping[str, tuple[PersonRecord, bool]]
) -> tuple[Problem, ...]:
    """Emails in the file still held in Tandem by someone not in the file.

    People who leave are archived with their email (their history keeps it), so the email
    cannot pass to another employee id; the database would refuse the whole import.
    """
    in_file = {record.employee_id for record in records}
    holders = {
        known.email.lower(): (known, is_active)
        for employee_id, (known, is_active) in existing.items()
        if employee_id not in in_file
    }
    conflicts = []
    for record in records:
        held = holders.get(record.email.lower())
        if held is None:
            continue
        holder, is_active = held
        values = {
            "email": record.email,
            "holder": holder.name,
            "holder_id": holder.employee_id,
            "employee_id": record.employee_id,
        }
        if is_active:
            message = gettext(
                "Email '%(email)s' still belongs to %(holder)s (employee id %(holder_id)s), who "
                "is leaving with this import; Tandem keeps it with their history. If this is the "
                "same person, use their old employee id '%(holder_id)s'; otherwise give employee "
                "id '%(employee_id)s' another email."
            )
        else:
            message = gettext(
                "Email '%(email)s' still belongs to %(holder)s (employee id %(holder_id)s), who "
                "left and is archived; Tandem keeps it with their history. If this is the same "
                "person, use their old employee id '%(holder_id)s'; otherwise give employee id "
                "'%(employee_id)s' another email."
            )
        conflicts.append(
            Problem(
                message=message % values,
                row=record.row or None,
                code="email_held_by_former_person",
            )
        )
    return tuple(conflicts)


def field_changes(before: PersonRecord, after: PersonRecord) -> tuple[FieldChange, ...]:
    """The synced fields that differ, as text. Emails are compared without case, as Tandem
    stores them in lower case."""
    changes = []
    for name in SYNCED_FIELDS:
        old, new = _as_text(getattr(before, name)), _as_text(getattr(after, name))
        same = old.lower() == new.lower() if name == "email" else old == new
        if not same:
            changes.append(FieldChange(field=name, old=old, new=new))
    return tuple(changes)
