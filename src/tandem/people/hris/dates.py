"""Start dates: the formats Tandem reads, and the problems a date column can have."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING

from django.utils.translation import gettext, ngettext

from tandem.people.hris.reading import Table

if TYPE_CHECKING:
    from tandem.people.hris.validation import _Findings

ACCEPTED_DATE_FORMATS = "YYYY-MM-DD, DD/MM/YYYY or D.M.YYYY"


def _accepted_date_formats() -> str:
    """ACCEPTED_DATE_FORMATS in the reader's language."""
    # Translators: the date formats the people import reads; the letters stand for year, month
    # and day, the separators (- / .) are what the file must use.
    return gettext("YYYY-MM-DD, DD/MM/YYYY or D.M.YYYY")


EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DOT_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")


def parse_date(value: str) -> datetime.date | None:
    """A date in one of the accepted formats, or None when it is not one (or not a real date).

    >>> parse_date("2021-03-04"), parse_date("04/03/2021"), parse_date("4.3.2021")
    (datetime.date(2021, 3, 4), datetime.date(2021, 3, 4), datetime.date(2021, 3, 4))
    >>> parse_date("2021-02-30") is None
    True
    """
    parts = _date_parts(value)
    if parts is None:
        return None
    year, month, day = parts
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _date_parts(value: str) -> tuple[int, int, int] | None:
    if match := _ISO_DATE.fullmatch(value):
        return int(match[1]), int(match[2]), int(match[3])
    for pattern in (_SLASH_DATE, _DOT_DATE):
        if match := pattern.fullmatch(value):
            return int(match[3]), int(match[2]), int(match[1])
    return None


def _month_first_dates(table: Table, findings: _Findings) -> bool:
    """True when slash dates in the column are written month first (US style): 12/25/2021.

    Tandem reads slashes as day/month/year, so in such a column every date whose day is 12 or
    less would be read wrongly without any error. That is reported once, for the whole column.
    """
    column = findings.columns.get("start_date")
    if column is None:
        return False
    evidence = ""
    ambiguous = 0
    for cells in table.rows:
        match = _SLASH_DATE.fullmatch(cells[column.index].strip())
        if not match:
            continue
        first, second = int(match[1]), int(match[2])
        if first <= 12 < second and not evidence:
            evidence = match[0]
        elif first <= 12 and second <= 12 and first != second:
            ambiguous += 1
    if evidence and ambiguous:
        findings.problem(
            ngettext(
                "Dates in this column seem to be written month first, like %(example)s, but "
                "Tandem reads DD/MM/YYYY, so %(count)s other date would be read wrongly. Export "
                "the dates as YYYY-MM-DD and upload the file again.",
                "Dates in this column seem to be written month first, like %(example)s, but "
                "Tandem reads DD/MM/YYYY, so %(count)s other dates would be read wrongly. Export "
                "the dates as YYYY-MM-DD and upload the file again.",
                ambiguous,
            )
            % {"example": evidence, "count": ambiguous},
            code="month_first_dates",
            on="start_date",
        )
    return bool(evidence)


def _date_cell(
    number: int, value: str, findings: _Findings, month_first: bool
) -> datetime.date | None:
    if not value:
        return None
    parsed = parse_date(value)
    if parsed is None:
        findings.problem(
            _bad_date_message(value, month_first),
            code="bad_date",
            row=number,
            on="start_date",
        )
    return parsed


def _bad_date_message(value: str, month_first: bool) -> str:
    parts = _date_parts(value)
    formats = _accepted_date_formats()
    if parts is None:
        if value.isdigit() and len(value) == 5:
            return gettext(
                "'%(value)s' is not a date Tandem can read. Use %(formats)s. It looks like a "
                "spreadsheet's date number: format the column as a date."
            ) % {"value": value, "formats": formats}
        return gettext("'%(value)s' is not a date Tandem can read. Use %(formats)s.") % {
            "value": value,
            "formats": formats,
        }
    year, month, _ = parts
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return gettext(
            "'%(value)s' has the year %(year)s, which cannot be a start date. Check the year."
        ) % {"value": value, "year": year}
    if month_first and _SLASH_DATE.fullmatch(value):
        return gettext(
            "'%(value)s' is not a real date as DD/MM/YYYY; it looks like month/day/year. "
            "Export the dates as YYYY-MM-DD."
        ) % {"value": value}
    if not 1 <= month <= 12:
        return gettext(
            "'%(value)s' is not a real date (there is no month %(month)s). Use %(formats)s."
        ) % {"value": value, "month": month, "formats": formats}
    return gettext("'%(value)s' is not a real date (that day does not exist). Use %(formats)s.") % {
        "value": value,
        "formats": formats,
    }
