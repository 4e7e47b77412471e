"""Reading HRIS exports: encodings, delimiters, XLSX cells, row numbers, and files refused."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tandem.people import hris
from tandem.people.hris import HrisFileError, Table, column_letter, guess_mapping, read_table

FILES = Path(__file__).parent / "files"

HEADER = "Employee ID,Name,Email,Manager ID,Start date"


def people_csv(*rows: str, delimiter: str = ",") -> str:
    lines = [HEADER, *rows]
    return "\n".join(line.replace(",", delimiter) for line in lines) + "\n"


def xlsx_bytes(rows: list[list[object]], *, text_cells: dict[str, str] | None = None) -> bytes:
    """A workbook made the way an HRIS would: cells keep their types (numbers, dates)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for reference, text in (text_cells or {}).items():
        cell = sheet[reference]
        cell.value = text
        cell.data_type = "s"  # text exactly as written, even if it starts with "="
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- encodings ---------------------------------------------------------------------------------

ACCENTED = "Zoë Müller", "François Dubois"
POLISH = "Łukasz Wójcik"  # not in Latin-1 or Windows-1252
WINDOWS_ONLY = "Siobhan O’Brien", "€"  # the curly apostrophe and the euro are 0x92 and 0x80


def accented_csv(names: tuple[str, ...]) -> str:
    rows = [f"{i},{name},p{i}@example.org,," for i, name in enumerate(names, start=1)]
    return people_csv(*rows)


@pytest.mark.parametrize(
    ("encoding", "names", "reported"),
    [
        ("utf-8", (*ACCENTED, POLISH, *WINDOWS_ONLY), "utf-8"),
        ("utf-8-sig", (*ACCENTED, POLISH, *WINDOWS_ONLY), "utf-8-sig"),
        ("utf-16", (*ACCENTED, POLISH, *WINDOWS_ONLY), "utf-16"),
        ("latin-1", ACCENTED, "latin-1"),
        ("cp1252", (*ACCENTED, *WINDOWS_ONLY), "cp1252"),
    ],
)
def test_it_reads_each_encoding_and_says_which(
    encoding: str, names: tuple[str, ...], reported: str
) -> None:
    table = read_table(data=accented_csv(names).encode(encoding), filename="people.csv")
    assert [row[1] for row in table.rows] == list(names)
    assert table.encoding == reported
    assert table.headers[0] == "Employee ID", "a byte order mark never sticks to the first header"


def test_a_windows_1252_file_with_only_latin_letters_is_read_the_same_as_latin_1() -> None:
    # Without bytes 0x80-0x9F the two encodings agree on every character.
    data = accented_csv(ACCENTED).encode("cp1252")
    table = read_table(data=data, filename="people.csv")
    assert [row[1] for row in table.rows] == list(ACCENTED)
    assert table.encoding == "latin-1"


def test_bytes_that_windows_1252_leaves_undefined_mean_latin_1() -> None:
    data = "Employee ID,Name\n1,Zoë\x81\n".encode("latin-1")
    table = read_table(data=data, filename="people.csv")
    assert table.encoding == "latin-1"
    assert table.rows == [["1", "Zoë\x81"]]


def test_a_guessed_encoding_is_reported_as_a_note() -> None:
    table = read_table(data=accented_csv(WINDOWS_ONLY).encode("cp1252"), filename="p.csv")
    assert table.encoding_label == "Windows-1252"
    assert any("Windows-1252" in note and "CSV UTF-8" in note for note in table.notes)
    utf8 = read_table(data=accented_csv(WINDOWS_ONLY).encode("utf-8"), filename="p.csv")
    assert utf8.notes == ()


def test_utf8_is_tried_strictly_before_anything_else() -> None:
    # "Ã©" would be the Latin-1 reading of the UTF-8 bytes for "é".
    table = read_table(data="Name,Email\nRenée,r@x.org\n".encode(), filename="p.csv")
    assert table.rows[0][0] == "Renée"


# --- delimiters and CSV shapes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "label"), [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")]
)
def test_it_finds_the_delimiter(delimiter: str, label: str) -> None:
    text = people_csv("1,Zoë Müller,zoe@x.org,,2021-03-04", delimiter=delimiter)
    table = read_table(data=text.encode(), filename="people.csv")
    assert table.delimiter == delimiter
    assert table.headers == ["Employee ID", "Name", "Email", "Manager ID", "Start date"]
    assert table.rows == [["1", "Zoë Müller", "zoe@x.org", "", "2021-03-04"]]
    assert f"{label}-separated" in table.description


def test_a_semicolon_file_may_have_commas_inside_values() -> None:
    text = "Employee ID;Name;Title\n1;Müller, Zoë;Head of Sales, EMEA\n2;Dubois, François;CTO\n"
    table = read_table(data=text.encode("cp1252"), filename="people.csv")
    assert table.delimiter == ";"
    assert table.rows[0] == ["1", "Müller, Zoë", "Head of Sales, EMEA"]


def test_quoted_values_keep_delimiters_quotes_and_line_breaks() -> None:
    text = 'Employee ID,Name,Title\n1,"Okafor, Amara","Says ""hi""\nand more"\n2,Lars Eriksen,CTO\n'
    table = read_table(data=text.encode(), filename="people.csv")
    assert table.rows[0] == ["1", "Okafor, Amara", 'Says "hi"\nand more']
    assert table.row_numbers == [2, 3], "a line break inside quotes does not start a new row"


def test_blank_rows_are_skipped_but_still_counted() -> None:
    text = "Employee ID,Name\n1,Amara\n\n , \n2,Lars\r\n,,\n3,Zoë\n"
    table = read_table(data=text.encode(), filename="people.csv")
    assert [row[1] for row in table.rows] == ["Amara", "Lars", "Zoë"]
    assert table.row_numbers == [2, 5, 7]


def test_windows_and_old_mac_line_endings() -> None:
    for ending in ("\r\n", "\r"):
        text = ending.join(["Employee ID,Name", "1,Amara", "2,Lars", ""])
        table = read_table(data=text.encode(), filename="people.csv")
        assert table.rows == [["1", "Amara"], ["2", "Lars"]]


def test_excel_sep_line_sets_the_delimiter_and_is_not_a_row() -> None:
    text = "sep=;\nEmployee ID;Name\n1;Amara, Okafor\n"
    table = read_table(data=text.encode(), filename="people.csv")
    assert table.delimiter == ";"
    assert table.headers == ["Employee ID", "Name"]
    assert table.row_numbers == [2], "numbered as Excel shows them: the sep line is hidden"


def test_a_title_above_the_header_is_skipped_and_said() -> None:
    text = "People report 2025\n\nEmployee ID,Name\n1,Amara\n"
    table = read_table(data=text.encode(), filename="people.csv")
    assert table.headers == ["Employee ID", "Name"]
    assert table.header_row == 3
    assert table.row_numbers == [4]
    assert any("row 3" in note and "1" in note for note in table.notes)


def test_headers_are_trimmed_and_trailing_empty_columns_dropped() -> None:
    text = " Employee ID , Name ,,\n1,Amara,,\n"
    table = read_table(data=text.encode(), filename="people.csv")
    assert table.headers == ["Employee ID", "Name"]
    assert table.rows == [["1", "Amara"]]
    assert table.column_letters == ["A", "B"]


def test_blank_and_repeated_headers_get_names_by_letter() -> None:
    text = "Employee ID,,Email,email\n1,x,a@x.org,b@x.org\n"
    table = read_table(data=text.encode(), filename="people.csv")
    assert table.headers == ["Employee ID", "Column B", "Email", "email (column D)"]


def test_cells_beyond_the_header_get_a_column_of_their_own() -> None:
    text = "Employee ID,Name\n1,Amara,extra\n2,Lars\n"
    table = read_table(data=text.encode(), filename="people.csv")
    assert table.headers == ["Employee ID", "Name", "Column C"]
    assert table.rows == [["1", "Amara", "extra"], ["2", "Lars", ""]]


def test_split_names_are_joined_into_a_full_name_column() -> None:
    text = "Employee ID,First name,Last name,Email\n1,Zoë,Müller,z@x.org\n2,Amara,,a@x.org\n"
    table = read_table(data=text.encode(), filename="people.csv")
    assert table.headers[-1] == "First name + Last name"
    assert table.column_letter("First name + Last name") == "B+C"
    assert [row[-1] for row in table.rows] == ["Zoë Müller", "Amara"]
    assert guess_mapping(table.headers)["name"] == "First name + Last name"
    assert any("joining" in note for note in table.notes)


def test_split_names_are_left_alone_when_there_is_a_full_name() -> None:
    text = "Employee ID,First name,Last name,Full name\n1,Zoë,Müller,Zoë Müller\n"
    table = read_table(data=text.encode(), filename="people.csv")
    assert table.headers == ["Employee ID", "First name", "Last name", "Full name"]


def test_cells_are_kept_exactly_as_written() -> None:
    text = 'Employee ID,Name\n1,  Amara  \n2,"=HYPERLINK(""http://x"")"\n'
    table = read_table(data=text.encode(), filename="people.csv")
    assert table.rows == [["1", "  Amara  "], ["2", '=HYPERLINK("http://x")']]


def test_the_sample_files_read_as_ten_people() -> None:
    for name in ("people-good.csv", "people-bad.csv"):
        table = read_table(data=(FILES / name).read_bytes(), filename=name)
        assert len(table.rows) == 10
        assert table.row_numbers == list(range(2, 12))
        assert table.headers == [
            "Employee ID",
            "Name",
            "Email",
            "Manager ID",
            "Title",
            "Department",
            "Location",
            "Start date",
        ]


# --- XLSX ---------------------------------------------------------------------------------------


def test_xlsx_cells_become_the_text_a_person_would_type() -> None:
    data = xlsx_bytes(
        [
            ["Employee ID", "Name", "Start date", "Level", "FTE", "Active", "Hired at"],
            [
                1001.0,
                "Zoë Müller",
                datetime.date(2021, 3, 4),
                3,
                0.8,
                True,
                datetime.datetime(2021, 3, 4, 9, 30),
            ],
            [1002, "Łukasz Wójcik", datetime.datetime(2020, 1, 6), 4.0, 1, False, None],
        ]
    )
    table = read_table(data=data, filename="people.xlsx")
    assert table.file_format == "xlsx" and table.encoding == "xlsx"
    assert table.rows == [
        ["1001", "Zoë Müller", "2021-03-04", "3", "0.8", "TRUE", "2021-03-04 09:30:00"],
        ["1002", "Łukasz Wójcik", "2020-01-06", "4", "1", "FALSE", ""],
    ]
    assert table.description == "XLSX, 2 rows"


def test_xlsx_keeps_formula_looking_text_and_counts_blank_rows() -> None:
    data = xlsx_bytes(
        [["Employee ID", "Name"], [1, None], [], [None, None], [2, "Lars"]],
        text_cells={"B2": "=1+1"},
    )
    table = read_table(data=data, filename="people.xlsx")
    assert table.rows == [["1", "=1+1"], ["2", "Lars"]]
    assert table.row_numbers == [2, 5]


def test_xlsx_reads_only_the_first_sheet() -> None:
    workbook = openpyxl.Workbook()
    first = workbook.active
    assert first is not None
    first.append(["Employee ID", "Name"])
    first.append([1, "Amara"])
    other = workbook.create_sheet("Notes")
    other.append(["Not", "people"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(data=buffer.getvalue(), filename="people.xlsx")
    assert table.rows == [["1", "Amara"]]


def test_a_workbook_is_recognised_by_its_content_not_its_name() -> None:
    data = xlsx_bytes([["Employee ID", "Name"], [1, "Amara"]])
    assert read_table(data=data, filename="people.csv").file_format == "xlsx"


# --- files refused ------------------------------------------------------------------------------


def refused(data: bytes, filename: str = "export.csv") -> str:
    with pytest.raises(HrisFileError) as error:
        read_table(data=data, filename=filename)
    message = str(error.value)
    assert filename in message, "every refusal names the file"
    return message


def test_an_empty_file_is_refused() -> None:
    assert "empty" in refused(b"")
    assert "empty" in refused(b" \r\n\n")


def test_a_file_of_only_delimiters_has_no_rows() -> None:
    assert "no rows" in refused(b",,,\n , ,\n")


def test_an_old_excel_file_is_refused_with_what_to_do() -> None:
    message = refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "people.xls")
    assert ".xls" in message and "save it as .xlsx" in message


def test_a_pdf_is_refused() -> None:
    assert "PDF" in refused(b"%PDF-1.4 ...", "people.pdf")


def test_a_binary_file_is_refused() -> None:
    assert "does not look like a CSV" in refused(b"\x89PNG\r\n\x1a\n\x00\x00\x00", "photo.csv")


def test_a_damaged_workbook_is_refused() -> None:
    data = xlsx_bytes([["Employee ID"], [1]])
    assert "damaged" in refused(data[:200], "people.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "could not be opened as an Excel workbook" in refused(buffer.getvalue(), "p.xlsx")


def test_an_opendocument_spreadsheet_is_refused_with_what_to_do() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<x/>")
    assert "OpenDocument" in refused(buffer.getvalue(), "people.ods")


def test_a_file_over_the_size_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hris.reading, "MAX_FILE_BYTES", 1024 * 1024)
    message = refused(b"Employee ID,Name\n" + b"1,Amara\n" * 200_000)
    assert "1.5 MB" in message and "up to 1 MB" in message


def test_a_workbook_that_unpacks_too_big_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hris.reading, "MAX_XLSX_UNPACKED_BYTES", 1000)
    data = xlsx_bytes([["Employee ID", "Name"], *[[i, "Amara"] for i in range(100)]])
    assert "unpacks to more than" in refused(data, "people.xlsx")


def test_too_many_rows_are_refused() -> None:
    text = "Employee ID,Name\n" + "".join(f"{i},Person {i}\n" for i in range(11))
    with pytest.raises(HrisFileError, match="more than 10 rows"):
        read_table(data=text.encode(), filename="people.csv", max_rows=10)
    assert len(read_table(data=text.encode(), filename="p.csv", max_rows=11).rows) == 11


def test_too_many_xlsx_rows_are_refused() -> None:
    data = xlsx_bytes([["Employee ID", "Name"], *[[i, "A"] for i in range(6)]])
    with pytest.raises(HrisFileError, match="more than 5 rows"):
        read_table(data=data, filename="people.xlsx", max_rows=5)


def test_too_many_columns_are_refused() -> None:
    text = ",".join(f"c{i}" for i in range(hris.MAX_COLUMNS + 1)) + "\n"
    assert "columns" in refused(text.encode())


def test_a_cell_too_large_for_csv_is_refused_with_where_it_is() -> None:
    text = 'Employee ID,Name\n1,Amara\n2,"' + "x" * 200_000 + '"\n'
    message = refused(text.encode())
    assert "near line 3" in message


# --- letters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (7, "H"), (25, "Z"), (26, "AA"), (51, "AZ"), (702, "AAA")]
)
def test_column_letters_are_the_spreadsheets(index: int, letters: str) -> None:
    assert column_letter(index) == letters


# --- properties ---------------------------------------------------------------------------------

# Text people type into an HRIS: letters from many scripts, digits, spaces, punctuation, quotes
# and line breaks. The delimiters themselves are left out: a header full of unquoted semicolons
# can fool any delimiter sniffer, and quoting is covered by the examples above.
cell_text = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"),
        blacklist_characters=",;|\t\ufeff",
    )
    | st.sampled_from(['"', "\n", " "]),
    max_size=12,
)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    width = draw(st.integers(min_value=2, max_value=6))
    headers = [f"Field {i}" for i in range(width)]
    row = st.lists(cell_text, min_size=width, max_size=width)
    rows = draw(st.lists(row, min_size=1, max_size=8))
    return headers, [r for r in rows if any(cell.strip() for cell in r)]


def written(headers: list[str], rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue()


@settings(max_examples=150, deadline=None)
@given(
    table=tables(),
    delimiter=st.sampled_from(hris.CSV_DELIMITERS),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_csv_reads_back_cell_for_cell(
    table: tuple[list[str], list[list[str]]], delimiter: str, encoding: str
) -> None:
    headers, rows = table
    data = written(headers, rows, delimiter).encode(encoding)
    read = read_table(data=data, filename="people.csv")
    assert read.headers == headers
    assert read.rows == rows
    assert read.delimiter == delimiter


legacy_text = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789.-'@éèëçñöüßøåÀÉÖ€’“”…–"),
    min_size=1,
    max_size=20,
)


@settings(max_examples=150, deadline=None)
@given(names=st.lists(legacy_text, min_size=1, max_size=6))
def test_any_windows_1252_text_reads_back_exactly(names: list[str]) -> None:
    text = written(["Employee ID", "Name"], [[str(i), n] for i, n in enumerate(names)], ",")
    data = text.encode("cp1252")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        assume(data.isascii())  # bytes that are valid UTF-8 too are read as UTF-8, rightly
    read = read_table(data=data, filename="people.csv")
    assert [row[1] for row in read.rows] == names


def test_table_is_frozen() -> None:
    table = read_table(data=b"Employee ID,Name\n1,Amara\n", filename="p.csv")
    assert isinstance(table, Table)
    with pytest.raises(AttributeError):
        table.filename = "other.csv"  # type: ignore[misc]
