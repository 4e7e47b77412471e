"""Reading a CSV table for ``tandem stats``: numpy for plain digits, then pyarrow, then Python's
csv module when in doubt.

:class:`CsvTable` reads numbers in up to three passes, each taking only files it can vouch for:

1. A file whose every data cell is one digit, every row ``d,d,...,d`` ending in a line feed
   (answers on a 1-5 or 1-7 scale, as survey tools export them), is a grid of two-byte cells;
   numpy checks and converts it in three passes over the bytes (:func:`digit_grid`), as int8,
   without importing pyarrow (whose import alone costs as much as this whole read).
2. Anything else goes to pyarrow's multithreaded reader, which reads only the columns a
   command asks for, as int8 when every cell is a small whole number and as float64 otherwise.
3. When pyarrow refuses the file or meets a cell it cannot vouch for (a short row, text that is
   not a number, an infinite number, bad UTF-8), a precise pass with Python's csv module reads
   the file again and names the file, row (its line, header = 1) and column at fault.

The three give the same numbers, of the same type, for every file the first two accept.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

__all__ = ["MISSING_TEXT", "CsvTable", "digit_grid", "read_keys"]

MISSING_TEXT = ("", "NA", "NaN", "nan")
"""Cells read as missing (after stripping spaces)."""


def _rows(path: str) -> Iterator[tuple[int, list[str]]]:
    """Every non-blank CSV record of ``path`` with the line it starts on (header = 1)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            last = 0
            for row in reader:
                if row:
                    yield last + 1, row
                last = reader.line_num
    except OSError as exc:
        raise click.ClickException(f"{path}: cannot open the file ({exc.strerror})") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise click.ClickException(f"{path}: not a readable UTF-8 CSV file ({exc})") from None


def read_keys(path: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """A small CSV file (the keys) as its header and its rows with their lines."""
    rows = list(_rows(path))
    if not rows:
        raise click.ClickException(f"{path}: the file is empty; expected a header row")
    header = [h.strip() for h in rows[0][1]]
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise click.ClickException(
                f"{path}, row {line}: expected {len(header)} columns, found {len(row)}"
            )
    return header, rows[1:]


def _number(text: str, path: str, line: int, column: str) -> float:
    """One cell as a float: NaN when missing, else a finite number or a located error."""
    cell = text.strip()
    if cell in MISSING_TEXT:
        return math.nan
    try:
        value = float(cell)
    except ValueError:
        raise click.ClickException(
            f"{path}, row {line}, column {column!r}: {cell!r} is not a number"
        ) from None
    if not math.isfinite(value):
        raise click.ClickException(
            f"{path}, row {line}, column {column!r}: {cell!r} is not a finite number"
        )
    return value


def _floats(chunks: Sequence[Any]) -> NDArray[np.float64]:
    """pyarrow float64 chunks as one numpy array, NaN where null.

    Read from the buffers: pyarrow's own ``to_numpy`` with nulls imports pandas when it is
    installed, which costs more than the whole read.
    """
    import numpy as np

    parts = [np.empty(0)]
    for chunk in chunks:
        start, n = chunk.offset, len(chunk)
        validity, data = chunk.buffers()
        values = np.frombuffer(data, dtype=np.float64, count=start + n)[start:]
        if chunk.null_count:
            bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
            values = np.where(bits[start : start + n].astype(bool), values, np.nan)
        parts.append(values)
    return np.concatenate(parts)


def _small_ints(chunks: Sequence[Any]) -> NDArray[Any]:
    """pyarrow int8 chunks as one numpy array: int8 when complete, else float64 with NaN."""
    import numpy as np

    parts = []
    nulls = False
    for chunk in chunks:
        start, n = chunk.offset, len(chunk)
        validity, data = chunk.buffers()
        values = np.frombuffer(data, dtype=np.int8, count=start + n)[start:]
        if chunk.null_count:
            nulls = True
            bits = np.unpackbits(np.frombuffer(validity, dtype=np.uint8), bitorder="little")
            values = np.where(bits[start : start + n].astype(bool), values, np.nan)
        parts.append(values)
    if not parts:
        return np.empty(0)
    if nulls:
        return np.concatenate([p.astype(np.float64) for p in parts])
    return np.concatenate(parts)


def digit_grid(body: bytearray, width: int) -> NDArray[np.int8] | None:
    r"""CSV rows of one-digit cells as an int8 grid, or None when any cell is something else.

    Such rows are ``width`` two-byte cells each: a digit, then a comma (a line feed after the
    last cell). Read as little-endian 16-bit numbers, a cell minus ``separator * 256 + ord("0")``
    is its digit, and anything else (an empty cell, a space, a quote, a sign, two digits, a
    carriage return, a blank line, a missing last line feed) makes some cell 10 or more, so
    one maximum decides. The subtraction is made in ``body`` itself (its bytes are lost), which
    spares a second copy of the file in memory.

    Examples
    --------
    >>> digit_grid(bytearray(b"1,2\n3,4\n"), 2).tolist()
    [[1, 2], [3, 4]]
    >>> digit_grid(bytearray(b"1,2\n3,\n"), 2), digit_grid(bytearray(b"1,2\r\n3,4\r\n"), 2)
    (None, None)
    """
    import numpy as np

    cell_bytes = 2
    if not body or len(body) % (cell_bytes * width):
        return None
    cells = np.frombuffer(body, dtype=np.dtype("<u2")).reshape(-1, width)
    zero = np.full(width, ord(",") << 8 | ord("0"), dtype=np.uint16)
    zero[-1] = ord("\n") << 8 | ord("0")
    np.subtract(cells, zero, out=cells)  # unsigned: any other byte wraps to 10 or more
    if int(cells.max()) > 9:
        return None
    return cells.astype(np.int8)


class CsvTable:
    """A data file: its header at once, the columns a command asks for when it asks."""

    def __init__(self, path: str) -> None:
        self.path = path
        first = next(_rows(path), None)
        if first is None:
            raise click.ClickException(f"{path}: the file is empty; expected a header row")
        self.header_line = first[0]
        self.header = [h.strip() for h in first[1]]
        self.numbers: dict[int, NDArray[Any]] = {}
        self.grid: NDArray[np.int8] | None = None
        """Every column, when the file is one of digits (:func:`digit_grid`)."""
        self.texts: dict[int, list[str]] = {}

    def index(self, name: str) -> int:
        if name not in self.header:
            raise click.ClickException(
                f"{self.path}: no column {name!r} (columns: {', '.join(self.header)})"
            )
        return self.header.index(name)

    def read(self, numeric: Sequence[str], text: Sequence[str] = ()) -> None:
        """Read these columns (numbers: NaN for missing; text: stripped), in one pass."""
        num = sorted({self.index(n) for n in numeric})
        txt = sorted({self.index(n) for n in text})
        if not self._fast(num, txt):
            self._precise(num, txt)

    def numeric(self, columns: Sequence[str]) -> NDArray[Any]:
        """The columns side by side: int8 when all are complete small whole numbers, else
        float64 with NaN for missing cells."""
        import numpy as np

        missing = [n for n in columns if self.index(n) not in self.numbers]
        if missing:
            self.read(missing)
        if not columns:
            return np.empty((sum(1 for _ in _rows(self.path)) - 1, 0))
        if self.grid is not None:  # a file of digits: one gather, faster than stacking views
            return self.grid.take([self.index(n) for n in columns], axis=1)
        return np.column_stack([self.numbers[self.index(n)] for n in columns])

    def text(self, column: str) -> list[str]:
        if self.index(column) not in self.texts:
            self.read((), [column])
        return self.texts[self.index(column)]

    def line_of(self, row: int) -> int:
        """The line (header = 1) of data row ``row`` (0-based, blank lines left out)."""
        for k, (line, _row) in enumerate(_rows(self.path)):
            if k == row + 1:
                return line
        raise IndexError(row)

    def _fast(self, numeric: list[int], text: list[int]) -> bool:
        """numpy for a file of single digits, else pyarrow's reader; False when the precise
        pass must decide.

        Columns are read as small whole numbers (int8) first: answers usually are, and int8
        columns are 8 times smaller than float64 ones and take the exact integer paths of the
        statistics. A file that has anything else is read again as float64.
        """
        if self.header_line != 1:
            return False
        if numeric and not text:
            grid = self._digits()
            if grid is not None:
                self.grid = grid
                self.numbers.update({i: grid[:, i] for i in range(grid.shape[1])})
                return True

        import numpy as np
        import pyarrow as pa

        table = self._arrow(numeric, text, pa.int8()) if numeric else None
        whole = table is not None
        if table is None:
            table = self._arrow(numeric, text, pa.float64())
            if table is None:
                return False
        numbers: dict[int, NDArray[Any]] = {}
        for i in numeric:
            column = table.column(f"c{i}")
            if whole:
                numbers[i] = _small_ints(column.chunks)
                continue
            values = _floats(column.chunks)
            # A NaN that is not a missing cell ("NAN", "-nan"), or an infinity, is refused with
            # its row by the precise pass; so is anything Python would read differently.
            if np.count_nonzero(np.isnan(values)) != column.null_count or np.isinf(values).any():
                return False
            numbers[i] = values
        texts = {i: [v.strip() for v in table.column(f"c{i}").to_pylist()] for i in text}
        self.numbers.update(numbers)
        self.texts.update(texts)
        return True

    def _digits(self) -> NDArray[np.int8] | None:
        """The data rows as :func:`digit_grid` reads them, or None.

        The header must be one plain line (no quote, no carriage return) for its line feed to
        be where the data starts; the csv module has already read it.
        """
        try:
            with open(self.path, "rb") as handle:
                head = handle.readline()
                if b'"' in head or b"\r" in head or not head.endswith(b"\n"):
                    return None
                if len(handle.readline()) != 2 * len(self.header):
                    return None  # the first row is not one of digits: spare reading the file
                handle.seek(len(head))
                body = bytearray(os.fstat(handle.fileno()).st_size - len(head))
                if handle.readinto(body) != len(body) or handle.read(1):
                    return None  # the file changed while being read
        except OSError:
            return None
        return digit_grid(body, len(self.header))

    def _arrow(self, numeric: list[int], text: list[int], number: Any) -> Any:
        """The columns as a pyarrow table, numbers of type ``number``; None if refused."""
        import pyarrow as pa
        from pyarrow import csv as pacsv

        names = [f"c{i}" for i in range(len(self.header))]
        types = {names[i]: number for i in numeric}
        types.update({names[i]: pa.string() for i in text})
        try:
            return pacsv.read_csv(
                self.path,
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
                convert_options=pacsv.ConvertOptions(
                    column_types=types,
                    include_columns=[names[i] for i in sorted({*numeric, *text})],
                    null_values=list(MISSING_TEXT),
                    strings_can_be_null=False,
                ),
            )
        except (pa.ArrowException, OSError):
            return None

    def _precise(self, numeric: list[int], text: list[int]) -> None:
        """Python's csv module, cell by cell: slow, but names the row and column at fault."""
        import numpy as np

        cells: dict[int, list[float]] = {i: [] for i in numeric}
        texts: dict[int, list[str]] = {i: [] for i in text}
        width = len(self.header)
        rows = _rows(self.path)
        next(rows, None)
        for line, row in rows:
            if len(row) != width:
                raise click.ClickException(
                    f"{self.path}, row {line}: expected {width} columns, found {len(row)}"
                )
            for i in numeric:
                cells[i].append(_number(row[i], self.path, line, self.header[i]))
            for i in text:
                texts[i].append(row[i].strip())
        self.numbers.update({i: np.array(v, dtype=np.float64) for i, v in cells.items()})
        self.texts.update(texts)
