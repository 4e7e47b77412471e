"""Writes for organisations and people. Each is atomic and audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.audit.services import acting_user, audit_record
from tandem.people.hris import plan_sync
from tandem.people.models import Organisation, Person, PersonStatus
from tandem.people.records import PersonRecord, Problem, SyncPlan
from tandem.people.selectors import person_records_by_employee_id

_FIELDS_ON_MODEL = (
    "name",
    "email",
    "title",
    "department",
    "location",
    "start_date",
    "track",
    "level",
)


class ImportConflict(ValueError):
    """The file clashes with people Tandem keeps (an email held by someone else)."""

    def __init__(self, conflicts: tuple[Problem, ...]) -> None:
        super().__init__("; ".join(str(c) for c in conflicts))
        self.conflicts = conflicts


@dataclass(frozen=True)
class ImportOutcome:
    added: int
    changed: int
    archived: int
    returned: int
    unchanged: int


def organisation_create(*, name: str, actor: Any = None, is_demo: bool = False) -> Organisation:
    organisation = Organisation.objects.create(name=name.strip(), is_demo=is_demo)
    audit_record(
        organisation=organisation,
        actor=actor,
        action="organisation.create",
        target=organisation,
        changes={"name": [None, organisation.name]},
    )
    return organisation


def _values(record: PersonRecord) -> dict[str, Any]:
    return {
        "name": record.name,
        "email": record.email.lower(),
        "title": record.title,
        "department": record.department,
        "location": record.location,
        "start_date": record.start_date,
        "track": record.track,
        "level": record.level,
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def people_import_apply(
    *,
    organisation: Organisation,
    records: Iterable[PersonRecord],
    actor: Any,
    source: str = "",
) -> ImportOutcome:
    """Make the organisation's people match a validated HRIS export, all or nothing.

    People in the file are added or updated; active people missing from the file are archived
    (never deleted, so their history stays); archived people who are back become active again.
    The plan is recomputed inside the transaction, so a preview that went stale cannot apply a
    different change than the one it describes without the counts saying so.
    """
    records = tuple(records)
    existing = person_records_by_employee_id(organisation=organisation, for_update=True)
    plan: SyncPlan = plan_sync(records=records, existing=existing)
    if plan.conflicts:
        raise ImportConflict(plan.conflicts)
    people = {p.employee_id: p for p in Person.objects.filter(organisation=organisation)}
    now = timezone.now()
    events: list[AuditEvent] = []

    def event(action: str, person: Person, changes: dict[str, Any]) -> None:
        events.append(
            AuditEvent(
                organisation=organisation,
                actor=acting_user(actor),
                actor_label=str(getattr(actor, "email", "")) or "system",
                action=action,
                target_type="people.person",
                target_id=str(person.pk),
                target_label=str(person)[:254],
                changes=changes,
            )
        )

    new_people = [
        Person(organisation=organisation, employee_id=r.employee_id, **_values(r))
        for r in plan.added
    ]
    Person.objects.bulk_create(new_people)
    # bulk_create sets primary keys on PostgreSQL and SQLite >= 3.35; fetch to be safe everywhere.
    people = {p.employee_id: p for p in Person.objects.filter(organisation=organisation)}
    for record in plan.added:
        person = people[record.employee_id]
        event("person.add", person, {k: [None, _plain(v)] for k, v in _values(record).items() if v})

    # Emails are unique per organisation, so two people swapping emails would collide half-way:
    # park every changing email on a placeholder first, then write the new ones.
    new_email = {r.employee_id: r.email.lower() for r in records}
    candidates = [c.record.employee_id for c in plan.changed] + [
        r.employee_id for r in plan.returning
    ]
    moving = [people[e] for e in candidates if people[e].email != new_email[e]]
    for person in moving:
        person.email = f"moving-{person.pk}@tandem.invalid"
    Person.objects.bulk_update(moving, ["email"], batch_size=500)

    to_update: list[Person] = []
    for change in plan.changed:
        person = people[change.record.employee_id]
        for name, value in _values(change.record).items():
            setattr(person, name, value)
        to_update.append(person)
        event(
            "person.update",
            person,
            {c.field: [c.old, c.new] for c in change.changes},
        )
    for record in plan.returning:
        person = people[record.employee_id]
        for name, value in _values(record).items():
            setattr(person, name, value)
        person.status = PersonStatus.ACTIVE
        person.archived_at = None
        to_update.append(person)
        event("person.return", person, {"status": ["archived", "active"]})
    for record in plan.leaving:
        person = people[record.employee_id]
        person.status = PersonStatus.ARCHIVED
        person.archived_at = now
        to_update.append(person)
        event("person.archive", person, {"status": ["active", "archived"]})
    Person.objects.bulk_update(
        to_update, [*_FIELDS_ON_MODEL, "status", "archived_at", "updated_at"], batch_size=500
    )

    # Reporting lines last, once everyone exists. People who left keep their last manager.
    in_file = {r.employee_id: r for r in records}
    relinked: list[Person] = []
    for employee_id, record in in_file.items():
        person = people[employee_id]
        manager = people.get(record.manager_id) if record.manager_id else None
        if person.manager_id != (manager.pk if manager else None):
            person.manager = manager
            relinked.append(person)
    Person.objects.bulk_update(relinked, ["manager"], batch_size=500)

    AuditEvent.objects.bulk_create(events, batch_size=500)
    outcome = ImportOutcome(
        added=len(plan.added),
        changed=len(plan.changed),
        archived=len(plan.leaving),
        returned=len(plan.returning),
        unchanged=len(plan.unchanged),
    )
    audit_record(
        organisation=organisation,
        actor=actor,
        action="people.import",
        target=organisation,
        changes={"source": source, **outcome.__dict__},
    )
    return outcome


def demo_people_load(
    *, organisation: Organisation, actor: Any, seed: int = 2026, size: int = 150
) -> ImportOutcome:
    """Fill an organisation with the seeded demo people, through the same path as an import."""
    from tandem.people.demo import demo_people

    return people_import_apply(
        organisation=organisation,
        records=demo_people(seed=seed, size=size),
        actor=actor,
        source=f"demo generator (seed {seed})",
    )
