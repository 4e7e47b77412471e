"""Writes for organisations and people. Each is atomic and audited."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.audit.services import acting_user, audit_record
from tandem.people.hris import HIGHEST_LEVEL, LOWEST_LEVEL, MAX_LENGTHS, is_email_address, plan_sync
from tandem.people.models import Organisation, Person, PersonStatus, Track
from tandem.people.records import PersonRecord, Problem, SyncPlan
from tandem.people.selectors import person_records_by_employee_id, reporting_loop
from tandem.web.bulk import tables_analyze

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
    # A large import changes the table's statistics at once; do not wait for autovacuum.
    transaction.on_commit(lambda: tables_analyze(Person, AuditEvent))
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


class PersonChangeRefused(ValueError):
    """A change to one person that breaks a rule; ``field`` names the field at fault.
    ``conflict`` marks a value that is well formed but clashes with the people as they are (an
    email someone else has, a manager who is not there, a loop), rather than a malformed one."""

    def __init__(self, field: str, message: str, *, conflict: bool = False) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.conflict = conflict


PERSON_CHANGEABLE = (
    "name",
    "email",
    "title",
    "department",
    "location",
    "manager_id",
    "track",
    "level",
    "status",
)


def _changed_value(organisation: Organisation, person: Person, field: str, value: Any) -> Any:
    """``value`` checked and cleaned for ``field``, by the people import's rules."""
    if field in ("name", "email", "title", "department", "location"):
        text = "" if value is None else str(value).strip()
        if field in ("name", "email") and not text:
            raise PersonChangeRefused(field, "cannot be empty.")
        if len(text) > MAX_LENGTHS[field]:
            raise PersonChangeRefused(
                field, f"is {len(text)} characters long; Tandem keeps at most {MAX_LENGTHS[field]}."
            )
        if field == "email":
            text = text.lower()
            if not is_email_address(text):
                raise PersonChangeRefused(field, f"'{text}' is not an email address.")
            holder = (
                Person.objects.filter(organisation=organisation, email__iexact=text)
                .exclude(pk=person.pk)
                .first()
            )
            if holder is not None:
                raise PersonChangeRefused(
                    field,
                    f"{text} is already the email of {holder.name} (id {holder.pk}).",
                    conflict=True,
                )
        return text
    if field == "manager_id":
        if value is None:
            return None
        manager = Person.objects.filter(organisation=organisation, pk=value).first()
        if manager is None:
            raise PersonChangeRefused(
                field, f"nobody in this organisation has the id {value}.", conflict=True
            )
        loop = reporting_loop(person=person, manager=manager)
        if loop:
            described = " → ".join(p.name for p in [person, *loop])
            raise PersonChangeRefused(
                field,
                f"reporting lines would go round in a loop: {described}. Someone in it must "
                "report to a person outside it (or to nobody, at the top).",
                conflict=True,
            )
        return manager.pk
    if field == "track":
        track = value or ""
        if track and track not in Track.values:
            raise PersonChangeRefused(field, f"is one of {', '.join(Track.values)}, or empty.")
        return track
    if field == "level":
        if value is not None and not LOWEST_LEVEL <= int(value) <= HIGHEST_LEVEL:
            raise PersonChangeRefused(
                field, f"is a whole number from {LOWEST_LEVEL} to {HIGHEST_LEVEL}, or null."
            )
        return value
    if field == "status":
        if value not in PersonStatus.values:
            raise PersonChangeRefused(field, f"is one of {', '.join(PersonStatus.values)}.")
        return value
    raise PersonChangeRefused(field, "cannot be changed here.")


@transaction.atomic
def person_change(
    *,
    organisation: Organisation,
    person_id: int,
    changes: dict[str, Any],
    actor_label: str,
    source: str,
) -> Person:
    """Change some of one person's fields (any of :data:`PERSON_CHANGEABLE`), all or none.

    The rules are the people import's: the email unique in the organisation, the manager in
    it and no loop in reporting lines, lengths, tracks and levels. A person who leaves is
    archived (``status``), never deleted. Audited as the import and SCIM are.
    Raises ``Person.DoesNotExist`` for a person not in the organisation.
    """
    person = Person.objects.select_for_update().get(organisation=organisation, pk=person_id)
    cleaned = {
        field: _changed_value(organisation, person, field, value)
        for field, value in changes.items()
    }
    before = {field: getattr(person, field) for field in cleaned}
    for field, value in cleaned.items():
        setattr(person, field, value)
    changed = {f: [before[f], v] for f, v in cleaned.items() if before[f] != v}
    if not changed:
        return person
    status = changed.pop("status", None)
    if status is not None:
        person.archived_at = timezone.now() if status[1] == PersonStatus.ARCHIVED else None
    person.save()
    if status is not None:
        action = "person.archive" if status[1] == PersonStatus.ARCHIVED else "person.return"
        audit_record(
            organisation=organisation,
            actor=None,
            actor_label=actor_label,
            action=action,
            target=person,
            changes={"status": status, "source": source},
        )
    if changed:
        audit_record(
            organisation=organisation,
            actor=None,
            actor_label=actor_label,
            action="person.update",
            target=person,
            changes={**changed, "source": source},
        )
    return person
