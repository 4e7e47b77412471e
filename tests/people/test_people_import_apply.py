from __future__ import annotations

import datetime

import pytest

from tandem.audit.models import AuditEvent
from tandem.people.models import Person, PersonStatus
from tandem.people.records import PersonRecord
from tandem.people.services import ImportConflict, people_import_apply
from tests.factories import make_organisation


def rec(employee_id: str, name: str, manager_id: str = "", **fields: object) -> PersonRecord:
    return PersonRecord(
        employee_id=employee_id,
        name=name,
        email=f"{name.lower().replace(' ', '.')}@example.org",
        manager_id=manager_id,
        **fields,  # type: ignore[arg-type]
    )


FIRST_EXPORT = [
    rec("1", "Grace Hopper", title="CEO"),
    rec("2", "Alan Turing", "1", title="CTO", department="Engineering"),
    rec("3", "Ada Lovelace", "2", title="Engineer", start_date=datetime.date(2020, 1, 6)),
]


@pytest.mark.django_db
def test_it_adds_everyone_with_their_reporting_lines() -> None:
    org = make_organisation()
    outcome = people_import_apply(organisation=org, records=FIRST_EXPORT, actor=None)
    assert (outcome.added, outcome.changed, outcome.archived) == (3, 0, 0)
    ada = Person.objects.get(organisation=org, employee_id="3")
    assert ada.manager is not None and ada.manager.name == "Alan Turing"
    assert ada.start_date == datetime.date(2020, 1, 6)


@pytest.mark.django_db
def test_reimporting_the_same_export_changes_nothing() -> None:
    org = make_organisation()
    people_import_apply(organisation=org, records=FIRST_EXPORT, actor=None)
    outcome = people_import_apply(organisation=org, records=FIRST_EXPORT, actor=None)
    assert (outcome.added, outcome.changed, outcome.archived, outcome.unchanged) == (0, 0, 0, 3)


@pytest.mark.django_db
def test_people_missing_from_the_file_are_archived_not_deleted() -> None:
    org = make_organisation()
    people_import_apply(organisation=org, records=FIRST_EXPORT, actor=None)
    outcome = people_import_apply(organisation=org, records=FIRST_EXPORT[:2], actor=None)
    assert outcome.archived == 1
    ada = Person.objects.get(organisation=org, employee_id="3")
    assert ada.status == PersonStatus.ARCHIVED and ada.archived_at is not None
    assert ada.manager is not None, "history keeps the last reporting line"
    back = people_import_apply(organisation=org, records=FIRST_EXPORT, actor=None)
    assert back.returned == 1
    ada.refresh_from_db()
    assert ada.status == PersonStatus.ACTIVE and ada.archived_at is None


@pytest.mark.django_db
def test_changes_are_applied_and_audited_field_by_field() -> None:
    org = make_organisation()
    people_import_apply(organisation=org, records=FIRST_EXPORT, actor=None)
    promoted = [
        *FIRST_EXPORT[:2],
        rec(
            "3", "Ada Lovelace", "1", title="Chief Scientist", start_date=datetime.date(2020, 1, 6)
        ),
    ]
    outcome = people_import_apply(organisation=org, records=promoted, actor=None)
    assert outcome.changed == 1
    ada = Person.objects.get(organisation=org, employee_id="3")
    assert ada.title == "Chief Scientist"
    assert ada.manager is not None and ada.manager.employee_id == "1"
    event = AuditEvent.objects.get(action="person.update", target_id=str(ada.pk))
    assert event.changes["title"] == ["Engineer", "Chief Scientist"]
    assert event.changes["manager_id"] == ["2", "1"]


@pytest.mark.django_db
def test_one_organisations_import_never_touches_another() -> None:
    acme, globex = make_organisation("Acme"), make_organisation("Globex")
    people_import_apply(organisation=acme, records=FIRST_EXPORT, actor=None)
    people_import_apply(organisation=globex, records=FIRST_EXPORT[:1], actor=None)
    assert Person.objects.filter(organisation=acme, status=PersonStatus.ACTIVE).count() == 3
    assert Person.objects.filter(organisation=globex).count() == 1


@pytest.mark.django_db
def test_a_failure_part_way_saves_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    org = make_organisation()
    people_import_apply(organisation=org, records=FIRST_EXPORT[:1], actor=None)

    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(AuditEvent.objects, "bulk_create", explode)
    with pytest.raises(RuntimeError):
        people_import_apply(organisation=org, records=FIRST_EXPORT, actor=None)
    assert Person.objects.filter(organisation=org).count() == 1


@pytest.mark.django_db
def test_two_people_can_swap_emails() -> None:
    org = make_organisation()
    people_import_apply(organisation=org, records=FIRST_EXPORT, actor=None)
    grace, alan = FIRST_EXPORT[0], FIRST_EXPORT[1]
    swapped = [
        PersonRecord(employee_id="1", name=grace.name, email=alan.email, title="CEO"),
        PersonRecord(
            employee_id="2",
            name=alan.name,
            email=grace.email,
            manager_id="1",
            title="CTO",
            department="Engineering",
        ),
        FIRST_EXPORT[2],
    ]
    outcome = people_import_apply(organisation=org, records=swapped, actor=None)
    assert outcome.changed == 2
    assert Person.objects.get(organisation=org, employee_id="1").email == alan.email


@pytest.mark.django_db
def test_a_rehire_under_a_new_id_with_a_kept_email_is_refused_whole() -> None:
    org = make_organisation()
    people_import_apply(organisation=org, records=FIRST_EXPORT, actor=None)
    people_import_apply(organisation=org, records=FIRST_EXPORT[:2], actor=None)  # Ada leaves
    rehired = [*FIRST_EXPORT[:2], rec("9", "Ada Lovelace", "2")]
    with pytest.raises(ImportConflict):
        people_import_apply(organisation=org, records=rehired, actor=None)
    assert not Person.objects.filter(organisation=org, employee_id="9").exists()
