"""The entries of a sparse inverse that its Cholesky factor's pattern holds (Takahashi et al. 1973).

For ``S = L D L'`` (``L`` unit lower triangular, sparse) the entries of ``Z = S^-1`` at the
places where ``L`` has entries follow from ``L`` and ``D`` alone, last column first:

``Z[I, j] = -Z[I, I] L[I, j]``,  ``Z[j, j] = 1 / D[j] - L[I, j]' Z[I, j]``

with ``I`` the rows below the diagonal of column ``j``. Every ``Z[r, t]`` the right-hand side
needs (``r``, ``t`` in ``I``) lies in ``L``'s pattern (a column's rows are among the rows of its
elimination-tree parent), and only in later columns. So the columns are taken in batches, one
depth of the elimination tree at a time from the root, and each batch is a few vectorised sums.
The cost is about that of the factorisation, against one full solve per column for the whole
inverse: what makes the diagonal of a 100,000-level inverse take seconds rather than minutes.

References
----------
Takahashi, K., Fagan, J., & Chin, M.-S. (1973). Formation of a sparse bus impedance matrix and
its application to short circuit study. Proceedings of the 8th PICA Conference, 63-69.
Erisman, A. M., & Tinney, W. F. (1975). On computing certain elements of the inverse of a sparse
matrix. Communications of the ACM, 18(3), 177-179.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from tandem.measure._arrays import FloatArray, IntArray

__all__ = ["SelectedInverse", "selected_inverse"]


class SelectedInverse:
    """``S^-1`` at the places of ``L``'s lower pattern (diagonal included), with a lookup."""

    def __init__(self, size: int, keys: IntArray, values: FloatArray, diagonal: FloatArray):
        self.size = size
        self._keys = keys
        self.values = values
        self.diagonal = diagonal

    def at(self, rows: IntArray, cols: IntArray) -> FloatArray:
        """``S^-1[rows, cols]`` for places in the pattern (either triangle).

        Raises ValueError when a place is not in the pattern (its value is not known here).
        """
        low, high = np.minimum(rows, cols), np.maximum(rows, cols)
        pos = _positions(self._keys, low.astype(np.int64) * self.size + high)
        return self.values[pos]


def _positions(keys: IntArray, wanted: IntArray) -> IntArray:
    pos = np.searchsorted(keys, wanted)
    np.minimum(pos, keys.shape[0] - 1, out=pos)
    if not np.array_equal(keys[pos], wanted):
        raise ValueError(
            "internal error: an entry of the inverse lies outside the factor's pattern"
        )
    return pos


def selected_inverse(lower: sparse.csc_matrix, d: FloatArray) -> SelectedInverse:
    """``(L D L')^-1`` on ``lower``'s pattern.

    Parameters
    ----------
    lower : scipy.sparse.csc_matrix, shape (n, n)
        Unit lower triangular ``L``, every diagonal entry stored.
    d : ndarray, shape (n,)
        The diagonal ``D``, all positive.
    """
    lower = sparse.csc_matrix(lower, copy=True)
    lower.sort_indices()
    n = lower.shape[0]
    ptr = lower.indptr.astype(np.int64)
    rows = lower.indices.astype(np.int64)
    vals = np.asarray(lower.data, dtype=np.float64)
    if not np.array_equal(rows[ptr[:-1]], np.arange(n)):
        raise ValueError("internal error: the factor must store its diagonal first in each column")
    cols = np.repeat(np.arange(n, dtype=np.int64), np.diff(ptr))
    keys = cols * n + rows  # sorted: by column, then row
    z = np.zeros(vals.shape[0])
    first_off = ptr[:-1] + 1
    m = ptr[1:] - first_off  # entries below the diagonal, per column
    for batch in _by_depth(rows, first_off, m):
        _batch(batch, z, keys, rows, vals, d, first_off, m, n)
    return SelectedInverse(n, keys, z, z[ptr[:-1]].copy())


def _by_depth(rows: IntArray, first_off: IntArray, m: IntArray) -> list[IntArray]:
    """Columns grouped by depth in the elimination tree (roots first)."""
    n = m.shape[0]
    parent = np.where(m > 0, rows[np.minimum(first_off, rows.shape[0] - 1)], -1).tolist()
    depth = [0] * n
    for j in range(n - 1, -1, -1):
        p = parent[j]
        if p >= 0:
            depth[j] = depth[p] + 1
    depths = np.asarray(depth, dtype=np.int64)
    order = np.argsort(depths, kind="stable")
    bounds = np.searchsorted(depths[order], np.arange(int(depths.max()) + 2))
    return [order[bounds[k] : bounds[k + 1]] for k in range(bounds.shape[0] - 1)]


def _batch(
    columns: IntArray,
    z: FloatArray,
    keys: IntArray,
    rows: IntArray,
    vals: FloatArray,
    d: FloatArray,
    first_off: IntArray,
    m: IntArray,
    n: int,
) -> None:
    """Fill the columns of one depth (each needs only columns nearer the root)."""
    counts = m[columns]
    total = int(counts.sum())
    below: FloatArray = np.zeros(columns.shape[0])  # L[I, j]' Z[I, j], per column
    if total:
        # The off-diagonal entries of the batch, column after column.
        starts = np.repeat(first_off[columns] - (np.cumsum(counts) - counts), counts)
        entries = np.arange(total, dtype=np.int64) + starts
        pos = entries - np.repeat(first_off[columns], counts)  # index within its column
        seg_start = np.arange(total, dtype=np.int64) - pos  # where its column begins here
        # Every pair (s, t), t <= s, of entries in one column: Z[r_s, r_t] is in column r_t.
        reps = pos + 1
        s_local = np.repeat(np.arange(total, dtype=np.int64), reps)
        t_local = seg_start[s_local] + (
            np.arange(int(reps.sum()), dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
        )
        r_s, r_t = rows[entries[s_local]], rows[entries[t_local]]
        z_st = z[_positions(keys, r_t * n + r_s)]
        l_s, l_t = vals[entries[s_local]], vals[entries[t_local]]
        off = s_local != t_local
        acc = np.bincount(s_local, weights=z_st * l_t, minlength=total)
        acc += np.bincount(t_local[off], weights=(z_st * l_s)[off], minlength=total)
        z[entries] = -acc
        below += np.bincount(
            np.repeat(np.arange(columns.shape[0]), counts),
            weights=vals[entries] * -acc,
            minlength=columns.shape[0],
        )
    z[first_off[columns] - 1] = 1.0 / d[columns] - below
