"""Validating a table's rows into people records, naming every problem by row and column."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext, gettext_lazy, pgettext

from tandem.people.hris._shared import FORMULA_PREFIXES
from tandem.people.hris.dates import _date_cell, _month_first_dates
from tandem.people.hris.reading import Table
from tandem.people.hris.reporting_lines import _check_loops, _check_managers
from tandem.people.records import (
    ALL_FIELDS,
    FIELD_LABELS,
    FIELD_NAMES,
    REQUIRED_FIELDS,
    ParsedPeople,
    PersonRecord,
    Problem,
)

# The longest value each text field may hold (the database's column sizes).
MAX_LENGTHS = {
    "employee_id": 64,
    "name": 200,
    "email": 254,
    "manager_id": 64,
    "title": 200,
    "department": 200,
    "location": 200,
}

TRACKS = {
    "ic": "ic",
    "individual contributor": "ic",
    "manager": "manager",
    "people manager": "manager",
    "lead": "lead",
    "leadership without reports": "lead",
}
ACCEPTED_TRACKS = (
    "ic or individual contributor, manager or people manager, lead or leadership without reports"
)
LOWEST_LEVEL, HIGHEST_LEVEL = 1, 9

# What a required value's absence is called, field by field (only these three can be missing).
_MISSING = {
    "employee_id": gettext_lazy("Employee id is missing. Every person needs an employee id."),
    "name": gettext_lazy("Name is missing. Every person needs a name."),
    "email": gettext_lazy("Email is missing. Every person needs an email."),
}


def _accepted_tracks() -> str:
    """ACCEPTED_TRACKS in the reader's language: the values stay as the file must write them."""
    return gettext(
        "%(ic)s or %(ic_long)s, %(manager)s or %(manager_long)s, %(lead)s or %(lead_long)s"
    ) % {
        "ic": "ic",
        "ic_long": "individual contributor",
        "manager": "manager",
        "manager_long": "people manager",
        "lead": "lead",
        "lead_long": "leadership without reports",
    }


@dataclass(frozen=True)
class _Column:
    field: str
    header: str
    index: int
    letter: str


@dataclass
class _Findings:
    """Problems (which stop the import) and warnings (which do not), as they are found."""

    columns: dict[str, _Column] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def problem(self, message: str, *, code: str, row: int | None = None, on: str = "") -> None:
        self.problems.append(self._make(message, code=code, row=row, on=on))

    def warning(self, message: str, *, code: str, row: int | None = None, on: str = "") -> None:
        self.warnings.append(self._make(message, code=code, row=row, on=on))

    def _make(self, message: str, *, code: str, row: int | None, on: str) -> Problem:
        column = self.columns.get(on)
        return Problem(
            message=message,
            row=row,
            column=column.header if column else None,
            column_letter=column.letter if column else None,
            code=code,
        )

    def sorted(self, items: list[Problem]) -> tuple[Problem, ...]:
        """File-wide findings first, then by row, then left to right."""
        order = {column.header: column.index for column in self.columns.values()}

        def key(item: Problem) -> tuple[int, int]:
            return (item.row or 0, order.get(item.column or "", -1))

        return tuple(sorted(items, key=key))


def parse_people(*, table: Table, mapping: Mapping[str, str | None]) -> ParsedPeople:
    """Validate every row and name every problem by row and column; stop at none of them.

    ``records`` are returned only when there are no problems: an import is all or nothing.
    Warnings (formula-looking text, the encoding guessed) never stop an import.
    """
    findings = _Findings()
    for note in table.notes:
        findings.warning(note, code="file_note")
    findings.columns = _resolve_mapping(table, mapping, findings)
    if findings.problems:
        return _result(findings, ())
    if not table.rows:
        findings.problem(
            gettext("The file has a header row but nobody under it. Export the people list again."),
            code="no_rows",
        )
        return _result(findings, ())
    month_first = _month_first_dates(table, findings)
    records = [
        _record_from_row(number, cells, findings, month_first=month_first)
        for number, cells in zip(table.row_numbers, table.rows, strict=True)
    ]
    _check_unique_ids(records, findings)
    _check_unique_emails(records, findings)
    _check_managers(records, findings)
    _check_loops(records, findings)
    return _result(findings, () if findings.problems else tuple(records))


def _result(findings: _Findings, records: tuple[PersonRecord, ...]) -> ParsedPeople:
    return ParsedPeople(
        records=records,
        problems=findings.sorted(findings.problems),
        warnings=findings.sorted(findings.warnings),
    )


def _resolve_mapping(
    table: Table, mapping: Mapping[str, str | None], findings: _Findings
) -> dict[str, _Column]:
    columns: dict[str, _Column] = {}
    used_by: dict[str, str] = {}
    for field_name in ALL_FIELDS:
        label = FIELD_NAMES[field_name]
        header = mapping.get(field_name) or None
        if header is None:
            if field_name in REQUIRED_FIELDS:
                findings.problem(
                    gettext(
                        "No column is chosen for %(field)s. Choose the column that holds it; "
                        "every person needs one."
                    )
                    % {"field": label},
                    code="unmapped_required",
                )
            continue
        if header not in table.headers:
            findings.problem(
                gettext(
                    "The column '%(header)s' chosen for %(field)s is not in the file. Choose one "
                    "of the file's columns."
                )
                % {"header": header, "field": label},
                code="unknown_column",
            )
            continue
        if header in used_by:
            findings.problem(
                gettext(
                    "The column '%(header)s' is chosen for both %(first)s and %(second)s. Choose "
                    "a different column for one of them."
                )
                % {"header": header, "first": FIELD_NAMES[used_by[header]], "second": label},
                code="column_used_twice",
            )
            continue
        used_by[header] = field_name
        index = table.headers.index(header)
        columns[field_name] = _Column(field_name, header, index, table.column_letters[index])
    return columns


def _record_from_row(
    number: int, cells: list[str], findings: _Findings, *, month_first: bool
) -> PersonRecord:
    """One row as a record; what cannot be read is reported and left empty."""
    values = {name: cells[column.index].strip() for name, column in findings.columns.items()}
    for name, value in values.items():
        _check_text(number, name, value, findings)
    _check_email(number, values.get("email", ""), findings)
    return PersonRecord(
        employee_id=values["employee_id"],
        name=values["name"],
        email=values["email"],
        manager_id=values.get("manager_id", ""),
        title=values.get("title", ""),
        department=values.get("department", ""),
        location=values.get("location", ""),
        start_date=_date_cell(number, values.get("start_date", ""), findings, month_first),
        track=_track_cell(number, values.get("track", ""), findings),
        level=_level_cell(number, values.get("level", ""), findings),
        row=number,
    )


def _check_text(number: int, name: str, value: str, findings: _Findings) -> None:
    label = FIELD_LABELS[name]
    if not value:
        if name in REQUIRED_FIELDS:
            findings.problem(
                str(_MISSING[name]),
                code="missing_value",
                row=number,
                on=name,
            )
        return
    limit = MAX_LENGTHS.get(name)
    if limit is not None and len(value) > limit:
        findings.problem(
            gettext(
                "%(field)s is %(length)s characters long; Tandem keeps at most %(limit)s. "
                "Shorten it in the file."
            )
            % {"field": label, "length": len(value), "limit": limit},
            code="too_long",
            row=number,
            on=name,
        )
    if value.startswith(FORMULA_PREFIXES):
        findings.warning(
            gettext(
                "'%(value)s' starts with '%(character)s', which a spreadsheet could run as a "
                "formula. Tandem keeps it as text exactly as written, never runs it, and exports "
                "it so spreadsheets show it as text."
            )
            % {"value": _shortened(value), "character": _shown(value[0])},
            code="formula_like_text",
            row=number,
            on=name,
        )


def _shortened(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _shown(character: str) -> str:
    if character == "\t":
        return pgettext("character in a cell", "tab")
    if character == "\r":
        return pgettext("character in a cell", "carriage return")
    return character


_EMAIL_LOCAL = r"[^@\s,;<>()\[\]\"]+"
_EMAIL_LABEL = r"[^@\s.,;<>()\[\]\"']+"
_EMAIL = re.compile(rf"{_EMAIL_LOCAL}@{_EMAIL_LABEL}(\.{_EMAIL_LABEL})+")
# Python's \s also takes \x1c-\x1f and \x85, which JavaScript's and Rust's do not: named here,
# so that every engine that reads the schema draws the same line.
EMAIL_PATTERN = "^" + _EMAIL.pattern.replace(r"\s", r"\s\x1c-\x1f\x85") + "$"
"""The same test as a pattern for schemas (JSON Schema, OpenAPI), anchored at both ends."""


def is_email_address(text: str) -> bool:
    """The import's test of an email address (SCIM provisioning applies the same one)."""
    return bool(_EMAIL.fullmatch(text))


def _check_email(number: int, email: str, findings: _Findings) -> None:
    if email and not is_email_address(email):
        findings.problem(
            gettext("'%(email)s' is not an email address. Write it like name@example.com.")
            % {"email": email},
            code="bad_email",
            row=number,
            on="email",
        )


def _track_cell(number: int, value: str, findings: _Findings) -> str:
    if not value:
        return ""
    key = " ".join(value.casefold().replace("-", " ").replace("_", " ").split())
    track = TRACKS.get(key)
    if track is None:
        findings.problem(
            gettext(
                "'%(value)s' is not a track Tandem knows. Use one of: %(tracks)s; or leave it "
                "empty."
            )
            % {"value": value, "tracks": _accepted_tracks()},
            code="bad_track",
            row=number,
            on="track",
        )
        return ""
    return track


def _level_cell(number: int, value: str, findings: _Findings) -> int | None:
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,3})(?:\.0+)?", value)
    level = int(match[1]) if match else None
    if level is None or not LOWEST_LEVEL <= level <= HIGHEST_LEVEL:
        findings.problem(
            gettext(
                "'%(value)s' is not a level. Use a whole number from %(lowest)s to %(highest)s, "
                "or leave it empty."
            )
            % {"value": value, "lowest": LOWEST_LEVEL, "highest": HIGHEST_LEVEL},
            code="bad_level",
            row=number,
            on="level",
        )
        return None
    return level


def _check_unique_ids(records: list[PersonRecord], findings: _Findings) -> None:
    first_row: dict[str, int] = {}
    for record in records:
        if not record.employee_id:
            continue
        earlier = first_row.setdefault(record.employee_id, record.row)
        if earlier != record.row:
            findings.problem(
                gettext(
                    "Employee id '%(employee_id)s' is also on row %(row)s. Each person needs their "
                    "own employee id: fix one of the two rows."
                )
                % {"employee_id": record.employee_id, "row": earlier},
                code="duplicate_employee_id",
                row=record.row,
                on="employee_id",
            )


def _check_unique_emails(records: list[PersonRecord], findings: _Findings) -> None:
    first_row: dict[str, int] = {}
    for record in records:
        if not record.email:
            continue
        earlier = first_row.setdefault(record.email.lower(), record.row)
        if earlier != record.row:
            findings.problem(
                gettext(
                    "Email '%(email)s' is also on row %(row)s (capitals do not count). Each person "
                    "needs their own email: fix one of the two rows."
                )
                % {"email": record.email, "row": earlier},
                code="duplicate_email",
                row=record.row,
                on="email",
            )
