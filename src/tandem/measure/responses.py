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
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from tandem.measure._arrays import IntArray
from tandem.measure.answers import MISSING
from tandem.measure.instrument import Instrument
from tandem.measure.raters import GROUPS

__all__ = ["COLUMNS", "LongResponses", "ResponsesError", "read_responses"]

COLUMNS: tuple[str, ...] = ("ratee", "rater", "group", "item", "value")
CHUNK_BYTES = 32 * 1024 * 1024
MAX_ID_BYTES = 200
U64 = NDArray[np.uint64]


class ResponsesError(ValueError):
    """A problem in a responses file, located by file, row and column."""

    def __init__(self, path: str, row: int | None, column: str | None, problem: str) -> None:
        where = path
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {problem}")
        self.path, self.row, self.column, self.problem = path, row, column, problem


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


@dataclass
class _Chunk:
    """One parsed chunk: pair runs and per-row item and value codes."""

    run_keys: NDArray[np.uint64]  # (runs, 4): ratee k1, k2, rater k1, k2
    run_group: NDArray[np.int8]
    run_len: NDArray[np.int64]
    run_line: NDArray[np.int64]
    item: NDArray[np.int16]
    value: NDArray[np.int8]
    ratee_labels: dict[int, bytes]


def _mix(h: U64, w: U64, mult: int, shift: int) -> U64:
    h = (h ^ w) * np.uint64(mult)
    return h ^ (h >> np.uint64(shift))


def _keys(mat: NDArray[np.uint8], length: IntArray) -> tuple[U64, U64]:
    """64-bit keys of padded byte strings: exact up to 8 bytes, two hashes beyond."""
    words = np.ascontiguousarray(mat).view("<u8")
    first = words[:, 0].copy()
    if mat.shape[1] <= 8 or not np.any(length > 8):
        return first, np.zeros_like(first)
    h1 = np.full(first.shape, 0x9E3779B97F4A7C15, dtype=np.uint64) ^ length.astype(np.uint64)
    h2 = np.full(first.shape, 0xC2B2AE3D27D4EB4F, dtype=np.uint64) ^ length.astype(np.uint64)
    for j in range(words.shape[1]):
        # Only the words that hold the id count, so the key does not depend on the padding.
        used = length > 8 * j
        h1 = np.where(used, _mix(h1, words[:, j], 0xBF58476D1CE4E5B9, 31), h1)
        h2 = np.where(used, _mix(h2, words[:, j], 0x94D049BB133111EB, 29), h2)
    h2 = h2 | np.uint64(1)  # never 0, so a long id can never pass for a short one
    long = length > 8
    return np.where(long, h1, first), np.where(long, h2, np.uint64(0))


_BYTE_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(9)], dtype=np.uint64)
"""``_BYTE_MASKS[k]`` keeps the first k bytes of a little-endian 64-bit word."""


def _padded(
    arr: NDArray[np.uint8], start: IntArray, length: IntArray, width: int
) -> NDArray[np.uint8]:
    """Bytes ``arr[start:start+length]`` per row, zero-padded to ``width`` (a multiple of 8).

    ``arr`` must end with at least ``width`` spare bytes (see ``_fast_fields``).
    """
    out: NDArray[np.uint8] = sliding_window_view(arr, width)[start]
    words = out.view("<u8")
    for j in range(width // 8):
        in_word = np.minimum(length - 8 * j, 8)
        if in_word.min() < 8:
            words[:, j] &= _BYTE_MASKS[np.maximum(in_word, 0)]
    return out


def _width(length: IntArray) -> int:
    longest = int(length.max()) if length.size else 0
    return max(8, (longest + 7) // 8 * 8)


class _Reader:
    def __init__(self, path: str, instrument: Instrument, columns: dict[str, int], ncols: int):
        self.path = path
        self.columns = columns
        self.ncols = ncols
        items = instrument.all_items
        self.item_ids = [it.id for it in items]
        self.open_ids = {q.id for q in instrument.open_questions}
        rs = {it.id: instrument.response_scale(it.response_scale) for it in items}
        self.lo = np.array([rs[i].minimum for i in self.item_ids], dtype=np.int64)
        self.hi = np.array([rs[i].maximum for i in self.item_ids], dtype=np.int64)
        self.no = np.array(
            [
                -10_000 if rs[i].not_observed_code is None else rs[i].not_observed_code
                for i in self.item_ids
            ],
            dtype=np.int64,
        )
        self.self_only = np.array([i >= len(instrument.items) for i in range(len(items))])
        self.item_width = _width(np.array([len(i.encode()) for i in self.item_ids]))
        item_mat = np.zeros((len(items), self.item_width), dtype=np.uint8)
        for k, iid in enumerate(self.item_ids):
            raw = iid.encode()
            item_mat[k, : len(raw)] = np.frombuffer(raw, dtype=np.uint8)
        self.item_words = item_mat.view("<u8")
        key1, _ = _keys(item_mat, np.array([len(i.encode()) for i in self.item_ids]))
        self.item_order = np.argsort(key1)
        self.item_sorted = key1[self.item_order]
        group_mat = np.zeros((len(GROUPS), 16), dtype=np.uint8)
        for k, g in enumerate(GROUPS):
            group_mat[k, : len(g)] = np.frombuffer(g.encode(), dtype=np.uint8)
        self.group_words = group_mat.view("<u8")

    def fail(self, line: int | None, column: str | None, problem: str) -> ResponsesError:
        return ResponsesError(self.path, line, column, problem)

    def text_of(self, mat: NDArray[np.uint8], row: int) -> str:
        return bytes(mat[row]).rstrip(b"\0").decode("utf-8", "replace")

    def process(
        self, fields: dict[str, tuple[NDArray[np.uint8], IntArray]], lines: NDArray[np.int64]
    ) -> _Chunk:
        """Validate and encode one batch of rows; raise at the earliest bad row."""
        problems: list[tuple[int, str, str]] = []

        def flag(mask: NDArray[np.bool_], column: str, message: Callable[[int], str]) -> None:
            if mask.any():
                k = int(np.argmax(mask))
                problems.append((int(lines[k]), column, message(k)))

        keys = {}
        for name in ("ratee", "rater"):
            mat, length = fields[name]
            flag(length == 0, name, lambda k: "is empty")
            flag(length > MAX_ID_BYTES, name, lambda k: f"is longer than {MAX_ID_BYTES} bytes")
            keys[name] = _keys(mat, length)

        gmat, glen = fields["group"]
        gw = np.ascontiguousarray(
            gmat[:, :16] if gmat.shape[1] >= 16 else np.pad(gmat, ((0, 0), (0, 16 - gmat.shape[1])))
        ).view("<u8")
        group = np.full(glen.shape, -1, dtype=np.int8)
        for k in range(len(GROUPS)):
            hit = (gw[:, 0] == self.group_words[k, 0]) & (gw[:, 1] == self.group_words[k, 1])
            group[hit & (glen <= 16)] = k
        flag(
            group < 0,
            "group",
            lambda k: f"unknown group {self.text_of(gmat, k)!r} (use one of: {', '.join(GROUPS)})",
        )

        imat, ilen = fields["item"]
        width = self.item_width
        iw = np.ascontiguousarray(
            imat[:, :width]
            if imat.shape[1] >= width
            else np.pad(imat, ((0, 0), (0, width - imat.shape[1])))
        ).view("<u8")
        ikey, _ = _keys(iw.view(np.uint8).reshape(iw.shape[0], width), ilen)
        pos = np.minimum(np.searchsorted(self.item_sorted, ikey), len(self.item_sorted) - 1)
        cand = self.item_order[pos]
        known = (ilen <= width) & np.all(iw == self.item_words[cand], axis=1)
        item = np.where(known, cand, -1).astype(np.int16)

        def unknown_item(k: int) -> str:
            text = self.text_of(imat, k)
            if text in self.open_ids:
                return f"{text!r} is an open question; its answers are text and are not scored"
            return f"item {text!r} is not in the instrument"

        flag(item < 0, "item", unknown_item)
        flag(
            (item >= 0) & self.self_only[np.maximum(item, 0)] & (group >= 1),
            "item",
            lambda k: (
                f"item {self.text_of(imat, k)!r} is self-only, but this row is from a "
                f"{GROUPS[int(group[k])]!r} rater"
            ),
        )

        vmat, vlen = fields["value"]
        value = self.parse_values(vmat, vlen, item, flag)
        if problems:
            line, column, message = min(problems)
            raise self.fail(line, column, message)

        r1, r2 = keys["ratee"]
        a1, a2 = keys["rater"]
        n = r1.shape[0]
        change = np.ones(n, dtype=bool)
        if n > 1:
            change[1:] = (
                (r1[1:] != r1[:-1])
                | (r2[1:] != r2[:-1])
                | (a1[1:] != a1[:-1])
                | (a2[1:] != a2[:-1])
            )
        starts = np.flatnonzero(change)
        run_of_row = np.cumsum(change) - 1
        inconsistent = group != group[starts][run_of_row]
        if inconsistent.any():
            k = int(np.argmax(inconsistent))
            first = int(starts[run_of_row[k]])
            raise self.fail(
                int(lines[k]),
                "group",
                f"rater {self.text_of(fields['rater'][0], k)!r} is {GROUPS[int(group[k])]!r} here "
                f"but {GROUPS[int(group[first])]!r} in row {int(lines[first])} for the same ratee",
            )
        run_len = np.diff(np.append(starts, n))
        labels: dict[int, bytes] = {}
        rmat = fields["ratee"][0]
        firsts = np.unique(r1[starts], return_index=True)[1]
        for k in starts[firsts].tolist():
            labels[int(r1[k])] = bytes(rmat[k]).rstrip(b"\0")
        return _Chunk(
            run_keys=np.column_stack([r1[starts], r2[starts], a1[starts], a2[starts]]),
            run_group=group[starts],
            run_len=run_len.astype(np.int64),
            run_line=lines[starts].astype(np.int64),
            item=item,
            value=value,
            ratee_labels=labels,
        )

    def parse_values(
        self,
        vmat: NDArray[np.uint8],
        vlen: IntArray,
        item: NDArray[np.int16],
        flag: Callable[[NDArray[np.bool_], str, Callable[[int], str]], None],
    ) -> NDArray[np.int8]:
        """Whole numbers (``4``, ``-1``, ``4.0``); empty means not observed."""
        empty = vlen == 0
        if not np.any(vlen > 1):  # the common case: one digit or empty
            digit = vmat[:, 0].astype(np.int64) - ord("0")
            ok = empty | ((digit >= 0) & (digit <= 9))
            flag(
                ~ok,
                "value",
                lambda k: (
                    f"{self.text_of(vmat, k)!r} is not a whole number (leave it empty for not observed)"
                ),
            )
            return self.check_range(np.where(empty | ~ok, MISSING, digit), empty | ~ok, item, flag)
        n, width = vmat.shape
        cols = np.arange(width)
        inside = cols < vlen[:, None]
        neg = vmat[:, 0] == ord("-")
        is_dot = (vmat == ord(".")) & inside
        dot = np.where(is_dot.any(axis=1), np.argmax(is_dot, axis=1), vlen)
        int_part = inside & (cols >= neg[:, None]) & (cols < dot[:, None])
        frac_part = inside & (cols > dot[:, None])
        is_digit = (vmat >= ord("0")) & (vmat <= ord("9"))
        ok = (
            np.all(~int_part | is_digit, axis=1)
            & np.all(~frac_part | (vmat == ord("0")), axis=1)
            & (int_part.sum(axis=1) >= 1)
            & (int_part.sum(axis=1) <= 4)
        )
        acc = np.zeros(n, dtype=np.int64)
        for j in range(width):
            use = int_part[:, j]
            acc = np.where(use, acc * 10 + (vmat[:, j].astype(np.int64) - ord("0")), acc)
        acc = np.where(neg, -acc, acc)
        flag(
            ~empty & ~ok,
            "value",
            lambda k: (
                f"{self.text_of(vmat, k)!r} is not a whole number (leave it empty for not observed)"
            ),
        )
        return self.check_range(acc, empty | ~ok, item, flag)

    def check_range(
        self,
        acc: NDArray[np.int64],
        skip: NDArray[np.bool_],
        item: NDArray[np.int16],
        flag: Callable[[NDArray[np.bool_], str, Callable[[int], str]], None],
    ) -> NDArray[np.int8]:
        """Check answers against their item's range; the not-observed code becomes MISSING."""
        safe = np.maximum(item, 0)
        not_observed = acc == self.no[safe]
        outside = (
            ~skip & (item >= 0) & ~not_observed & ((acc < self.lo[safe]) | (acc > self.hi[safe]))
        )
        flag(
            outside,
            "value",
            lambda k: (
                f"{int(acc[k])} is outside {self.lo[safe[k]]}..{self.hi[safe[k]]} for item "
                f"{self.item_ids[safe[k]]!r}"
            ),
        )
        return np.where(skip | not_observed, MISSING, acc).astype(np.int8)


def _fast_fields(
    reader: _Reader, arr: NDArray[np.uint8], first_line: int, skipped: list[int]
) -> tuple[dict[str, tuple[NDArray[np.uint8], IntArray]], NDArray[np.int64]]:
    nl = np.flatnonzero(arr == 10)
    line_start = np.concatenate(([0], nl[:-1] + 1))
    blank = nl == line_start
    lines = first_line + np.arange(nl.size, dtype=np.int64)
    if blank.any():
        skipped.extend(lines[blank].tolist())
    commas = np.flatnonzero(arr == 44)
    keep = ~blank
    n_kept = int(np.count_nonzero(keep))
    fits = commas.size == n_kept * (reader.ncols - 1)
    if fits and n_kept:
        grid = commas.reshape(-1, reader.ncols - 1)
        fits = bool(np.all(grid[:, 0] >= line_start[keep]) and np.all(grid[:, -1] < nl[keep]))
    if not fits:
        per_line = np.bincount(np.searchsorted(nl, commas), minlength=nl.size)
        wrong = keep & (per_line != reader.ncols - 1)
        k = int(np.argmax(wrong))
        raise reader.fail(
            int(lines[k]), None, f"expected {reader.ncols} columns, found {int(per_line[k]) + 1}"
        )
    grid = commas.reshape(-1, reader.ncols - 1)
    spare = np.zeros(MAX_ID_BYTES + 16, dtype=np.uint8)
    padded_arr = np.concatenate([arr, spare])
    starts = [line_start[keep]] + [grid[:, c] + 1 for c in range(reader.ncols - 1)]
    ends = [grid[:, c] for c in range(reader.ncols - 1)] + [nl[keep]]
    spaces = bool(np.any(arr == 32))
    fields = {}
    for name, col in reader.columns.items():
        s, e = starts[col].copy(), ends[col].copy()
        for _ in range(64 if spaces else 0):  # strip spaces around fields
            lead = (s < e) & (arr[s] == 32)
            trail = (e > s) & (arr[np.maximum(e - 1, 0)] == 32)
            if not (lead.any() or trail.any()):
                break
            s += lead
            e -= trail
        length = e - s
        width = _width(np.minimum(length, MAX_ID_BYTES + 1))
        fields[name] = (_padded(padded_arr, s, np.minimum(length, width), width), length)
    return fields, lines[keep]


def _slow_fields(
    reader: _Reader, rows: list[list[str]], row_lines: list[int]
) -> tuple[dict[str, tuple[NDArray[np.uint8], IntArray]], NDArray[np.int64]]:
    fields = {}
    for name, col in reader.columns.items():
        values = [row[col].strip(" ").encode("utf-8") for row in rows]
        length = np.array([len(v) for v in values], dtype=np.int64)
        width = _width(np.minimum(length, MAX_ID_BYTES + 1))
        mat = np.zeros((len(values), width), dtype=np.uint8)
        if values:
            raw = np.array([v[:width] for v in values], dtype=f"S{width}")
            mat = raw.view(np.uint8).reshape(len(values), width).copy()
        fields[name] = (mat, length)
    return fields, np.array(row_lines, dtype=np.int64)


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
        reader = _Reader(name, instrument, columns, ncols)
        chunks: list[_Chunk] = []
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
            fields, lines = _fast_fields(reader, arr, line, skipped)
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
    reader: _Reader,
    handle: io.BufferedReader,
    offset: int,
    line: int,
    skipped: list[int],
    progress: Callable[[int], None] | None,
) -> list[_Chunk]:
    """Parse the rest of the file with the csv module (quoted fields), in batches."""
    handle.seek(offset)
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="")
    rows: list[list[str]] = []
    row_lines: list[int] = []
    out: list[_Chunk] = []
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
                out.append(reader.process(*_slow_fields(reader, rows, row_lines)))
                rows, row_lines = [], []
    except UnicodeDecodeError:
        raise reader.fail(None, None, "the file is not UTF-8 text") from None
    except csv.Error as exc:
        raise reader.fail(base + parsed.line_num, None, f"not valid CSV ({exc})") from None
    if rows:
        out.append(reader.process(*_slow_fields(reader, rows, row_lines)))
    text.detach()
    if progress is not None:
        progress(0)
    return out


def _assemble(path: str, chunks: list[_Chunk], skipped: list[int]) -> LongResponses:
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
