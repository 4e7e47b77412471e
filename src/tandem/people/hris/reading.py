"""The people import engine: an HRIS export's bytes in, validated records and a sync plan out.

Plain Python (the standard library and openpyxl), no database, so every rule is tested quickly
and exhaustively. The flow is::

    read_table -> guess_mapping -> (the user confirms the mapping) -> parse_people -> plan_sync

and ``write_people_csv`` goes the other way, for exports that a spreadsheet opens safely.

Row numbers are the ones a spreadsheet shows: the header is row 1 when the file starts with it,
blank rows are skipped but still counted, so "row 12" is where the user will find the problem.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

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

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000  # people per file, not counting the header
MAX_COLUMNS = 200
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024  # guards against "zip bombs"

# A spreadsheet treats a cell starting with one of these as a formula (tab and CR too, because
# some spreadsheets strip them and then see the next character).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

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

ACCEPTED_DATE_FORMATS = "YYYY-MM-DD, DD/MM/YYYY or D.M.YYYY"
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100

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


class HrisFileError(ValueError):
    """The file cannot be read as a people list. The message names the file and what to do."""


# ---------------------------------------------------------------------------------------------
# Reading a file into a table
# ---------------------------------------------------------------------------------------------

ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO-8859-1)",
    "xlsx": "Excel workbook",
}
DELIMITER_LABELS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
CSV_DELIMITERS = (",", ";", "\t", "|")


@dataclass(frozen=True)
class Table:
    """The first sheet of a file as text: a header row and the rows under it.

    ``rows`` hold the cells exactly as read (padded to the header's width); ``row_numbers``
    says which spreadsheet row each came from. ``notes`` tell the user about anything read_table
    decided on their behalf (an encoding guess, skipped rows, a joined name column).
    """

    filename: str
    headers: list[str]
    rows: list[list[str]]
    row_numbers: list[int]
    column_letters: list[str]
    file_format: str  # "csv" or "xlsx"
    encoding: str  # the codec used, or "xlsx"
    delimiter: str = ""  # CSV only
    header_row: int = 1
    notes: tuple[str, ...] = ()

    @property
    def encoding_label(self) -> str:
        return ENCODING_LABELS.get(self.encoding, self.encoding)

    @property
    def description(self) -> str:
        """For example "CSV, Windows-1252, semicolon-separated, 10 rows"."""
        parts = [self.file_format.upper()]
        if self.file_format == "csv":
            separator = DELIMITER_LABELS.get(self.delimiter, f"'{self.delimiter}'")
            parts += [self.encoding_label, f"{separator}-separated"]
        parts.append(f"{len(self.rows):,} row{'s' if len(self.rows) != 1 else ''}")
        return ", ".join(parts)

    def column_letter(self, header: str) -> str:
        return self.column_letters[self.headers.index(header)]


def read_table(*, data: bytes, filename: str, max_rows: int = MAX_ROWS) -> Table:
    """Read a CSV or XLSX HRIS export. Raises HrisFileError, naming the file, when it cannot."""
    if not data.strip():
        raise HrisFileError(
            f"'{filename}' is empty. Export the people list from your HRIS again and upload it."
        )
    if len(data) > MAX_FILE_BYTES:
        raise HrisFileError(
            f"'{filename}' is {len(data) / 1024 / 1024:.1f} MB; Tandem reads files up to "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB. Export only the columns Tandem uses "
            "(employee id, name, email, manager, title, department, location, start date)."
        )
    if _looks_like_zip(data):
        grid = _read_xlsx_grid(data, filename, max_rows)
        return _table_from_grid(grid, filename=filename, file_format="xlsx", encoding="xlsx")
    _refuse_other_binary_formats(data, filename)
    text, encoding = _decode(data, filename)
    grid, delimiter = _read_csv_grid(text, filename, max_rows)
    notes = []
    if encoding in ("cp1252", "latin-1"):
        notes.append(
            f"The file is not UTF-8, so it was read as {ENCODING_LABELS[encoding]}. If accented "
            "names look wrong in the preview, save the file as 'CSV UTF-8' and upload it again."
        )
    return _table_from_grid(
        grid,
        filename=filename,
        file_format="csv",
        encoding=encoding,
        delimiter=delimiter,
        notes=notes,
    )


def _looks_like_zip(data: bytes) -> bool:
    return data.startswith(b"PK\x03\x04")


def _refuse_other_binary_formats(data: bytes, filename: str) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise HrisFileError(
            f"'{filename}' is an old Excel .xls file or a password-protected workbook. Open it "
            "in Excel or LibreOffice, save it as .xlsx (without a password) or as CSV UTF-8, "
            "and upload that."
        )
    if data.startswith(b"%PDF"):
        raise HrisFileError(
            f"'{filename}' is a PDF. Export the people list from your HRIS as CSV or XLSX."
        )


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    """Decode CSV bytes, saying which encoding was used.

    UTF-8 (with or without BOM) is tried strictly first. Otherwise the file is Windows-1252 or
    Latin-1: the two agree on every byte except 0x80-0x9F, where Windows-1252 has printable
    characters (€ ’ “ ” …) and Latin-1 only invisible control codes. So any of those bytes means
    Windows-1252, unless one of the five bytes Windows-1252 leaves undefined is present.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as error:
            raise _not_text(filename) from error
    if b"\x00" in data:
        raise _not_text(filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        return text, "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else "utf-8"
    if re.search(rb"[\x81\x8d\x8f\x90\x9d]", data):
        return data.decode("latin-1"), "latin-1"
    if re.search(rb"[\x80-\x9f]", data):
        return data.decode("cp1252"), "cp1252"
    return data.decode("latin-1"), "latin-1"


def _not_text(filename: str) -> HrisFileError:
    return HrisFileError(
        f"'{filename}' does not look like a CSV or XLSX file. Export the people list from your "
        "HRIS as CSV (UTF-8 if offered) or as an Excel .xlsx workbook."
    )


Grid = list[tuple[int, list[str]]]  # (spreadsheet row number, cells) for each non-blank row


def _read_csv_grid(text: str, filename: str, max_rows: int) -> tuple[Grid, str]:
    delimiter = _declared_delimiter(text)
    if delimiter:  # Excel's "sep=;" first line is an instruction, not a row
        text = text.split("\n", 1)[1] if "\n" in text else ""
    else:
        delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    grid: Grid = []
    try:
        for number, cells in enumerate(reader, start=1):
            if _is_blank(cells):
                continue
            grid.append((number, cells))
            _check_row_count(len(grid), filename, max_rows)
    except csv.Error as error:
        raise HrisFileError(
            f"'{filename}' could not be read as CSV near line {reader.line_num}: {error}. "
            "Check that line for a stray quote, or export the file again."
        ) from error
    return grid, delimiter


def _declared_delimiter(text: str) -> str:
    match = re.match(r"sep=(.)\r?\n", text[:10])
    return match.group(1) if match else ""


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the first rows into the most consistent number of columns."""
    sample = "\n".join(text[:65_536].splitlines()[:50])

    def score(delimiter: str) -> tuple[bool, float, int]:
        try:
            rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
        except csv.Error:
            return (False, 0.0, 0)
        rows = [r for r in rows if not _is_blank(r)]
        if not rows:  # nothing but this delimiter and spaces: a blank file, say so
            return (True, 2.0, 0)
        width = len(rows[_header_index(rows)])
        consistent = sum(1 for r in rows if len(r) == width) / len(rows)
        return (width > 1, consistent, width)

    return max(CSV_DELIMITERS, key=score)  # max keeps the first of equals: comma wins ties


def _read_xlsx_grid(data: bytes, filename: str, max_rows: int) -> Grid:
    import openpyxl  # imported here: CSV-only paths need not load it

    _check_unpacked_size(data, filename)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged or foreign file
        raise HrisFileError(
            f"'{filename}' could not be opened as an Excel workbook ({type(error).__name__}). "
            "Open it in Excel or LibreOffice, save it again as .xlsx or CSV UTF-8, and upload it."
        ) from error
    try:
        if not workbook.worksheets:
            raise HrisFileError(f"'{filename}' has no worksheet with people in it.")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record a wrong used range; read every cell
        grid: Grid = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_cell_text(value) for value in values]
            if _is_blank(cells):
                continue
            grid.append((number, cells))
            _check_row_count(len(grid), filename, max_rows)
        return grid
    finally:
        workbook.close()


def _check_unpacked_size(data: bytes, filename: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise HrisFileError(
            f"'{filename}' is a damaged Excel workbook. Save it again as .xlsx and upload it."
        ) from error
    if "mimetype" in names and "xl/workbook.xml" not in names:
        raise HrisFileError(
            f"'{filename}' is not an Excel workbook (perhaps an OpenDocument .ods file). "
            "Save it as .xlsx or CSV UTF-8 and upload that."
        )
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise HrisFileError(
            f"'{filename}' unpacks to more than {MAX_XLSX_UNPACKED_BYTES // 1024 // 1024} MB. "
            "Export only the people sheet and the columns Tandem uses."
        )


def _cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a person would type for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # ids and levels stored as numbers: 1001.0 is "1001"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _check_row_count(count: int, filename: str, max_rows: int) -> None:
    if count > max_rows + 1:  # the header row is not a person
        raise HrisFileError(
            f"'{filename}' has more than {max_rows:,} rows. Tandem imports up to {max_rows:,} "
            "people from one file; contact us if your organisation is larger."
        )


def _is_blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


def _header_index(rows: Sequence[Sequence[str]]) -> int:
    """The first row with at least two filled cells (a report title above it is skipped)."""
    for index, cells in enumerate(rows):
        if sum(1 for cell in cells if cell.strip()) >= 2:
            return index
    return 0


def _trimmed(cells: Sequence[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return list(cells[:end])


def _table_from_grid(
    grid: Grid,
    *,
    filename: str,
    file_format: str,
    encoding: str,
    delimiter: str = "",
    notes: Iterable[str] = (),
) -> Table:
    if not grid:
        raise HrisFileError(f"'{filename}' has no rows. Export the people list again.")
    notes = list(notes)
    header_index = _header_index([cells for _, cells in grid])
    header_row, header_cells = grid[header_index]
    if header_index:
        skipped = ", ".join(str(number) for number, _ in grid[:header_index])
        notes.append(
            f"The header was taken from row {header_row}; row(s) {skipped} above it were skipped."
        )
    body = grid[header_index + 1 :]
    width = max([len(_trimmed(header_cells))] + [len(_trimmed(cells)) for _, cells in body])
    if width > MAX_COLUMNS:
        raise HrisFileError(
            f"'{filename}' has {width} columns; Tandem reads up to {MAX_COLUMNS}. Export only "
            "the columns Tandem uses."
        )
    letters = [column_letter(i) for i in range(width)]
    headers = _unique_headers([cell.strip() for cell in header_cells[:width]], letters, width)
    rows = [cells[:width] + [""] * (width - len(cells)) for _, cells in body]
    row_numbers = [number for number, _ in body]
    joined = _full_name_column(headers, letters, rows)
    if joined is not None:
        headers, letters, rows = joined
        notes.append(
            f"The file has no full-name column, so '{headers[-1]}' was made by joining the "
            "first and last names with a space."
        )
    return Table(
        filename=filename,
        headers=headers,
        rows=rows,
        row_numbers=row_numbers,
        column_letters=letters,
        file_format=file_format,
        encoding=encoding,
        delimiter=delimiter,
        header_row=header_row,
        notes=tuple(notes),
    )


def _unique_headers(cells: list[str], letters: list[str], width: int) -> list[str]:
    """Name blank header cells by their letter and tell repeated headers apart by letter."""
    headers: list[str] = []
    seen: set[str] = set()
    for index in range(width):
        header = cells[index] if index < len(cells) else ""
        if not header:
            header = f"Column {letters[index]}"
        elif header.casefold() in seen:
            header = f"{header} (column {letters[index]})"
        seen.add(header.casefold())
        headers.append(header)
    return headers


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 is A, 25 is Z, 26 is AA."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


# ---------------------------------------------------------------------------------------------
# Matching the file's headers to Tandem's fields
# ---------------------------------------------------------------------------------------------


def _spellings(words: str) -> tuple[str, ...]:
    return tuple(words.split())


FIRST_NAME_SPELLINGS = _spellings("firstname givenname forename preferredfirstname")
LAST_NAME_SPELLINGS = _spellings("lastname surname familyname")
# A full name joined from split names by read_table: "First name + Last name".
JOINED_NAME_SPELLINGS = tuple(
    first + last for first in FIRST_NAME_SPELLINGS for last in LAST_NAME_SPELLINGS
)

# Header spellings seen in HRIS exports, compared without case, spaces or punctuation ("#" is
# read as "number"). Earlier spellings win over later ones when a file has several.
HEADER_SPELLINGS: dict[str, tuple[str, ...]] = {
    "employee_id": _spellings(
        "employeeid employeenumber employeeno empid empnumber empno "
        "employeecode workerid workernumber staffid staffnumber personid "
        "personnelnumber personnelno eeid associateid badgenumber id"
    ),
    "name": _spellings(
        "name fullname employeename employeefullname displayname workername "
        "personname legalname preferredfullname staffname"
    )
    + JOINED_NAME_SPELLINGS,
    "email": _spellings(
        "email emailaddress workemail workemailaddress businessemail "
        "companyemail officeemail primaryemail emailwork mail"
    ),
    "manager_id": _spellings(
        "managerid manageremployeeid managernumber manageremployeenumber "
        "managerempid managerworkerid supervisorid supervisoremployeeid "
        "supervisornumber linemanagerid directmanagerid reportstoid "
        "reportstoemployeeid reportsto manager supervisor linemanager"
    ),
    "title": _spellings(
        "title jobtitle businesstitle positiontitle position jobname role jobrole designation"
    ),
    "department": _spellings(
        "department departmentname dept deptname division businessunit orgunit team function"
    ),
    "location": _spellings(
        "location office officelocation worklocation locationname site workplace city country"
    ),
    "start_date": _spellings(
        "startdate hiredate dateofhire datehired employmentstartdate "
        "originalhiredate joiningdate joindate datejoined dateofjoining start"
    ),
    "track": _spellings("track careertrack careerpath jobtrack ladder"),
    "level": _spellings("level joblevel careerlevel grade jobgrade band payband"),
}


def header_key(header: str) -> str:
    """A header reduced for matching: "Employee #" and "employee_number" both give the same."""
    folded = header.casefold().replace("#", "number")
    return "".join(ch for ch in folded if ch.isalnum())


def guess_mapping(headers: Sequence[str]) -> dict[str, str | None]:
    """Which header most likely holds each Tandem field, or None. Each header is used once.

    A field's earlier spellings win, and among equally good headers the leftmost one does.
    """
    keys = [header_key(h) for h in headers]
    candidates = sorted(
        (rank, position, field_name)
        for field_name, spellings in HEADER_SPELLINGS.items()
        for position, key in enumerate(keys)
        if key in spellings
        for rank in [spellings.index(key)]
    )
    mapping: dict[str, str | None] = dict.fromkeys(ALL_FIELDS)
    used: set[int] = set()
    for _, position, field_name in candidates:
        if mapping[field_name] is None and position not in used:
            mapping[field_name] = headers[position]
            used.add(position)
    return mapping


def _full_name_column(
    headers: list[str], letters: list[str], rows: list[list[str]]
) -> tuple[list[str], list[str], list[list[str]]] | None:
    """When names come split in two (First name, Last name) and there is no full-name column,
    add one joining them, so the rest of the import works on one name per person."""
    keys = [header_key(h) for h in headers]
    if any(key in HEADER_SPELLINGS["name"] for key in keys):
        return None
    first = next((i for i, key in enumerate(keys) if key in FIRST_NAME_SPELLINGS), None)
    last = next((i for i, key in enumerate(keys) if key in LAST_NAME_SPELLINGS), None)
    if first is None or last is None:
        return None
    header = f"{headers[first]} + {headers[last]}"
    joined_rows = [
        [*cells, " ".join(part for part in (cells[first].strip(), cells[last].strip()) if part)]
        for cells in rows
    ]
    return [*headers, header], [*letters, f"{letters[first]}+{letters[last]}"], joined_rows


# ---------------------------------------------------------------------------------------------
# Validating rows into records
# ---------------------------------------------------------------------------------------------


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
            "The file has a header row but nobody under it. Export the people list again.",
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
        label = FIELD_LABELS[field_name]
        header = mapping.get(field_name) or None
        if header is None:
            if field_name in REQUIRED_FIELDS:
                findings.problem(
                    f"No column is chosen for {label.lower()}. Choose the column that holds it; "
                    "every person needs one.",
                    code="unmapped_required",
                )
            continue
        if header not in table.headers:
            findings.problem(
                f"The column '{header}' chosen for {label.lower()} is not in the file. "
                "Choose one of the file's columns.",
                code="unknown_column",
            )
            continue
        if header in used_by:
            findings.problem(
                f"The column '{header}' is chosen for both {FIELD_LABELS[used_by[header]].lower()}"
                f" and {label.lower()}. Choose a different column for one of them.",
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
                f"{label} is missing. Every person needs {_article(label)} {label.lower()}.",
                code="missing_value",
                row=number,
                on=name,
            )
        return
    limit = MAX_LENGTHS.get(name)
    if limit is not None and len(value) > limit:
        findings.problem(
            f"{label} is {len(value)} characters long; Tandem keeps at most {limit}. "
            "Shorten it in the file.",
            code="too_long",
            row=number,
            on=name,
        )
    if value.startswith(FORMULA_PREFIXES):
        findings.warning(
            f"'{_shortened(value)}' starts with '{_shown(value[0])}', which a spreadsheet could run as a "
            "formula. Tandem keeps it as text exactly as written, never runs it, and exports it "
            "so spreadsheets show it as text.",
            code="formula_like_text",
            row=number,
            on=name,
        )


def _shortened(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _article(label: str) -> str:
    return "an" if label[0].lower() in "aeiou" else "a"


def _shown(character: str) -> str:
    return {"\t": "tab", "\r": "carriage return"}.get(character, character)


_EMAIL_LOCAL = r"[^@\s,;<>()\[\]\"]+"
_EMAIL_LABEL = r"[^@\s.,;<>()\[\]\"']+"
_EMAIL = re.compile(rf"{_EMAIL_LOCAL}@{_EMAIL_LABEL}(\.{_EMAIL_LABEL})+")


def _check_email(number: int, email: str, findings: _Findings) -> None:
    if email and not _EMAIL.fullmatch(email):
        findings.problem(
            f"'{email}' is not an email address. Write it like name@example.com.",
            code="bad_email",
            row=number,
            on="email",
        )


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
            f"Dates in this column seem to be written month first, like {evidence}, but Tandem "
            f"reads DD/MM/YYYY, so {ambiguous} other date(s) would be read wrongly. Export the "
            "dates as YYYY-MM-DD and upload the file again.",
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
    if parts is None:
        hint = ""
        if value.isdigit() and len(value) == 5:
            hint = " It looks like a spreadsheet's date number: format the column as a date."
        return f"'{value}' is not a date Tandem can read. Use {ACCEPTED_DATE_FORMATS}.{hint}"
    year, month, _ = parts
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return f"'{value}' has the year {year}, which cannot be a start date. Check the year."
    if month_first and _SLASH_DATE.fullmatch(value):
        return (
            f"'{value}' is not a real date as DD/MM/YYYY; it looks like month/day/year. "
            "Export the dates as YYYY-MM-DD."
        )
    reason = f"there is no month {month}" if not 1 <= month <= 12 else "that day does not exist"
    return f"'{value}' is not a real date ({reason}). Use {ACCEPTED_DATE_FORMATS}."


def _track_cell(number: int, value: str, findings: _Findings) -> str:
    if not value:
        return ""
    key = " ".join(value.casefold().replace("-", " ").replace("_", " ").split())
    track = TRACKS.get(key)
    if track is None:
        findings.problem(
            f"'{value}' is not a track Tandem knows. Use one of: {ACCEPTED_TRACKS}; or leave "
            "it empty.",
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
            f"'{value}' is not a level. Use a whole number from {LOWEST_LEVEL} to "
            f"{HIGHEST_LEVEL}, or leave it empty.",
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
                f"Employee id '{record.employee_id}' is also on row {earlier}. Each person needs "
                "their own employee id: fix one of the two rows.",
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
                f"Email '{record.email}' is also on row {earlier} (capitals do not count). Each "
                "person needs their own email: fix one of the two rows.",
                code="duplicate_email",
                row=record.row,
                on="email",
            )


def _check_managers(records: list[PersonRecord], findings: _Findings) -> None:
    ids = {record.employee_id for record in records if record.employee_id}
    names: dict[str, str] | None = None
    for record in records:
        manager_id = record.manager_id
        is_known = manager_id in ids and manager_id != record.employee_id
        if not manager_id or is_known:
            continue
        if manager_id == record.employee_id:
            findings.problem(
                f"'{manager_id}' is this person's own employee id, so they would manage "
                "themselves. Give their manager's employee id, or leave it empty for the person "
                "at the top.",
                code="own_manager",
                row=record.row,
                on="manager_id",
            )
            continue
        if names is None:
            names = {r.name.casefold(): r.employee_id for r in records if r.name}
        hint = ""
        if manager_id.casefold() in names:
            hint = (
                f" It is the name of the person with employee id '{names[manager_id.casefold()]}'"
                ": this column should hold managers' employee ids, not their names."
            )
        findings.problem(
            f"Manager id '{manager_id}' is not the employee id of anyone in this file. Every "
            f"manager must be in the file too: check for a typo.{hint}",
            code="unknown_manager",
            row=record.row,
            on="manager_id",
        )


def find_reporting_loops(manager_of: Mapping[str, str]) -> list[list[str]]:
    """Every loop in reporting lines, each as the ids in reporting order, in linear time.

    ``manager_of`` maps an employee id to their manager's. Each person is walked up once: a
    walk that meets a person already on the current walk has found a loop; a walk that meets a
    person finished earlier stops there.

    >>> find_reporting_loops({"a": "b", "b": "c", "c": "a", "d": "a"})
    [['a', 'b', 'c']]
    """
    on_walk, finished = 1, 2
    state: dict[str, int] = {}
    loops: list[list[str]] = []
    for start in manager_of:
        walk: list[str] = []
        person: str | None = start
        while person is not None and person not in state:
            state[person] = on_walk
            walk.append(person)
            person = manager_of.get(person)
        if person is not None and state[person] == on_walk:
            loops.append(walk[walk.index(person) :])
        for walked in walk:
            state[walked] = finished
    return loops


LOOP_NAMES_SHOWN = 8


def _check_loops(records: list[PersonRecord], findings: _Findings) -> None:
    by_id: dict[str, PersonRecord] = {}
    for record in records:
        by_id.setdefault(record.employee_id, record)
    manager_of = {
        employee_id: record.manager_id
        for employee_id, record in by_id.items()
        if employee_id and record.manager_id in by_id and record.manager_id != employee_id
    }
    for loop in find_reporting_loops(manager_of):
        people = [by_id[employee_id] for employee_id in loop]
        described = _describe_loop(people)
        for person in people:
            findings.problem(
                f"Reporting lines go round in a loop: {described}. Someone in this loop must "
                "report to a person outside it (or to nobody, at the top).",
                code="reporting_loop",
                row=person.row,
                on="manager_id",
            )


def _describe_loop(people: list[PersonRecord]) -> str:
    def who(person: PersonRecord) -> str:
        return f"{person.name or '(no name)'} (employee id {person.employee_id}, row {person.row})"

    shown = [who(person) for person in people[:LOOP_NAMES_SHOWN]]
    if len(people) > LOOP_NAMES_SHOWN:
        shown.append(f"{len(people) - LOOP_NAMES_SHOWN:,} more people")
    return shown[0] + "".join(f", who reports to {name}" for name in [*shown[1:], who(people[0])])


# ---------------------------------------------------------------------------------------------
# Planning a synchronisation
# ---------------------------------------------------------------------------------------------


def plan_sync(
    *, records: Iterable[PersonRecord], existing: Mapping[str, tuple[PersonRecord, bool]]
) -> SyncPlan:
    """What importing ``records`` would do to the people Tandem knows, without doing it.

    ``existing`` maps each known employee id to (their record, whether they are active). People
    in the file are added, changed, unchanged, or returning (archived before, back now); active
    people missing from the file are leaving: they will be archived, never deleted. Archived
    people who are still absent are left alone.
    """
    in_order = tuple(records)
    added: list[PersonRecord] = []
    changed: list[PersonChange] = []
    unchanged: list[PersonRecord] = []
    returning: list[PersonRecord] = []
    in_file: set[str] = set()
    for record in in_order:
        in_file.add(record.employee_id)
        known = existing.get(record.employee_id)
        if known is None:
            added.append(record)
            continue
        before, is_active = known
        if not is_active:
            returning.append(record)
            continue
        changes = field_changes(before, record)
        if changes:
            changed.append(PersonChange(record=record, changes=changes))
        else:
            unchanged.append(record)
    leaving = sorted(
        (
            record
            for employee_id, (record, is_active) in existing.items()
            if is_active and employee_id not in in_file
        ),
        key=lambda record: (record.name.casefold(), record.employee_id),
    )
    return SyncPlan(
        added=tuple(added),
        changed=tuple(changed),
        leaving=tuple(leaving),
        unchanged=tuple(unchanged),
        returning=tuple(returning),
        conflicts=_email_conflicts(in_order, existing),
    )


def _email_conflicts(
    records: Sequence[PersonRecord], existing: Mapping[str, tuple[PersonRecord, bool]]
) -> tuple[Problem, ...]:
    """Emails in the file still held in Tandem by someone not in the file.

    People who leave are archived with their email (their history keeps it), so the email
    cannot pass to another employee id; the database would refuse the whole import.
    """
    in_file = {record.employee_id for record in records}
    holders = {
        known.email.lower(): (known, is_active)
        for employee_id, (known, is_active) in existing.items()
        if employee_id not in in_file
    }
    conflicts = []
    for record in records:
        held = holders.get(record.email.lower())
        if held is None:
            continue
        holder, is_active = held
        status = "is leaving with this import" if is_active else "left and is archived"
        conflicts.append(
            Problem(
                message=(
                    f"Email '{record.email}' still belongs to {holder.name} (employee id "
                    f"{holder.employee_id}), who {status}; Tandem keeps it with their history. "
                    f"If this is the same person, use their old employee id "
                    f"'{holder.employee_id}'; otherwise give employee id '{record.employee_id}' "
                    "another email."
                ),
                row=record.row or None,
                code="email_held_by_former_person",
            )
        )
    return tuple(conflicts)


def field_changes(before: PersonRecord, after: PersonRecord) -> tuple[FieldChange, ...]:
    """The synced fields that differ, as text. Emails are compared without case, as Tandem
    stores them in lower case."""
    changes = []
    for name in SYNCED_FIELDS:
        old, new = _as_text(getattr(before, name)), _as_text(getattr(after, name))
        same = old.lower() == new.lower() if name == "email" else old == new
        if not same:
            changes.append(FieldChange(field=name, old=old, new=new))
    return tuple(changes)


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# ---------------------------------------------------------------------------------------------
# Exporting safely
# ---------------------------------------------------------------------------------------------

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
