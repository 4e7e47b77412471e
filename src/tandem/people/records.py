"""The shape of one person as an HRIS export describes them, before it touches the database.

The import engine (``hris/``), the demo generator (``demo.py``) and the import service
(``services.py``) all speak in these records, so a demo organisation is loaded exactly the way a
real export is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext, pgettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

# Canonical columns, in the order a preview shows them. The first three are required.
REQUIRED_FIELDS = ("employee_id", "name", "email")
OPTIONAL_FIELDS = (
    "manager_id",
    "title",
    "department",
    "location",
    "start_date",
    "track",
    "level",
)
ALL_FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS

# Field names as a form labels them, and as they read inside a sentence ("Choose the column
# that holds the manager's employee id"). The column names of import files stay English: these
# are only what people read.
FIELD_LABELS: dict[str, _StrOrPromise] = {
    "employee_id": pgettext_lazy("people import field", "Employee id"),
    "name": pgettext_lazy("people import field", "Name"),
    "email": pgettext_lazy("people import field", "Email"),
    "manager_id": pgettext_lazy("people import field", "Manager's employee id"),
    "title": pgettext_lazy("people import field", "Title"),
    "department": pgettext_lazy("people import field", "Department"),
    "location": pgettext_lazy("people import field", "Location"),
    "start_date": pgettext_lazy("people import field", "Start date"),
    "track": pgettext_lazy("people import field", "Track"),
    "level": pgettext_lazy("people import field", "Level"),
}
FIELD_NAMES: dict[str, _StrOrPromise] = {
    "employee_id": pgettext_lazy("people import field, in a sentence", "employee id"),
    "name": pgettext_lazy("people import field, in a sentence", "name"),
    "email": pgettext_lazy("people import field, in a sentence", "email"),
    "manager_id": pgettext_lazy("people import field, in a sentence", "manager's employee id"),
    "title": pgettext_lazy("people import field, in a sentence", "title"),
    "department": pgettext_lazy("people import field, in a sentence", "department"),
    "location": pgettext_lazy("people import field, in a sentence", "location"),
    "start_date": pgettext_lazy("people import field, in a sentence", "start date"),
    "track": pgettext_lazy("people import field, in a sentence", "track"),
    "level": pgettext_lazy("people import field, in a sentence", "level"),
}

# Fields compared when an export is imported again (the manager by employee id).
SYNCED_FIELDS = ALL_FIELDS[1:]


@dataclass(frozen=True)
class PersonRecord:
    """One validated row. ``track`` is "", "ic", "manager" or "lead"; ``level`` 1..9 or None."""

    employee_id: str
    name: str
    email: str
    manager_id: str = ""
    title: str = ""
    department: str = ""
    location: str = ""
    start_date: datetime.date | None = None
    track: str = ""
    level: int | None = None
    row: int = 0  # the row in the source file (header is row 1); 0 when not from a file


@dataclass(frozen=True)
class Problem:
    """Something wrong with the file, named by row and column so it can be fixed."""

    message: str
    row: int | None = None  # the spreadsheet row number: the header is row 1
    column: str | None = None  # the column's header as written in the file
    column_letter: str | None = None  # A, B, ... as a spreadsheet shows it
    code: str = ""  # what kind of problem, e.g. "bad_date" (see docs/people-import.md)

    def __str__(self) -> str:
        values = {
            "row": self.row,
            "column": self.column,
            "letter": self.column_letter,
            "message": self.message,
        }
        if self.row is not None and self.column and self.column_letter:
            return gettext("row %(row)s, column '%(column)s' (%(letter)s): %(message)s") % values
        if self.row is not None and self.column:
            return gettext("row %(row)s, column '%(column)s': %(message)s") % values
        if self.row is not None:
            return gettext("row %(row)s: %(message)s") % values
        if self.column and self.column_letter:
            return gettext("column '%(column)s' (%(letter)s): %(message)s") % values
        if self.column:
            return gettext("column '%(column)s': %(message)s") % values
        return self.message


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class PersonChange:
    record: PersonRecord
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class SyncPlan:
    """What importing a file would do: nothing here has been saved yet."""

    added: tuple[PersonRecord, ...] = ()
    changed: tuple[PersonChange, ...] = ()
    leaving: tuple[PersonRecord, ...] = ()  # in Tandem but not in the file: will be archived
    unchanged: tuple[PersonRecord, ...] = ()
    returning: tuple[PersonRecord, ...] = ()  # archived before, back in the file
    # Changes the database would refuse, e.g. an email still held by someone who left. A plan
    # with conflicts must not be applied: show them like problems, by row.
    conflicts: tuple[Problem, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.leaving or self.returning)


@dataclass(frozen=True)
class ParsedPeople:
    records: tuple[PersonRecord, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems
