"""Planning a re-import, and exporting people so a spreadsheet never runs what it opens."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.people.hris import (
    FORMULA_PREFIXES,
    field_changes,
    guess_mapping,
    parse_people,
    plan_sync,
    read_table,
    spreadsheet_safe,
    write_people_csv,
)
from tandem.people.records import FieldChange, PersonRecord

GRACE = PersonRecord("1", "Grace Hopper", "grace@acme.example", title="CEO")
ALAN = PersonRecord("2", "Alan Turing", "alan@acme.example", "1", title="CTO", level=2)
ADA = PersonRecord(
    "3",
    "Ada Lovelace",
    "ada@acme.example",
    "2",
    title="Engineer",
    department="Engineering",
    start_date=datetime.date(2020, 1, 6),
    track="ic",
    level=4,
)


def known(
    *records: PersonRecord, archived: tuple[PersonRecord, ...] = ()
) -> dict[str, tuple[PersonRecord, bool]]:
    existing = {r.employee_id: (r, True) for r in records}
    existing.update({r.employee_id: (r, False) for r in archived})
    return existing


# --- plan_sync ----------------------------------------------------------------------------------


def test_a_first_import_adds_everyone() -> None:
    plan = plan_sync(records=[GRACE, ALAN, ADA], existing={})
    assert plan.added == (GRACE, ALAN, ADA)
    assert plan.changed == plan.leaving == plan.unchanged == plan.returning == ()


def test_the_same_export_again_changes_nothing() -> None:
    plan = plan_sync(records=[GRACE, ALAN, ADA], existing=known(GRACE, ALAN, ADA))
    assert plan.unchanged == (GRACE, ALAN, ADA)
    assert plan.is_empty


def test_the_row_a_record_came_from_is_not_a_change() -> None:
    plan = plan_sync(records=[replace(GRACE, row=7)], existing=known(GRACE))
    assert plan.is_empty


def test_changes_are_listed_field_by_field_as_text() -> None:
    promoted = replace(
        ADA,
        manager_id="1",
        title="Chief Scientist",
        level=None,
        start_date=datetime.date(2020, 2, 3),
    )
    plan = plan_sync(records=[GRACE, ALAN, promoted], existing=known(GRACE, ALAN, ADA))
    assert len(plan.changed) == 1
    change = plan.changed[0]
    assert change.record == promoted
    assert change.changes == (
        FieldChange("manager_id", "2", "1"),
        FieldChange("title", "Engineer", "Chief Scientist"),
        FieldChange("start_date", "2020-01-06", "2020-02-03"),
        FieldChange("level", "4", ""),
    )


def test_an_email_in_other_capitals_is_not_a_change() -> None:
    shouting = replace(GRACE, email="Grace@ACME.example")
    assert plan_sync(records=[shouting], existing=known(GRACE)).is_empty


def test_a_new_email_address_is_a_change() -> None:
    moved = replace(GRACE, email="grace@navy.example")
    assert field_changes(GRACE, moved) == (
        FieldChange("email", "grace@acme.example", "grace@navy.example"),
    )


def test_people_missing_from_the_file_are_leaving_not_deleted() -> None:
    plan = plan_sync(records=[GRACE], existing=known(GRACE, ALAN, ADA))
    assert plan.leaving == (ADA, ALAN), "sorted by name for the preview"
    assert plan.unchanged == (GRACE,)


def test_archived_people_back_in_the_file_are_returning() -> None:
    plan = plan_sync(records=[GRACE, ALAN, ADA], existing=known(GRACE, ALAN, archived=(ADA,)))
    assert plan.returning == (ADA,)
    assert plan.added == () and not plan.is_empty


def test_archived_people_still_absent_are_left_alone() -> None:
    plan = plan_sync(records=[GRACE, ALAN], existing=known(GRACE, ALAN, archived=(ADA,)))
    assert plan.is_empty and plan.leaving == ()


def test_a_returning_person_comes_back_with_the_files_details() -> None:
    back = replace(ADA, title="Staff Engineer")
    plan = plan_sync(records=[back], existing=known(archived=(ADA,)))
    assert plan.returning == (back,)


person_ids = st.sampled_from([str(i) for i in range(12)])


@st.composite
def records_and_existing(
    draw: st.DrawFn,
) -> tuple[list[PersonRecord], dict[str, tuple[PersonRecord, bool]]]:
    def person(employee_id: str) -> PersonRecord:
        title = draw(st.sampled_from(["", "CEO", "Engineer"]))
        return PersonRecord(employee_id, f"P{employee_id}", f"p{employee_id}@x.org", title=title)

    in_file = draw(st.sets(person_ids))
    in_tandem = draw(st.sets(person_ids))
    existing = {i: (person(i), draw(st.booleans())) for i in sorted(in_tandem)}
    return [person(i) for i in sorted(in_file)], existing


@settings(max_examples=200, deadline=None)
@given(case=records_and_existing())
def test_every_person_lands_in_exactly_one_part_of_the_plan(
    case: tuple[list[PersonRecord], dict[str, tuple[PersonRecord, bool]]],
) -> None:
    records, existing = case
    plan = plan_sync(records=records, existing=existing)
    from_file = [
        *plan.added,
        *(c.record for c in plan.changed),
        *plan.unchanged,
        *plan.returning,
    ]
    assert sorted(r.employee_id for r in from_file) == sorted(r.employee_id for r in records)
    in_file = {r.employee_id for r in records}
    assert {r.employee_id for r in plan.leaving} == {
        i for i, (_, active) in existing.items() if active and i not in in_file
    }
    assert {r.employee_id for r in plan.added} == in_file - set(existing)


# --- spreadsheet_safe ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ['=HYPERLINK("http://x")', "=1+1", "+1", "-2", "@SUM(A1)", "\t=1", "\r=1", "-"],
)
def test_formula_starts_get_a_quote(value: str) -> None:
    assert spreadsheet_safe(value) == "'" + value


@pytest.mark.parametrize("value", ["", "Zoë Müller", "a=b", "1+1", " =1", "'=1", "CEO - EMEA"])
def test_everything_else_is_unchanged(value: str) -> None:
    assert spreadsheet_safe(value) == value


@given(value=st.text())
def test_spreadsheet_safe_never_starts_with_a_formula_character_and_loses_nothing(
    value: str,
) -> None:
    safe = spreadsheet_safe(value)
    assert not safe.startswith(FORMULA_PREFIXES)
    assert safe in (value, "'" + value)
    assert spreadsheet_safe(safe) == safe, "applying it twice changes nothing more"


# --- write_people_csv ---------------------------------------------------------------------------


def test_the_export_has_the_import_columns_and_a_bom_for_excel() -> None:
    text = write_people_csv([GRACE, ALAN, ADA])
    assert text.startswith("\ufeffEmployee ID,Name,Email,Manager ID,Title,Department,Location,")
    assert text.splitlines()[3] == (
        "3,Ada Lovelace,ada@acme.example,2,Engineer,Engineering,,2020-01-06,ic,4"
    )
    assert "\r\n" in text
    assert not write_people_csv([], bom=False).startswith("\ufeff")


def test_the_export_never_hands_a_spreadsheet_a_formula() -> None:
    sneaky = replace(ALAN, title='=HYPERLINK("http://evil.example")', department="@SUM(1)")
    text = write_people_csv([sneaky])
    assert "'=HYPERLINK" in text and "'@SUM(1)" in text
    for line in text.splitlines()[1:]:
        for cell in line.split(","):
            assert not cell.lstrip('"').startswith(FORMULA_PREFIXES)


def test_an_export_imports_back_to_the_same_people() -> None:
    text = write_people_csv([GRACE, ALAN, ADA])
    table = read_table(data=text.encode("utf-8"), filename="people.csv")
    assert table.encoding == "utf-8-sig"
    parsed = parse_people(table=table, mapping=guess_mapping(table.headers))
    assert parsed.ok
    assert [replace(r, row=0) for r in parsed.records] == [GRACE, ALAN, ADA]
    existing = known(GRACE, ALAN, ADA)
    assert plan_sync(records=parsed.records, existing=existing).is_empty


safe_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20
).map(str.strip)


@settings(max_examples=150, deadline=None)
@given(title=safe_text, department=safe_text, location=safe_text)
def test_any_text_that_is_not_formula_like_survives_an_export_and_import(
    title: str, department: str, location: str
) -> None:
    person = replace(ALAN, title=title, department=department, location=location)
    text = write_people_csv([GRACE, person])
    table = read_table(data=text.encode("utf-8"), filename="people.csv")
    parsed = parse_people(table=table, mapping=guess_mapping(table.headers))
    assert parsed.ok
    back = parsed.records[1]
    for exported, imported in (
        (title, back.title),
        (department, back.department),
        (location, back.location),
    ):
        assert imported == spreadsheet_safe(exported), "formula-like text comes back quoted"


# --- conflicts with people Tandem keeps ---------------------------------------------------------


def test_an_email_kept_by_an_archived_person_cannot_go_to_a_new_id() -> None:
    rehired = PersonRecord("9", "Ada Lovelace", "ADA@acme.example", "2", row=4)
    plan = plan_sync(records=[GRACE, ALAN, rehired], existing=known(GRACE, ALAN, archived=(ADA,)))
    assert len(plan.conflicts) == 1
    conflict = plan.conflicts[0]
    assert conflict.row == 4 and conflict.code == "email_held_by_former_person"
    assert "employee id 3" in conflict.message and "left and is archived" in conflict.message
    assert "use their old employee id '3'" in conflict.message


def test_an_email_kept_by_someone_leaving_now_cannot_go_to_a_new_id() -> None:
    newcomer = PersonRecord("9", "Ada King", "ada@acme.example", "2", row=4)
    plan = plan_sync(records=[GRACE, ALAN, newcomer], existing=known(GRACE, ALAN, ADA))
    assert plan.leaving == (ADA,)
    assert [c.code for c in plan.conflicts] == ["email_held_by_former_person"]
    assert "is leaving with this import" in plan.conflicts[0].message


def test_emails_passed_between_people_in_the_file_are_no_conflict() -> None:
    swapped = [replace(ALAN, email=ADA.email), replace(ADA, email=ALAN.email)]
    plan = plan_sync(records=[GRACE, *swapped], existing=known(GRACE, ALAN, ADA))
    assert plan.conflicts == ()
    assert len(plan.changed) == 2


def test_a_plain_reimport_has_no_conflicts() -> None:
    assert plan_sync(records=[GRACE, ALAN, ADA], existing=known(GRACE, ALAN, ADA)).conflicts == ()
