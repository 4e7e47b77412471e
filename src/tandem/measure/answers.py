"""Answer tables: long rows to a raters x items table, answer codes and group codes."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tandem.measure.instrument import Instrument
from tandem.measure.raters import GROUPS

__all__ = ["MISSING", "DuplicateAnswerError", "answer_codes", "group_codes", "long_to_wide"]

MISSING = -1
"""The code for "no answer" in int8 answer tables (not answered or "not observed")."""
UNWRITTEN = -128


class DuplicateAnswerError(ValueError):
    """The same rater answered the same item twice; ``rows`` are the two input positions."""

    def __init__(self, message: str, rows: tuple[int, int]) -> None:
        super().__init__(message)
        self.rows = rows


def long_to_wide(
    pair: ArrayLike, item: ArrayLike, value: ArrayLike, *, n_pairs: int, n_items: int
) -> NDArray[np.int8]:
    """Pivot long answers (one row per rater and item) to a raters x items int8 table.

    Parameters
    ----------
    pair : array_like of int, shape (n,)
        Rater (ratee-rater pair) code of each row, ``0..n_pairs-1``.
    item : array_like of int, shape (n,)
        Item code (column) of each row, ``0..n_items-1``.
    value : array_like of int, shape (n,)
        The answer; ``-1`` means not answered.
    n_pairs, n_items : int
        Table size.

    Returns
    -------
    ndarray of int8, shape (n_pairs, n_items)
        ``-1`` where a rater gave no answer.

    Raises
    ------
    DuplicateAnswerError
        When two rows give the same rater's answer to the same item.

    Examples
    --------
    >>> long_to_wide([0, 0, 1], [0, 1, 1], [4, 5, 2], n_pairs=2, n_items=2).tolist()
    [[4, 5], [-1, 2]]
    """
    p, i, v = np.asarray(pair), np.asarray(item), np.asarray(value)
    if not (p.shape == i.shape == v.shape) or p.ndim != 1:
        raise ValueError("pair, item and value must be 1-D arrays of equal length")
    if p.dtype.kind not in "iu" or i.dtype.kind not in "iu" or v.dtype.kind not in "iu":
        raise ValueError("pair, item and value must be whole numbers")
    if p.size and (p.min() < 0 or p.max() >= n_pairs or i.min() < 0 or i.max() >= n_items):
        raise ValueError("pair or item codes out of range")
    if v.size and (v.min() < -1 or v.max() > 127):
        raise ValueError("values must fit in -1..127")
    cells = n_pairs * n_items
    flat: NDArray[np.signedinteger[Any]] = p.astype(np.int32 if cells < 2**31 else np.int64)
    np.multiply(flat, n_items, out=flat)
    np.add(flat, i, out=flat)
    # Write into a table pre-filled with a value no answer can take: if fewer cells were
    # written than rows given, two rows hit the same cell.
    wide = np.full(cells, UNWRITTEN, dtype=np.int8)
    wide[flat] = v
    if int(np.count_nonzero(wide != UNWRITTEN)) != flat.size:
        counts = np.bincount(flat, minlength=cells)
        where = int(np.argmax(counts > 1))
        rows = np.flatnonzero(flat == where)[:2]
        raise DuplicateAnswerError(
            f"rows {rows[0] + 1} and {rows[1] + 1} answer the same item for the same rater",
            (int(rows[0]), int(rows[1])),
        )
    wide[wide == UNWRITTEN] = MISSING
    return wide.reshape(n_pairs, n_items)


def answer_codes(answers: ArrayLike, instrument: Instrument) -> NDArray[np.int8]:
    """Answers as int8 codes with -1 for missing, checked against each item's range."""
    items = instrument.all_items
    a = np.asarray(answers)
    if a.ndim != 2 or a.shape[1] != len(items):
        raise ValueError(
            f"answers need one column per item ({len(items)}: the rated items, then the "
            f"self-only items, as in instrument.all_items)"
        )
    lo = np.array([instrument.response_scale(it.response_scale).minimum for it in items])
    hi = np.array([instrument.response_scale(it.response_scale).maximum for it in items])
    no = np.array(
        [
            -1000
            if (c := instrument.response_scale(it.response_scale).not_observed_code) is None
            else c
            for it in items
        ]
    )
    if a.dtype.kind == "f":
        missing = np.isnan(a)
        filled = np.where(missing, MISSING, a)
        if np.any(filled != np.round(filled)):
            raise ValueError("answers must be whole numbers on the response scale")
        a = filled.astype(np.int64)
    elif a.dtype.kind not in "iu":
        raise ValueError(f"answers must be numeric; got {a.dtype}")
    small = a.astype(np.int8) if a.dtype != np.int8 else a
    if a.dtype != np.int8 and np.any(small != a):
        raise ValueError("answers must fit in -1..127")
    missing = (small == MISSING) | (small == no.astype(np.int8))
    bad = ~missing & ((small < lo.astype(np.int8)) | (small > hi.astype(np.int8)))
    if bad.any():
        row, col = (int(v) for v in np.argwhere(bad)[0])
        raise ValueError(
            f"answer {int(small[row, col])} of rater {row + 1} to item {items[col].id!r} is "
            f"outside {lo[col]}..{hi[col]}"
        )
    if (no >= -128).any():
        small = np.where(missing, np.int8(MISSING), small)
    return small


def group_codes(group: ArrayLike, n: int) -> NDArray[np.int64]:
    g = np.asarray(group)
    if g.shape != (n,):
        raise ValueError(f"group needs one entry per rater ({n})")
    if g.dtype.kind in "iu":
        if n and (g.min() < 0 or g.max() >= len(GROUPS)):
            raise ValueError(f"group codes must be 0..{len(GROUPS) - 1} ({', '.join(GROUPS)})")
        return g.astype(np.int64)
    lookup = {name: k for k, name in enumerate(GROUPS)}
    try:
        return np.array([lookup[str(v)] for v in g], dtype=np.int64)
    except KeyError as exc:
        raise ValueError(
            f"unknown rater group {exc.args[0]!r} (groups: {', '.join(GROUPS)})"
        ) from None
