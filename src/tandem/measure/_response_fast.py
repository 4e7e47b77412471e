"""The fast pass over a long responses file: pyarrow's multithreaded CSV reader.

pyarrow reads the five columns Tandem uses as dictionary-encoded strings: each row becomes five
small integers, and the few distinct ids, groups, items and values are checked once each, not
once per row. Every row is then validated with whole-array operations.

The fast pass never explains a problem. When the file is not one it can read exactly (quoted
line breaks, blank lines, a short row, bad UTF-8) or anything in it is wrong (an unknown item,
a value out of range, a rater in two groups...), it returns None and
:mod:`tandem.measure.responses` reads the file again with its precise pass, which stops at the
first problem with its file, row and column. So a good file is read fast, and a bad one gets
exactly the message it always got.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from tandem.measure._response_chunks import MAX_ID_BYTES, _keys
from tandem.measure.answers import MISSING
from tandem.measure.raters import GROUPS

if TYPE_CHECKING:
    from tandem.measure.instrument import Instrument
    from tandem.measure.responses import LongResponses

__all__ = ["read_fast"]

COLUMNS = ("ratee", "rater", "group", "item", "value")
BLOCK_BYTES = 8 * 1024 * 1024
WHOLE_NUMBER = re.compile(r"-?[0-9]{1,4}(\.0*)?")
"""A value the precise pass accepts: up to four digits, maybe a sign and a zero fraction."""
BAD = -128


def _header(path: str) -> tuple[dict[str, int], int] | None:
    with open(path, "rb") as handle:
        head = handle.readline()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    try:
        names = [n.strip().lower() for n in head.decode("utf-8").rstrip("\r\n").split(",")]
    except UnicodeDecodeError:
        return None
    if '"' in head.decode("utf-8") or any(names.count(c) != 1 for c in COLUMNS):
        return None
    return {c: names.index(c) for c in COLUMNS}, len(names)


def _indices(array: Any) -> NDArray[np.int32]:
    """The indices of a dictionary array as numpy, without a copy.

    Read from the buffers: pyarrow's ``to_numpy`` may import pandas, which costs a second.
    """
    indices = array.indices
    start, n = indices.offset, len(indices)
    return np.frombuffer(indices.buffers()[1], dtype=np.int32, count=start + n)[start:]


def _codes(texts: list[str], known: dict[str, int]) -> NDArray[np.int64]:
    """Global codes of these ids (stripped of spaces), adding new ones."""
    return np.array([known.setdefault(v.strip(" "), len(known)) for v in texts], dtype=np.int64)


def _run_change(ratee: Any, rater: Any) -> NDArray[np.bool_]:
    """Whether each row's (ratee, rater) text differs from the row above (a run starts there).

    A file lists a rater's answers about a ratee together, in runs of rows.

    Comparing each row's text with the row above is cheaper than hashing every row's ids:
    only the first row of each run is looked up.
    """
    import pyarrow.compute as pc

    n = len(ratee)
    same = pc.and_(
        pc.equal(ratee.slice(1), ratee.slice(0, n - 1)),
        pc.equal(rater.slice(1), rater.slice(0, n - 1)),
    )
    change = np.ones(n, dtype=bool)
    if n > 1:
        bits = np.frombuffer(same.buffers()[1], dtype=np.uint8)
        flags = np.unpackbits(bits, bitorder="little")[same.offset : same.offset + n - 1]
        change[1:] = flags == 0
    return change


def _bad_ids(ids: dict[str, int]) -> bool:
    """Whether an id is empty, has a NUL byte or is too long (the precise pass says which)."""
    return any(not text or "\0" in text or len(text.encode("utf-8")) > MAX_ID_BYTES for text in ids)


def _id_keys(ids: list[str]) -> NDArray[np.uint64] | None:
    """The precise pass's 64-bit keys of these ids (they order raters the same way)."""
    raw = [i.encode("utf-8") for i in ids]
    length = np.array([len(b) for b in raw], dtype=np.intp)
    width = max(8, (int(length.max(initial=0)) + 7) // 8 * 8)
    mat = np.frombuffer(b"".join(b.ljust(width, b"\0") for b in raw), dtype=np.uint8)
    k1, k2 = _keys(mat.reshape(len(raw), width), length)
    pairs = np.unique(np.column_stack([k1, k2]), axis=0)
    if np.unique(pairs[:, 0]).size != pairs.shape[0] or pairs.shape[0] != len(ids):
        return None  # two ids share a key: the precise pass reports it
    return k1


def read_fast(path: str, instrument: Instrument) -> LongResponses | None:
    """Read ``path`` with pyarrow, or return None when the precise pass must read it."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    from tandem.measure.responses import LongResponses

    try:
        found = _header(path)
    except OSError:
        return None
    if found is None:
        return None
    columns, ncols = found
    names = [f"c{i}" for i in range(ncols)]
    use = [names[columns[c]] for c in COLUMNS]
    text = pa.dictionary(pa.int32(), pa.string())
    # Ids are read as plain text (they are compared with the row above, see _run_change);
    # group, item and value, with few distinct texts, dictionary-encoded.
    types = {**dict.fromkeys(use[:2], pa.string()), **dict.fromkeys(use[2:], text)}
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=BLOCK_BYTES),
            # One row per line, blank lines included (they fail as short rows): a row's line
            # in the file is then its index + 2, as the precise pass would count it.
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                include_columns=use,
                column_types=types,
                null_values=[],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        if table.num_rows == 0:
            return None
    except (pa.ArrowException, OSError):
        return None
    # include_columns gives the table its columns in COLUMNS order.
    return _validate(path, instrument, table, LongResponses)


class _Rules:
    """What a row may hold, decided once per distinct group, item and value text."""

    def __init__(self, instrument: Instrument) -> None:
        self.items = {it.id: k for k, it in enumerate(instrument.all_items)}
        self.scales = [instrument.response_scale(it.response_scale) for it in instrument.all_items]
        self.n_rated = len(instrument.items)

    def group(self, entries: list[str]) -> NDArray[np.int8] | None:
        out = [GROUPS.index(g.strip(" ")) if g.strip(" ") in GROUPS else -1 for g in entries]
        return None if -1 in out else np.array(out, dtype=np.int8)

    def item(self, entries: list[str]) -> NDArray[np.int16] | None:
        out = [self.items.get(i.strip(" "), -1) for i in entries]
        return None if -1 in out else np.array(out, dtype=np.int16)

    def values(self, items: NDArray[np.int16], entries: list[str]) -> NDArray[np.int8] | None:
        """The code of each (item, value text): MISSING, the answer, or BAD when refused."""
        code = np.full((len(items), max(len(entries), 1)), BAD, dtype=np.int8)
        for v, raw in enumerate(entries):
            text = raw.strip(" ")
            if text == "":
                code[:, v] = MISSING
                continue
            if not WHOLE_NUMBER.fullmatch(text):
                return None
            number = int(float(text))
            if not -127 <= number <= 127:
                return None
            for i, k in enumerate(items.tolist()):
                rs = self.scales[k]
                if number == rs.not_observed_code:
                    code[i, v] = MISSING
                elif rs.minimum <= number <= rs.maximum:
                    code[i, v] = number
        return code


def _validate(path: str, instrument: Instrument, table: Any, make: Any) -> LongResponses | None:
    """Check every row, one block of the file at a time; None at the first sign of trouble.

    Each block has its own small dictionaries; ids get global codes as they are first met.
    """
    import pyarrow as pa

    rules = _Rules(instrument)
    ratees: dict[str, int] = {}
    raters: dict[str, int] = {}
    items: list[NDArray[np.int16]] = []
    values: list[NDArray[np.int8]] = []
    runs: list[tuple[NDArray[Any], ...]] = []
    offset = 0
    for batch in table.to_batches():
        ratee, rater, group, item, value = batch.columns
        n = batch.num_rows
        if n == 0:
            continue
        group_of = rules.group(group.dictionary.to_pylist())
        item_of = rules.item(item.dictionary.to_pylist())
        if group_of is None or item_of is None:
            return None
        code = rules.values(item_of, value.dictionary.to_pylist())
        if code is None:
            return None
        i_idx = _indices(item)
        row_value = code.reshape(-1)[i_idx * code.shape[1] + _indices(value)]
        if (row_value == BAD).any():
            return None
        row_group = group_of[_indices(group)]
        self_only = item_of >= rules.n_rated
        if self_only.any() and (self_only[i_idx] & (row_group >= 1)).any():
            return None  # a self-only item answered by someone else
        change = _run_change(ratee, rater)
        if (~change[1:] & (row_group[1:] != row_group[:-1])).any():
            return None  # a rater changes group within a run of rows
        starts = np.flatnonzero(change)
        head = pa.array(starts)
        runs.append(
            (
                _codes(ratee.take(head).to_pylist(), ratees),
                _codes(rater.take(head).to_pylist(), raters),
                row_group[starts],
                np.diff(np.append(starts, n)),
                offset + starts + 2,
            )
        )
        items.append(item_of[i_idx])
        values.append(row_value)
        offset += n
    del table
    if _bad_ids(ratees) or _bad_ids(raters):
        return None
    run_ratee, run_rater, run_group, run_len, run_line = (
        np.concatenate([r[k] for r in runs]) for k in range(5)
    )
    return _assemble(
        path,
        make,
        list(ratees),
        list(raters),
        (run_ratee, run_rater, run_group, run_len, run_line),
        np.concatenate(items),
        np.concatenate(values),
    )


def _assemble(
    path: str,
    make: Any,
    ratee_ids: list[str],
    rater_ids: list[str],
    runs: tuple[NDArray[Any], ...],
    row_item: NDArray[np.int16],
    row_value: NDArray[np.int8],
) -> LongResponses | None:
    """Pairs (one rater of one ratee) from the runs of rows, and the checks across them."""
    run_ratee, run_rater, run_group, run_len, run_line = runs
    # Ratees are numbered in name order and raters in the order of their 64-bit keys, as the
    # precise pass numbers them, so both passes hand the scoring exactly the same arrays.
    order = sorted(range(len(ratee_ids)), key=ratee_ids.__getitem__)
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    run_ratee = rank[run_ratee]
    keys = _id_keys(rater_ids)
    if keys is None or _id_keys(ratee_ids) is None:
        return None
    rater_rank = np.empty(len(rater_ids), dtype=np.int64)
    rater_rank[np.argsort(keys, kind="stable")] = np.arange(len(rater_ids))
    run_rater = rater_rank[run_rater]

    n_raters = len(rater_ids)
    pair_key = run_ratee * n_raters + run_rater
    _pairs, pair_first, pair_of_run = np.unique(pair_key, return_index=True, return_inverse=True)
    pair_of_run = pair_of_run.reshape(-1)
    pair_group = run_group[pair_first]
    if (run_group != pair_group[pair_of_run]).any():
        return None  # a rater in two groups for one ratee
    pair_ratee = run_ratee[pair_first]
    is_self = pair_group == GROUPS.index("self")
    if (np.bincount(pair_ratee[is_self], minlength=len(ratee_ids)) > 1).any():
        return None  # two 'self' raters for one ratee
    first_run = np.unique(run_ratee, return_index=True)[1]
    return make(  # type: ignore[no-any-return]
        path=path,
        ratee_ids=tuple(ratee_ids[i] for i in order),
        ratee_first_line=run_line[first_run].astype(np.intp),
        pair_ratee=pair_ratee.astype(np.intp),
        pair_group=pair_group.astype(np.int8),
        pair_first_line=run_line[pair_first].astype(np.intp),
        row_pair=np.repeat(pair_of_run.astype(np.int32), run_len),
        row_item=row_item,
        row_value=row_value,
        skipped_lines=np.array([], dtype=np.intp),
    )
