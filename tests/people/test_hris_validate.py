"""Validating people: every problem named by its row and column, all of them at once."""

from __future__ import annotations

import datetime
import inspect
import io
import re
from pathlib import Path

import openpyxl
import pytest

from tandem.people import hris
from tandem.people.hris import (
    ACCEPTED_DATE_FORMATS,
    guess_mapping,
    parse_date,
    parse_people,
    read_table,
)
from tests.people.hris_cases import CEO, CTO, DEV, FILES, only, parse, where

# --- good files ---------------------------------------------------------------------------------


def test_a_good_file_gives_one_record_per_row() -> None:
    parsed = parse(CEO, CTO, DEV)
    assert parsed.ok and parsed.problems == () and parsed.warnings == ()
    zoe = parsed.records[2]
    assert zoe.employee_id == "3" and zoe.name == "Zoë Müller" and zoe.manager_id == "2"
    assert zoe.start_date == datetime.date(2018, 6, 4)
    assert (zoe.track, zoe.level, zoe.row) == ("ic", 4, 4)


def test_the_good_sample_file_has_ten_people_and_one_at_the_top() -> None:
    data = (FILES / "people-good.csv").read_bytes()
    table = read_table(data=data, filename="people-good.csv")
    parsed = parse_people(table=table, mapping=guess_mapping(table.headers))
    assert parsed.ok, [str(p) for p in parsed.problems]
    assert len(parsed.records) == 10
    assert [r.name for r in parsed.records if not r.manager_id] == ["Amara Okafor"]


def test_the_bad_sample_file_has_one_problem_on_row_4_in_the_start_date_column() -> None:
    data = (FILES / "people-bad.csv").read_bytes()
    table = read_table(data=data, filename="people-bad.csv")
    parsed = parse_people(table=table, mapping=guess_mapping(table.headers))
    problem = only(parsed)
    assert where(problem) == (4, "Start date", "H")
    assert problem.code == "bad_date"
    assert "2021-13-45" in problem.message and "no month 13" in problem.message
    assert parsed.records == (), "an import is all or nothing"


def test_whitespace_around_values_is_stripped() -> None:
    parsed = parse("  1 , Amara Okafor ,  amara@acme.example ,, CEO ,,,")
    record = parsed.records[0]
    assert (record.employee_id, record.name, record.email, record.title) == (
        "1",
        "Amara Okafor",
        "amara@acme.example",
        "CEO",
    )


def test_optional_columns_may_be_missing_from_the_file() -> None:
    parsed = parse("1,Amara,amara@acme.example", header="Employee ID,Name,Email")
    assert parsed.ok
    assert parsed.records[0].manager_id == "" and parsed.records[0].start_date is None


# --- the mapping --------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["employee_id", "name", "email"])
def test_an_unmapped_required_field_is_a_problem_without_a_row(field: str) -> None:
    problem = only(parse(CEO, **{field: None}))
    assert where(problem) == (None, None, None)
    assert problem.code == "unmapped_required"
    assert "No column is chosen" in problem.message


def test_a_mapping_to_a_column_the_file_lacks_is_a_problem() -> None:
    problem = only(parse(CEO, title="Job title"))
    assert problem.code == "unknown_column" and "'Job title'" in problem.message


def test_one_column_for_two_fields_is_a_problem() -> None:
    problem = only(parse(CEO, department="Title"))
    assert problem.code == "column_used_twice"
    assert "title and department" in problem.message


def test_a_header_without_rows_is_a_problem() -> None:
    assert only(parse()).code == "no_rows"


# --- required values ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "letter"),
    [
        (",Amara,amara@acme.example,,,,,", "Employee ID", "A"),
        ("1,,amara@acme.example,,,,,", "Name", "B"),
        ("1,Amara,,,,,,", "Email", "C"),
    ],
)
def test_a_missing_required_value_is_named_by_row_and_column(
    row: str, column: str, letter: str
) -> None:
    problem = only(parse(CTO.replace(",1,", ",,"), row))
    assert where(problem) == (3, column, letter)
    assert problem.code == "missing_value"
    assert "is missing" in problem.message


def test_every_problem_is_found_not_just_the_first() -> None:
    parsed = parse(
        ",,,,Engineer,,,",  # row 2: three missing values
        "5,Ann,not-an-email,9,,2021-02-30,boss,12",  # row 3: five problems
        "6,Bob,bob@acme.example,,,,,",
    )
    found = [(p.row, p.column_letter, p.code) for p in parsed.problems]
    assert found == [
        (2, "A", "missing_value"),
        (2, "B", "missing_value"),
        (2, "C", "missing_value"),
        (3, "C", "bad_email"),
        (3, "D", "unknown_manager"),
        (3, "F", "bad_date"),
        (3, "G", "bad_track"),
        (3, "H", "bad_level"),
    ]
    assert parsed.records == ()


def test_problems_are_sorted_by_row_then_column() -> None:
    parsed = parse(CEO, "2,B,b@x.org,1,,,,99", "3,C,b@x.org,1,,,,")
    rows = [(p.row, p.column_letter) for p in parsed.problems]
    assert rows == sorted(rows, key=lambda pair: (pair[0] or 0, pair[1] or ""))


# --- duplicates ---------------------------------------------------------------------------------


def test_a_duplicate_employee_id_names_both_rows() -> None:
    problem = only(parse(CEO, CTO, "2,Ann Other,ann@acme.example,1,,,,"))
    assert where(problem) == (4, "Employee ID", "A")
    assert problem.code == "duplicate_employee_id"
    assert "'2'" in problem.message and "row 3" in problem.message


def test_every_repeat_of_an_id_points_at_the_first() -> None:
    parsed = parse(CEO, "1,B,b@x.org,,,,,", "1,C,c@x.org,,,,,")
    assert [(p.row, "row 2" in p.message) for p in parsed.problems] == [(3, True), (4, True)]


def test_a_duplicate_email_ignores_capitals_and_names_both_rows() -> None:
    problem = only(parse(CEO, CTO.replace("lars@acme.example", "AMARA@Acme.Example")))
    assert where(problem) == (3, "Email", "C")
    assert problem.code == "duplicate_email"
    assert "row 2" in problem.message and "AMARA@Acme.Example" in problem.message


# --- emails -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "email",
    [
        "amara",
        "amara@",
        "@acme.example",
        "amara@acme",
        "amara okafor@acme.example",
        "amara@@acme.example",
        "amara@acme..example",
        "amara@acme.example.",
        "amara@acme.example,lars@acme.example",
        "Amara <amara@acme.example>",
    ],
)
def test_a_malformed_email_is_a_problem(email: str) -> None:
    problem = only(parse(f'1,Amara,"{email}",,,,,'))
    assert where(problem) == (2, "Email", "C")
    assert problem.code == "bad_email"
    assert email in problem.message and "name@example.com" in problem.message


@pytest.mark.parametrize(
    "email",
    ["o'brien@acme.example", "first.last+tag@mail.acme.co.uk", "zoë@exämple.de", "a@b.io"],
)
def test_unusual_but_valid_emails_pass(email: str) -> None:
    assert parse(f"1,Amara,{email},,,,,").ok


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-03-04", datetime.date(2021, 3, 4)),
        ("2021-3-4", datetime.date(2021, 3, 4)),
        ("04/03/2021", datetime.date(2021, 3, 4)),
        ("4/3/2021", datetime.date(2021, 3, 4)),
        ("4.3.2021", datetime.date(2021, 3, 4)),
        ("04.03.2021", datetime.date(2021, 3, 4)),
        ("29/02/2020", datetime.date(2020, 2, 29)),
        ("2021-03-04 00:00:00", datetime.date(2021, 3, 4)),
        ("2021-03-04T09:30", datetime.date(2021, 3, 4)),
    ],
)
def test_accepted_date_formats(value: str, expected: datetime.date) -> None:
    assert parse_date(value) == expected
    assert parse(f"1,Amara,a@x.org,,,{value},,").records[0].start_date == expected


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("2021-13-45", "no month 13"),
        ("2021-02-29", "that day does not exist"),
        ("31/04/2021", "that day does not exist"),
        ("0.0.2021", "no month 0"),
        ("1850-01-01", "year 1850"),
        ("2021/03/04", ACCEPTED_DATE_FORMATS),
        ("04-03-2021", ACCEPTED_DATE_FORMATS),
        ("4/3/21", ACCEPTED_DATE_FORMATS),
        ("March 4, 2021", ACCEPTED_DATE_FORMATS),
        ("soon", ACCEPTED_DATE_FORMATS),
        ("44259", "date number"),
    ],
)
def test_bad_dates_are_named_with_what_was_wrong(value: str, says: str) -> None:
    problem = only(parse(f'1,Amara,a@x.org,,,"{value}",,'))
    assert where(problem) == (2, "Start date", "F")
    assert problem.code == "bad_date"
    assert f"'{value}'" in problem.message and says in problem.message
    assert parse_date(value) is None


def test_a_column_of_month_first_dates_is_caught_before_it_is_misread() -> None:
    parsed = parse(
        "1,A,a@x.org,,,12/25/2021,,",  # only makes sense month first
        "2,B,b@x.org,1,,03/04/2021,,",  # would silently be 3 April instead of 4 March
        "3,C,c@x.org,1,,20/04/2021,,",
    )
    codes = [(p.row, p.code) for p in parsed.problems]
    assert codes == [(None, "month_first_dates"), (2, "bad_date")]
    assert parsed.problems[0].column == "Start date"
    assert "12/25/2021" in parsed.problems[0].message
    assert "month/day/year" in parsed.problems[1].message


def test_day_first_dates_alone_raise_no_alarm() -> None:
    assert parse("1,A,a@x.org,,,25/12/2021,,", "2,B,b@x.org,1,,03/04/2021,,").ok


# --- tracks and levels --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "track"),
    [
        ("ic", "ic"),
        ("IC", "ic"),
        ("Individual contributor", "ic"),
        ("individual-contributor", "ic"),
        ("manager", "manager"),
        ("People Manager", "manager"),
        ("people_manager", "manager"),
        ("lead", "lead"),
        ("Leadership without reports", "lead"),
        ("LEADERSHIP  WITHOUT  REPORTS", "lead"),
        ("", ""),
    ],
)
def test_accepted_tracks(value: str, track: str) -> None:
    assert parse(f"1,A,a@x.org,,,,{value},").records[0].track == track


@pytest.mark.parametrize("value", ["boss", "executive", "i.c."])
def test_an_unknown_track_lists_the_accepted_ones(value: str) -> None:
    problem = only(parse(f"1,A,a@x.org,,,,{value},"))
    assert where(problem) == (2, "Track", "G")
    assert problem.code == "bad_track"
    assert "individual contributor" in problem.message and "leadership without reports" in (
        problem.message
    )


@pytest.mark.parametrize(
    ("value", "level"), [("1", 1), ("9", 9), ("04", 4), ("3.0", 3), ("", None)]
)
def test_accepted_levels(value: str, level: int | None) -> None:
    assert parse(f"1,A,a@x.org,,,,,{value}").records[0].level == level


@pytest.mark.parametrize("value", ["0", "10", "2.5", "-1", "three", "L3", "1e3"])
def test_a_level_must_be_a_whole_number_from_1_to_9(value: str) -> None:
    problem = only(parse(f"1,A,a@x.org,,,,,{value}"))
    assert where(problem) == (2, "Level", "H")
    assert problem.code == "bad_level"
    assert "whole number from 1 to 9" in problem.message


# --- lengths ------------------------------------------------------------------------------------


def test_values_too_long_for_tandem_are_problems() -> None:
    problem = only(parse(f"1,{'A' * 201},a@x.org,,,,,"))
    assert where(problem) == (2, "Name", "B")
    assert problem.code == "too_long" and "201 characters" in problem.message


# --- formula-looking text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://evil.example","click")', "+44 20 7946 0000", "-", "@ceo", "=1+1"]
)
def test_formula_looking_text_is_kept_exactly_with_a_warning(value: str) -> None:
    quoted = value.replace('"', '""')
    parsed = parse(CEO, f'2,Lars,lars@x.org,1,"{quoted}",,,')
    assert parsed.ok, "a warning, never a problem"
    assert parsed.records[1].title == value
    warning = parsed.warnings[0]
    assert where(warning) == (3, "Title", "E")
    assert warning.code == "formula_like_text"
    assert "keeps it as text exactly" in warning.message and "never runs it" in warning.message


def test_formula_looking_text_with_spaces_around_it_is_stripped_but_otherwise_kept() -> None:
    parsed = parse('1,"  =SUM(A1:A9)  ",a@x.org,,,,,')
    assert parsed.records[0].name == "=SUM(A1:A9)"
    assert [w.code for w in parsed.warnings] == ["formula_like_text"]


def test_file_notes_become_warnings() -> None:
    text = "Employee ID,Name,Email\n1,Siobhan O’Brien,s@x.org\n"
    table = read_table(data=text.encode("cp1252"), filename="people.csv")
    parsed = parse_people(table=table, mapping=guess_mapping(table.headers))
    assert parsed.ok
    assert [w.code for w in parsed.warnings] == ["file_note"]
    assert parsed.records[0].name == "Siobhan O’Brien"


# --- XLSX rows and columns ----------------------------------------------------------------------


def test_xlsx_problems_are_named_by_the_sheets_rows_and_columns() -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Worker ID", "Full name", "Work email", "Supervisor ID", "Hire date"])
    sheet.append([1001, "Amara Okafor", "amara@acme.example", None, datetime.date(2015, 3, 2)])
    sheet.append([])
    sheet.append([1002.0, "Lars Eriksen", "lars@acme.example", 1001, "31/02/2016"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(data=buffer.getvalue(), filename="people.xlsx")
    parsed = parse_people(table=table, mapping=guess_mapping(table.headers))
    assert where(only(parsed)) == (4, "Hire date", "E")


def test_split_name_problems_point_at_both_columns() -> None:
    text = "Employee ID,First name,Last name,Email\n1,,,a@x.org\n"
    table = read_table(data=text.encode(), filename="people.csv")
    parsed = parse_people(table=table, mapping=guess_mapping(table.headers))
    assert where(only(parsed)) == (2, "First name + Last name", "B+C")


# --- guessing the mapping -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Employee ID", "employee_id"),
        ("emp_id", "employee_id"),
        ("Worker ID", "employee_id"),
        ("Employee #", "employee_id"),
        ("EMPLOYEE NUMBER", "employee_id"),
        ("Full name", "name"),
        ("Employee Name", "name"),
        ("Work email", "email"),
        ("E-mail", "email"),
        ("Email Address", "email"),
        ("Manager ID", "manager_id"),
        ("Supervisor ID", "manager_id"),
        ("Reports To ID", "manager_id"),
        ("Job title", "title"),
        ("Position", "title"),
        ("Dept", "department"),
        ("Department Name", "department"),
        ("Office", "location"),
        ("Work location", "location"),
        ("Hire date", "start_date"),
        ("Start date", "start_date"),
        ("Date of joining", "start_date"),
        ("Career track", "track"),
        ("Job level", "level"),
        ("Grade", "level"),
    ],
)
def test_guess_mapping_knows_common_hris_spellings(header: str, field: str) -> None:
    assert guess_mapping(["Something else", header])[field] == header


def test_guess_mapping_prefers_the_better_spelling_and_uses_each_header_once() -> None:
    headers = ["Manager", "Manager ID", "ID", "Employee ID", "Name", "Title", "Job title"]
    mapping = guess_mapping(headers)
    assert mapping["manager_id"] == "Manager ID", "an id column beats a bare 'Manager'"
    assert mapping["employee_id"] == "Employee ID"
    assert mapping["title"] == "Title", "equally good: the leftmost wins"
    assert mapping["email"] is None
    chosen = [header for header in mapping.values() if header]
    assert len(chosen) == len(set(chosen))


def test_guess_mapping_returns_every_field() -> None:
    mapping = guess_mapping([])
    assert set(mapping) == {
        "employee_id",
        "name",
        "email",
        "manager_id",
        "title",
        "department",
        "location",
        "start_date",
        "track",
        "level",
    }
    assert set(mapping.values()) == {None}


# --- the user documentation ---------------------------------------------------------------------


def test_every_problem_code_is_explained_in_the_docs() -> None:
    source = "".join(p.read_text() for p in Path(inspect.getfile(hris)).parent.glob("*.py"))
    codes = set(re.findall(r'code="([a-z_]+)"', source))
    assert len(codes) > 10
    docs = (Path(__file__).parents[2] / "docs" / "people-import.md").read_text()
    assert not {code for code in codes if f"`{code}`" not in docs}


def test_the_docs_state_the_accepted_formats_and_limits() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "people-import.md").read_text()
    for fragment in ("`YYYY-MM-DD`", "`DD/MM/YYYY`", "`D.M.YYYY`"):
        assert fragment in docs
    assert f"{hris.MAX_FILE_BYTES // 1024 // 1024} MB" in docs
    assert f"{hris.MAX_ROWS:,} people" in docs
    assert f"{hris.MAX_COLUMNS} columns" in docs
