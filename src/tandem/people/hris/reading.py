"""Reading an HRIS export (CSV or XLSX) into a Table: a header row and the text under it."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext, pgettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

from tandem.people.hris.columns import (
    FIRST_NAME_SPELLINGS,
    HEADER_SPELLINGS,
    LAST_NAME_SPELLINGS,
    header_key,
)

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000  # people per file, not counting the header
MAX_COLUMNS = 200
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024  # guards against "zip bombs"


class HrisFileError(ValueError):
    """The file cannot be read as a people list. The message names the file and what to do."""


ENCODING_LABELS: dict[str, _StrOrPromise] = {
    "utf-8": "UTF-8",
    "utf-8-sig": gettext_lazy("UTF-8 with BOM"),
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1 (ISO-8859-1)",
    "xlsx": gettext_lazy("Excel workbook"),
}
DELIMITER_LABELS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# How a file's description names its delimiter, e.g. "CSV, UTF-8, semicolon-separated".
_SEPARATED = {
    ",": pgettext_lazy("CSV file", "comma-separated"),
    ";": pgettext_lazy("CSV file", "semicolon-separated"),
    "\t": pgettext_lazy("CSV file", "tab-separated"),
    "|": pgettext_lazy("CSV file", "pipe-separated"),
}
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
        return str(ENCODING_LABELS.get(self.encoding, self.encoding))

    @property
    def description(self) -> str:
        """For example "CSV, Windows-1252, semicolon-separated, 10 rows"."""
        parts = [self.file_format.upper()]
        if self.file_format == "csv":
            if self.delimiter in _SEPARATED:
                separated = str(_SEPARATED[self.delimiter])
            else:
                separated = pgettext("CSV file", "'%(delimiter)s'-separated") % {
                    "delimiter": self.delimiter
                }
            parts += [self.encoding_label, separated]
        count = len(self.rows)
        parts.append(ngettext("%(count)s row", "%(count)s rows", count) % {"count": _number(count)})
        return ", ".join(parts)

    def column_letter(self, header: str) -> str:
        return self.column_letters[self.headers.index(header)]


def _number(value: int) -> str:
    """A count as the reader's language writes it: 100,000 in English, 100.000 in German."""
    return number_format(value, force_grouping=True)


def read_table(*, data: bytes, filename: str, max_rows: int = MAX_ROWS) -> Table:
    """Read a CSV or XLSX HRIS export. Raises HrisFileError, naming the file, when it cannot."""
    if not data.strip():
        raise HrisFileError(
            gettext(
                "'%(filename)s' is empty. Export the people list from your HRIS again and "
                "upload it."
            )
            % {"filename": filename}
        )
    if len(data) > MAX_FILE_BYTES:
        raise HrisFileError(
            gettext(
                "'%(filename)s' is %(size)s MB; Tandem reads files up to %(limit)s MB. Export "
                "only the columns Tandem uses (employee id, name, email, manager, title, "
                "department, location, start date)."
            )
            % {
                "filename": filename,
                "size": number_format(len(data) / 1024 / 1024, decimal_pos=1),
                "limit": MAX_FILE_BYTES // 1024 // 1024,
            }
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
            gettext(
                "The file is not UTF-8, so it was read as %(encoding)s. If accented names look "
                "wrong in the preview, save the file as 'CSV UTF-8' and upload it again."
            )
            % {"encoding": ENCODING_LABELS[encoding]}
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
            gettext(
                "'%(filename)s' is an old Excel .xls file or a password-protected workbook. Open "
                "it in Excel or LibreOffice, save it as .xlsx (without a password) or as CSV "
                "UTF-8, and upload that."
            )
            % {"filename": filename}
        )
    if data.startswith(b"%PDF"):
        raise HrisFileError(
            gettext(
                "'%(filename)s' is a PDF. Export the people list from your HRIS as CSV or XLSX."
            )
            % {"filename": filename}
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
        gettext(
            "'%(filename)s' does not look like a CSV or XLSX file. Export the people list from "
            "your HRIS as CSV (UTF-8 if offered) or as an Excel .xlsx workbook."
        )
        % {"filename": filename}
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
            gettext(
                "'%(filename)s' could not be read as CSV near line %(line)s: %(error)s. Check "
                "that line for a stray quote, or export the file again."
            )
            % {"filename": filename, "line": reader.line_num, "error": error}
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
            gettext(
                "'%(filename)s' could not be opened as an Excel workbook (%(error)s). Open it in "
                "Excel or LibreOffice, save it again as .xlsx or CSV UTF-8, and upload it."
            )
            % {"filename": filename, "error": type(error).__name__}
        ) from error
    try:
        if not workbook.worksheets:
            raise HrisFileError(
                gettext("'%(filename)s' has no worksheet with people in it.")
                % {"filename": filename}
            )
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
            gettext(
                "'%(filename)s' is a damaged Excel workbook. Save it again as .xlsx and upload it."
            )
            % {"filename": filename}
        ) from error
    if "mimetype" in names and "xl/workbook.xml" not in names:
        raise HrisFileError(
            gettext(
                "'%(filename)s' is not an Excel workbook (perhaps an OpenDocument .ods file). "
                "Save it as .xlsx or CSV UTF-8 and upload that."
            )
            % {"filename": filename}
        )
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise HrisFileError(
            gettext(
                "'%(filename)s' unpacks to more than %(limit)s MB. Export only the people sheet "
                "and the columns Tandem uses."
            )
            % {"filename": filename, "limit": MAX_XLSX_UNPACKED_BYTES // 1024 // 1024}
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
            gettext(
                "'%(filename)s' has more than %(limit)s rows. Tandem imports up to %(limit)s "
                "people from one file; contact us if your organisation is larger."
            )
            % {"filename": filename, "limit": _number(max_rows)}
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
        raise HrisFileError(
            gettext("'%(filename)s' has no rows. Export the people list again.")
            % {"filename": filename}
        )
    notes = list(notes)
    header_index = _header_index([cells for _, cells in grid])
    header_row, header_cells = grid[header_index]
    if header_index:
        skipped = ", ".join(str(number) for number, _ in grid[:header_index])
        notes.append(
            ngettext(
                "The header was taken from row %(header_row)s; row %(skipped)s above it was "
                "skipped.",
                "The header was taken from row %(header_row)s; rows %(skipped)s above it were "
                "skipped.",
                header_index,
            )
            % {"header_row": header_row, "skipped": skipped}
        )
    body = grid[header_index + 1 :]
    width = max([len(_trimmed(header_cells))] + [len(_trimmed(cells)) for _, cells in body])
    if width > MAX_COLUMNS:
        raise HrisFileError(
            gettext(
                "'%(filename)s' has %(width)s columns; Tandem reads up to %(limit)s. Export only "
                "the columns Tandem uses."
            )
            % {"filename": filename, "width": width, "limit": MAX_COLUMNS}
        )
    letters = [column_letter(i) for i in range(width)]
    headers = _unique_headers([cell.strip() for cell in header_cells[:width]], letters, width)
    rows = [cells[:width] + [""] * (width - len(cells)) for _, cells in body]
    row_numbers = [number for number, _ in body]
    joined = _full_name_column(headers, letters, rows)
    if joined is not None:
        headers, letters, rows = joined
        notes.append(
            gettext(
                "The file has no full-name column, so '%(header)s' was made by joining the first "
                "and last names with a space."
            )
            % {"header": headers[-1]}
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
    """Name blank header cells by their letter and tell repeated headers apart by letter.

    These names stay English whatever the reader's language: an import's saved mapping refers
    to columns by them."""
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
