"""Validating people: every problem named by its row and column, all of them at once."""

from __future__ import annotations

import datetime
import inspect
import io
import re
import time
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.people import hris
from tandem.people.hris import (
    ACCEPTED_DATE_FORMATS,
    ParsedPeople,
    Problem,
    find_reporting_loops,
    guess_mapping,
    parse_date,
    parse_people,
    read_table,
)

FILES = Path(__file__).parent / "files"
HEADER = "Employee ID,Name,Email,Manager ID,Title,Start date,Track,Level"
#         A           B    C     D          E     F          G     H
CEO = "1,Amara Okafor,amara@acme.example,,CEO,2015-03-02,manager,1"
CTO = "2,Lars Eriksen,lars@acme.example,1,CTO,2016-01-11,manager,2"
DEV = "3,Zoë Müller,zoe@acme.example,2,Engineer,2018-06-04,ic,4"


def parse(*rows: str, header: str = HEADER, **mapping: str | None) -> ParsedPeople:
    text = "\n".join([header, *rows]) + "\n"
    table = read_table(data=text.encode(), filename="people.csv")
    return parse_people(table=table, mapping={**guess_mapping(table.headers), **mapping})


def only(parsed: ParsedPeople) -> Problem:
    assert len(parsed.problems) == 1, [str(p) for p in parsed.problems]
    return parsed.problems[0]


def where(problem: Problem) -> tuple[int | None, str | None, str | None]:
    return problem.row, problem.column, problem.column_letter


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


# --- managers and loops -------------------------------------------------------------------------


def test_an_unknown_manager_id_is_a_problem() -> None:
    problem = only(parse(CEO, CTO.replace(",1,CTO", ",99,CTO")))
    assert where(problem) == (3, "Manager ID", "D")
    assert problem.code == "unknown_manager"
    assert "'99'" in problem.message


def test_a_manager_given_by_name_gets_a_hint() -> None:
    problem = only(parse(CEO, CTO.replace(",1,CTO", ",Amara Okafor,CTO")))
    assert problem.code == "unknown_manager"
    assert "employee id '1'" in problem.message and "not their names" in problem.message


def test_someone_managing_themselves_is_a_problem() -> None:
    problem = only(parse(CEO.replace(",,CEO", ",1,CEO")))
    assert where(problem) == (2, "Manager ID", "D")
    assert problem.code == "own_manager"


def test_a_loop_names_everyone_in_it_on_each_of_their_rows() -> None:
    parsed = parse(
        CEO,
        "2,Ann,ann@x.org,4,,,,",
        "3,Bob,bob@x.org,2,,,,",
        "4,Cy,cy@x.org,3,,,,",
        "5,Dee,dee@x.org,4,,,,",  # reports into the loop but is not part of it
    )
    assert [(p.row, p.column, p.code) for p in parsed.problems] == [
        (3, "Manager ID", "reporting_loop"),
        (4, "Manager ID", "reporting_loop"),
        (5, "Manager ID", "reporting_loop"),
    ]
    message = parsed.problems[0].message
    for name, row in (("Ann", 3), ("Bob", 4), ("Cy", 5)):
        assert f"{name} (employee id" in message and f"row {row})" in message
    assert "Dee" not in message


def test_two_people_managing_each_other_is_a_loop() -> None:
    parsed = parse("1,Ann,ann@x.org,2,,,,", "2,Bob,bob@x.org,1,,,,")
    assert [p.row for p in parsed.problems] == [2, 3]
    assert "Ann (employee id 1, row 2), who reports to Bob (employee id 2, row 3)" in (
        parsed.problems[0].message
    )


def test_separate_loops_are_each_reported() -> None:
    parsed = parse(
        "1,A,a@x.org,2,,,,", "2,B,b@x.org,1,,,,", "3,C,c@x.org,4,,,,", "4,D,d@x.org,3,,,,"
    )
    assert len(parsed.problems) == 4
    assert parsed.problems[0].message != parsed.problems[2].message


def test_a_long_loop_names_a_few_and_counts_the_rest() -> None:
    rows = [f"{i},P{i},p{i}@x.org,{i % 30 + 1},,,," for i in range(1, 31)]
    parsed = parse(*rows)
    assert len(parsed.problems) == 30
    assert "22 more people" in parsed.problems[0].message


def test_loop_finding_is_linear_and_exact() -> None:
    assert find_reporting_loops({"a": "b", "b": "c", "c": "a", "d": "a", "e": "d"}) == [
        ["a", "b", "c"]
    ]
    assert find_reporting_loops({"a": "b", "b": "c"}) == []


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


# --- scale --------------------------------------------------------------------------------------


def big_org_csv(people: int, *, manager_of: dict[int, int] | None = None) -> bytes:
    """A line of ``people``: each reports to the one before, unless ``manager_of`` says."""
    lines = [HEADER]
    for i in range(1, people + 1):
        manager = (manager_of or {}).get(i, i - 1 if i > 1 else None)
        lines.append(
            f"E{i},Person {i},person.{i}@acme.example,{f'E{manager}' if manager else ''},"
            f"Engineer,2020-01-{i % 28 + 1:02d},ic,4"
        )
    return ("\n".join(lines) + "\n").encode()


def timed_parse(data: bytes) -> tuple[ParsedPeople, float]:
    started = time.perf_counter()
    table = read_table(data=data, filename="big.csv")
    parsed = parse_people(table=table, mapping=guess_mapping(table.headers))
    return parsed, time.perf_counter() - started


def test_fifty_thousand_rows_validate_in_a_few_seconds() -> None:
    # A single reporting line 50,000 deep: the worst case for walking up reporting lines.
    parsed, seconds = timed_parse(big_org_csv(50_000))
    assert parsed.ok and len(parsed.records) == 50_000
    assert seconds < 10, f"took {seconds:.1f}s"  # about 1 s on a 2-core CI machine


def test_a_loop_through_fifty_thousand_people_is_found_quickly() -> None:
    parsed, seconds = timed_parse(big_org_csv(50_000, manager_of={1: 50_000}))
    assert len(parsed.problems) == 50_000
    assert {p.code for p in parsed.problems} == {"reporting_loop"}
    assert len(parsed.problems[0].message) < 2_000, "long loops are summarised"
    assert seconds < 10, f"took {seconds:.1f}s"


# --- properties ---------------------------------------------------------------------------------


@st.composite
def organisations(draw: st.DrawFn) -> list[int | None]:
    """Each person's manager as an index of someone listed earlier: always a tree (a forest)."""
    size = draw(st.integers(min_value=1, max_value=40))
    return [None] + [draw(st.integers(0, i - 1) | st.none()) for i in range(1, size)]


def org_csv(managers: list[int | None]) -> str:
    lines = [HEADER]
    for i, manager in enumerate(managers):
        manager_id = f"E{manager}" if manager is not None else ""
        lines.append(f"E{i},Person {i},p{i}@x.org,{manager_id},,,,")
    return "\n".join(lines) + "\n"


def parsed_from(text: str) -> ParsedPeople:
    table = read_table(data=text.encode(), filename="org.csv")
    return parse_people(table=table, mapping=guess_mapping(table.headers))


@settings(max_examples=200, deadline=None)
@given(managers=organisations())
def test_any_tree_validates_with_no_problems(managers: list[int | None]) -> None:
    parsed = parsed_from(org_csv(managers))
    assert parsed.ok
    assert [r.manager_id for r in parsed.records] == [
        f"E{m}" if m is not None else "" for m in managers
    ]


@settings(max_examples=200, deadline=None)
@given(managers=organisations(), data=st.data())
def test_a_back_edge_always_makes_a_loop_naming_exactly_its_people(
    managers: list[int | None], data: st.DataObject
) -> None:
    # Pick someone with a manager, then make one of their managers (up the chain) report to them.
    with_chain = [i for i, m in enumerate(managers) if m is not None]
    if not with_chain:
        managers = [None, 0]
        with_chain = [1]
    person = data.draw(st.sampled_from(with_chain))
    chain = [person]
    while managers[chain[-1]] is not None:
        chain.append(managers[chain[-1]])  # type: ignore[arg-type]
    ancestor_at = data.draw(st.integers(1, len(chain) - 1))
    looped = list(managers)
    looped[chain[ancestor_at]] = person
    parsed = parsed_from(org_csv(looped))
    in_loop = set(chain[: ancestor_at + 1])
    assert {p.code for p in parsed.problems} == {"reporting_loop"}
    assert {p.row for p in parsed.problems} == {i + 2 for i in in_loop}
    for i in in_loop:
        assert f"Person {i} (employee id E{i}," in parsed.problems[0].message


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
