"""Read a long 360 export (``ratee,rater,group,item,value``) fast, with exact error locations.

Plain CSV files are parsed in large chunks with numpy (no Python loop per row): the reader finds
the commas and newlines, turns ids into 64-bit keys (exact up to 8 bytes; longer ids are
checked with two independent 64-bit hashes) and validates every row. Files with quoted fields
fall back to Python's csv module from the first quote on. Any problem stops the read with the
file, row (line number, header = 1) and column at fault.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tandem.measure._arrays import IntArray
from tandem.measure._response_chunks import (
    U64,
    Chunk,
    Reader,
    ResponsesError,
    fast_fields,
    slow_fields,
)
from tandem.measure._response_fast import read_fast
from tandem.measure.instrument import Instrument
from tandem.measure.raters import GROUPS

__all__ = ["COLUMNS", "LongResponses", "ResponsesError", "read_responses"]

COLUMNS: tuple[str, ...] = ("ratee", "rater", "group", "item", "value")
CHUNK_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class LongResponses:
    """A validated long responses file as integer codes.

    ``pair`` is one rater of one ratee. Row arrays are in file order (blank lines left out);
    ``line_of`` gives the file line of a row.
    """

    path: str
    ratee_ids: tuple[str, ...]
    ratee_first_line: IntArray
    pair_ratee: IntArray
    pair_group: NDArray[np.int8]
    pair_first_line: IntArray
    row_pair: NDArray[np.int32]
    row_item: NDArray[np.int16]
    row_value: NDArray[np.int8]
    skipped_lines: IntArray = field(repr=False)

    @property
    def n_rows(self) -> int:
        """Number of answer rows read."""
        return int(self.row_item.shape[0])

    def line_of(self, row: int) -> int:
        """The file line (header = 1) of data row ``row`` (0-based)."""
        line = row + 2
        for skipped in self.skipped_lines.tolist():
            if skipped <= line:
                line += 1
        return line


def _header(path: str, line: str, handle_quotes: bool) -> tuple[dict[str, int], int]:
    names = next(csv.reader([line])) if handle_quotes else line.split(",")
    names = [n.strip().lower() for n in names]
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise ResponsesError(
            path,
            1,
            None,
            f"missing column(s) {', '.join(missing)}; the header must name {','.join(COLUMNS)}",
        )
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ResponsesError(path, 1, None, f"column {dupes[0]!r} appears twice")
    return {c: names.index(c) for c in COLUMNS}, len(names)


def read_responses(
    path: str | Path,
    instrument: Instrument,
    *,
    progress: Callable[[int], None] | None = None,
    chunk_bytes: int = CHUNK_BYTES,
) -> LongResponses:
    """Read and validate a long responses CSV into integer codes.

    Parameters
    ----------
    path : str or Path
        CSV with a header naming ``ratee,rater,group,item,value`` (any order; other columns
        are ignored). An empty value means "not observed", as does the instrument's
        not-observed code.
    instrument : Instrument
        Items are looked up in it and values checked against each item's response scale.
    progress : callable, optional
        Called with the number of bytes read after each chunk.
    chunk_bytes : int
        Size of the chunks parsed at once.

    Returns
    -------
    LongResponses

    Raises
    ------
    ResponsesError
        A ``ValueError`` naming the file, row and column at fault: a wrong number of columns,
        an empty id, an unknown group or item, a value that is not a whole number or is out of
        range, a self-only item from another rater, a rater in two groups for one ratee, or a
        ratee rated by two 'self' raters. Duplicate rater-item rows are found when the answers
        are pivoted (:func:`tandem.measure.answers.long_to_wide`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from tandem.measure.instrument import load_instrument
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "r.csv").write_text("ratee,rater,group,item,value\\nana,ana,self,pb1,4\\n"
    ...                                   "ana,bo,peer,pb1,\\nana,bo,peer,pb2,9\\n")
    >>> try:
    ...     read_responses(folder / "r.csv", load_instrument("tandem-lm-1"))
    ... except ValueError as error:
    ...     print(error.row, error.column, error.problem)
    4 value 9 is outside 1..5 for item 'pb2'
    """
    name = str(path)
    fast = read_fast(name, instrument)
    if fast is not None:
        if progress is not None:
            progress(Path(name).stat().st_size)
        return fast
    return _read_precise(name, instrument, progress=progress, chunk_bytes=chunk_bytes)


def _read_precise(
    name: str,
    instrument: Instrument,
    *,
    progress: Callable[[int], None] | None,
    chunk_bytes: int,
) -> LongResponses:
    """The precise pass: numpy over plain chunks, the csv module from the first quote on."""
    path = name
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        raise ResponsesError(name, None, None, f"cannot open the file ({exc.strerror})") from None
    try:
        head = handle.readline()
        done = len(head)
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        if not head.strip():
            raise ResponsesError(name, 1, None, "the file is empty; expected a header row")
        try:
            header_text = head.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise ResponsesError(name, 1, None, "the file is not UTF-8 text") from None
        columns, ncols = _header(name, header_text, '"' in header_text)
        reader = Reader(name, instrument, columns, ncols)
        chunks: list[Chunk] = []
        skipped: list[int] = []
        line = 2
        carry = b""
        while True:
            block = handle.read(chunk_bytes)
            data = carry + block
            if not block:
                if not data:
                    break
                if not data.endswith(b"\n"):
                    data += b"\n"
                cut = len(data)
            else:
                cut = data.rfind(b"\n") + 1
                if cut == 0:
                    carry = data
                    continue
            part, carry = data[:cut], data[cut:]
            if b'"' in part:
                chunks.extend(_read_quoted(reader, handle, done, line, skipped, progress))
                break
            arr = np.frombuffer(part, dtype=np.uint8)
            if b"\r" in part:
                arr = arr[arr != 13]
            if b"\0" in part:
                raise reader.fail(line, None, "the file contains NUL bytes; is it really CSV?")
            fields, lines = fast_fields(reader, arr, line, skipped)
            line += int(np.count_nonzero(arr == 10))
            if lines.size:
                chunks.append(reader.process(fields, lines))
            done += len(part)
            if progress is not None:
                progress(len(part))
            if not block:
                break
    finally:
        handle.close()
    return _assemble(name, chunks, skipped)


def _read_quoted(
    reader: Reader,
    handle: io.BufferedReader,
    offset: int,
    line: int,
    skipped: list[int],
    progress: Callable[[int], None] | None,
) -> list[Chunk]:
    """Parse the rest of the file with the csv module (quoted fields), in batches."""
    handle.seek(offset)
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    rows: list[list[str]] = []
    row_lines: list[int] = []
    out: list[Chunk] = []
    base = line - 1
    parsed = csv.reader(text)
    try:
        for row in parsed:
            here = base + parsed.line_num
            if not row:
                skipped.append(here)
                continue
            if len(row) != reader.ncols:
                raise reader.fail(here, None, f"expected {reader.ncols} columns, found {len(row)}")
            rows.append(row)
            row_lines.append(here)
            if len(rows) >= 200_000:
                out.append(reader.process(*slow_fields(reader, rows, row_lines)))
                rows, row_lines = [], []
    except UnicodeDecodeError:
        raise reader.fail(None, None, "the file is not UTF-8 text") from None
    except csv.Error as exc:
        raise reader.fail(base + parsed.line_num, None, f"not valid CSV ({exc})") from None
    if rows:
        out.append(reader.process(*slow_fields(reader, rows, row_lines)))
    text.detach()
    if progress is not None:
        progress(0)
    return out


def _assemble(path: str, chunks: list[Chunk], skipped: list[int]) -> LongResponses:
    """Join the chunks: factorise ratees, raters and (ratee, rater) pairs over all runs."""
    if not chunks:
        raise ResponsesError(path, None, None, "no answers found below the header")
    keys = np.concatenate([c.run_keys for c in chunks])
    run_group = np.concatenate([c.run_group for c in chunks])
    run_len = np.concatenate([c.run_len for c in chunks])
    run_line = np.concatenate([c.run_line for c in chunks])
    labels: dict[int, bytes] = {}
    for c in chunks:
        labels.update(c.ratee_labels)

    def factorise(k1: U64, k2: U64, what: str) -> tuple[IntArray, IntArray]:
        _uniq, first, inverse = np.unique(k1, return_index=True, return_inverse=True)
        clash = k2 != k2[first][inverse]
        if clash.any():
            raise ResponsesError(
                path,
                int(run_line[int(np.argmax(clash))]),
                what,
                "two different ids share a 64-bit key; please report this to Tandem",
            )
        return np.asarray(inverse, dtype=np.intp).reshape(-1), first.astype(np.intp)

    ratee_code, ratee_first = factorise(keys[:, 0], keys[:, 1], "ratee")
    rater_code, _ = factorise(keys[:, 2], keys[:, 3], "rater")
    ratee_keys = keys[ratee_first, 0]
    names = [labels[int(k)].decode("utf-8", "replace") for k in ratee_keys]
    order = np.argsort(np.array(names, dtype=object), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    ratee_code = rank[ratee_code]
    ratee_ids = tuple(names[i] for i in order)

    n_raters = int(rater_code.max()) + 1
    pair_key = ratee_code.astype(np.int64) * n_raters + rater_code
    _pairs, pair_first, pair_of_run = np.unique(pair_key, return_index=True, return_inverse=True)
    pair_of_run = pair_of_run.reshape(-1)
    pair_group = run_group[pair_first]
    moved = run_group != pair_group[pair_of_run]
    if moved.any():
        k = int(np.argmax(moved))
        raise ResponsesError(
            path,
            int(run_line[k]),
            "group",
            f"this rater is {GROUPS[int(run_group[k])]!r} here but "
            f"{GROUPS[int(pair_group[pair_of_run[k]])]!r} in row {int(run_line[pair_first[pair_of_run[k]]])} "
            "for the same ratee",
        )
    pair_ratee = ratee_code[pair_first]
    is_self = pair_group == GROUPS.index("self")
    selves = np.bincount(pair_ratee[is_self], minlength=len(ratee_ids))
    if np.any(selves > 1):
        r = int(np.argmax(selves > 1))
        lines = run_line[pair_first[is_self & (pair_ratee == r)]]
        raise ResponsesError(
            path,
            int(np.sort(lines)[1]),
            "rater",
            f"ratee {ratee_ids[r]!r} has more than one 'self' rater; a person rates themself once",
        )
    first_run = np.unique(ratee_code, return_index=True)[1]
    ratee_first_line = run_line[first_run]
    return LongResponses(
        path=path,
        ratee_ids=ratee_ids,
        ratee_first_line=ratee_first_line.astype(np.intp),
        pair_ratee=pair_ratee.astype(np.intp),
        pair_group=pair_group.astype(np.int8),
        pair_first_line=run_line[pair_first].astype(np.intp),
        row_pair=np.repeat(pair_of_run.astype(np.int32), run_len),
        row_item=np.concatenate([c.item for c in chunks]),
        row_value=np.concatenate([c.value for c in chunks]),
        skipped_lines=np.array(sorted(skipped), dtype=np.intp),
    )
