"""The people import engine: an HRIS export's bytes in, validated records and a sync plan out.

Plain Python (the standard library and openpyxl), no database, so every rule is tested quickly
and exhaustively. The flow is::

    read_table -> guess_mapping -> (the user confirms the mapping) -> parse_people -> plan_sync

and ``write_people_csv`` goes the other way, for exports that a spreadsheet opens safely.

Row numbers are the ones a spreadsheet shows: the header is row 1 when the file starts with it,
blank rows are skipped but still counted, so "row 12" is where the user will find the problem.

The engine is split by idea: ``reading`` (a file into a Table), ``columns`` (headers matched to
Tandem's fields), ``validation`` with ``dates`` and ``reporting_lines`` (rows into records),
``sync`` (the sync plan) and ``export`` (spreadsheet-safe CSV). Everything public is re-exported
here, so callers keep using ``from tandem.people import hris`` and ``hris.read_table``.
"""

from __future__ import annotations

from tandem.people.hris._shared import FORMULA_PREFIXES
from tandem.people.hris.columns import (
    FIRST_NAME_SPELLINGS,
    HEADER_SPELLINGS,
    JOINED_NAME_SPELLINGS,
    LAST_NAME_SPELLINGS,
    guess_mapping,
    header_key,
)
from tandem.people.hris.dates import ACCEPTED_DATE_FORMATS, EARLIEST_YEAR, LATEST_YEAR, parse_date
from tandem.people.hris.export import EXPORT_COLUMNS, spreadsheet_safe, write_people_csv
from tandem.people.hris.reading import (
    CSV_DELIMITERS,
    DELIMITER_LABELS,
    ENCODING_LABELS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_XLSX_UNPACKED_BYTES,
    Grid,
    HrisFileError,
    Table,
    column_letter,
    read_table,
)
from tandem.people.hris.reporting_lines import LOOP_NAMES_SHOWN, find_reporting_loops
from tandem.people.hris.sync import field_changes, plan_sync
from tandem.people.hris.validation import (
    ACCEPTED_TRACKS,
    EMAIL_PATTERN,
    HIGHEST_LEVEL,
    LOWEST_LEVEL,
    MAX_LENGTHS,
    TRACKS,
    is_email_address,
    parse_people,
)
from tandem.people.records import (
    ALL_FIELDS,
    FIELD_LABELS,
    REQUIRED_FIELDS,
    SYNCED_FIELDS,
    FieldChange,
    ParsedPeople,
    PersonChange,
    PersonRecord,
    Problem,
    SyncPlan,
)

__all__ = [
    "ACCEPTED_DATE_FORMATS",
    "ACCEPTED_TRACKS",
    "ALL_FIELDS",
    "CSV_DELIMITERS",
    "DELIMITER_LABELS",
    "EARLIEST_YEAR",
    "EMAIL_PATTERN",
    "ENCODING_LABELS",
    "EXPORT_COLUMNS",
    "FIELD_LABELS",
    "FIRST_NAME_SPELLINGS",
    "FORMULA_PREFIXES",
    "HEADER_SPELLINGS",
    "HIGHEST_LEVEL",
    "JOINED_NAME_SPELLINGS",
    "LAST_NAME_SPELLINGS",
    "LATEST_YEAR",
    "LOOP_NAMES_SHOWN",
    "LOWEST_LEVEL",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_LENGTHS",
    "MAX_ROWS",
    "MAX_XLSX_UNPACKED_BYTES",
    "REQUIRED_FIELDS",
    "SYNCED_FIELDS",
    "TRACKS",
    "FieldChange",
    "Grid",
    "HrisFileError",
    "ParsedPeople",
    "PersonChange",
    "PersonRecord",
    "Problem",
    "SyncPlan",
    "Table",
    "column_letter",
    "field_changes",
    "find_reporting_loops",
    "guess_mapping",
    "header_key",
    "is_email_address",
    "parse_date",
    "parse_people",
    "plan_sync",
    "read_table",
    "spreadsheet_safe",
    "write_people_csv",
]
