"""Exporting people as CSV that a spreadsheet opens safely and Tandem can import again."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from tandem.people.hris._shared import FORMULA_PREFIXES, _as_text
from tandem.people.records import PersonRecord

EXPORT_COLUMNS = (
    ("employee_id", "Employee ID"),
    ("name", "Name"),
    ("email", "Email"),
    ("manager_id", "Manager ID"),
    ("title", "Title"),
    ("department", "Department"),
    ("location", "Location"),
    ("start_date", "Start date"),
    ("track", "Track"),
    ("level", "Level"),
)


def spreadsheet_safe(value: str) -> str:
    """The value as a spreadsheet will show it as text, never run it as a formula.

    A value starting with = + - @, a tab or a carriage return gets a leading single quote (the
    OWASP advice for CSV injection); anything else is returned unchanged.

    >>> spreadsheet_safe('=HYPERLINK("http://x")'), spreadsheet_safe("Zoë")
    ('\\'=HYPERLINK("http://x")', 'Zoë')
    """
    return f"'{value}" if value.startswith(FORMULA_PREFIXES) else value


def write_people_csv(records: Iterable[PersonRecord], *, bom: bool = True) -> str:
    """People as CSV text in the import's own format, so an export can be imported again.

    Starts with a byte order mark by default so that Excel reads the UTF-8 accents correctly;
    every cell goes through ``spreadsheet_safe``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for _, header in EXPORT_COLUMNS])
    writer.writerows(_export_row(record) for record in records)
    return ("\ufeff" if bom else "") + buffer.getvalue()


def _export_row(record: PersonRecord) -> list[str]:
    return [spreadsheet_safe(_as_text(getattr(record, name))) for name, _ in EXPORT_COLUMNS]
