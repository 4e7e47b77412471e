"""What the HRIS validation tests share: a header, three people and small parsing helpers."""

from __future__ import annotations

from pathlib import Path

from tandem.people.hris import ParsedPeople, Problem, guess_mapping, parse_people, read_table

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
