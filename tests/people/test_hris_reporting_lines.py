"""Validating reporting lines: unknown managers, people managing themselves, and loops, named on
each row they touch; at the import's scale and for any organisation chart (properties)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.people.hris import (
    ParsedPeople,
    find_reporting_loops,
    guess_mapping,
    parse_people,
    read_table,
)
from tests.people.hris_cases import CEO, CTO, HEADER, only, parse, where

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


def parsed_big(data: bytes) -> ParsedPeople:
    table = read_table(data=data, filename="big.csv")
    return parse_people(table=table, mapping=guess_mapping(table.headers))


# How long these take, and that the time grows linearly, is measured by bench/bench_hris.py.


def test_a_reporting_line_fifty_thousand_deep_validates() -> None:
    # A single reporting line 50,000 deep: the worst case for walking up reporting lines.
    parsed = parsed_big(big_org_csv(50_000))
    assert parsed.ok and len(parsed.records) == 50_000


def test_a_loop_through_fifty_thousand_people_is_found_and_summarised() -> None:
    parsed = parsed_big(big_org_csv(50_000, manager_of={1: 50_000}))
    assert len(parsed.problems) == 50_000
    assert {p.code for p in parsed.problems} == {"reporting_loop"}
    assert len(parsed.problems[0].message) < 2_000, "long loops are summarised"


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
