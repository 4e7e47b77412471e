"""The fast part of reading a long responses file: one chunk of rows at a time, with numpy.

A ``Reader`` knows the file's columns and the instrument; ``fast_fields`` splits a chunk of plain
CSV bytes into fields without a Python loop per row, ``slow_fields`` does the same for rows the
csv module has already parsed (quoted files), and ``Reader.process`` validates the rows and turns
them into a ``Chunk`` of integer codes. ``tandem.measure.responses`` drives it over a file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from tandem.measure._arrays import IntArray
from tandem.measure.answers import MISSING
from tandem.measure.instrument import Instrument
from tandem.measure.raters import GROUPS

__all__ = ["MAX_ID_BYTES", "U64", "Chunk", "Reader", "ResponsesError", "fast_fields", "slow_fields"]

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


@dataclass
class Chunk:
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

    ``arr`` must end with at least ``width`` spare bytes (see ``fast_fields``).
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


class Reader:
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
    ) -> Chunk:
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
        return Chunk(
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


def fast_fields(
    reader: Reader, arr: NDArray[np.uint8], first_line: int, skipped: list[int]
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


def slow_fields(
    reader: Reader, rows: list[list[str]], row_lines: list[int]
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
