"""The disclosure decision: everything Tandem may show about a person, decided once.

:func:`tandem.measure.raters.apply_rule` says which *groups* may be shown for one measure.
A report shows many measures about the same person at once (a scale and each of its items),
and a careful reader can combine them: differences between a scale figure and its item
figures, or between an item figure and the pool it was moved into, can isolate one rater's
answers. This module decides once per person and scale who counts where, and derives every
figure from that one decision, so that the whole set of figures is safe together.

The decision, per person and scale
----------------------------------
1. A rater *counts* for a scale when they answered at least ``min_answered`` of its items
   (a sheet with no rated answer counts for nothing).
2. The group rule (:func:`~tandem.measure.raters.apply_rule`) runs on the counting raters'
   group sizes: it gives the *atoms* of the scale, disjoint sets of raters that each meet
   their minimum: ``self``, ``manager``, ``peer``, ``direct_report`` on their own, and the
   pooled ``others``. Raters in no atom are left out of everything about the scale.
3. A *cell* is one atom's answers to one item of the scale. A cell is *open* when at least
   the atom's minimum of its raters answered the item ("not observed" shrinks a cell, it never
   moves a rater to another atom). Closed cells are shown nowhere and enter nothing.
4. Every figure is a fixed combination of open cells: an atom's item figure is its open
   cell's mean; ``all_others`` on an item is the mean over the open non-self cells; a scale
   figure is the mean of the item figures it has, shown when at least ``min_answered`` of the
   scale's items have one.

Why this holds against combinations: every figure is a linear combination of open-cell sums,
each answer sits in at most one cell, and every cell holds at least its atom's minimum of
raters, each with the same weight. A combination of figures that involves only a set of
raters smaller than the minimum would have to cancel every cell it touches, so it is zero:
no single answer and no sum of a group below its minimum can be worked out, whatever figures
are taken together. ``tests/measure/test_disclosure_properties.py`` checks this with exact
linear algebra on random rater mixes, against the figures the report actually shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tandem.measure._arrays import BoolArray, FloatArray
from tandem.measure.raters import GROUPS, SLOTS, Aggregate, apply_rule, effective_minimums

__all__ = ["Disclosure", "PersonFigures", "disclose", "person_figures"]

N_GROUPS = len(GROUPS)
N_SLOTS = len(SLOTS)
POOL = SLOTS.index("others")
ALL_OTHERS = SLOTS.index("all_others")
_BITS = np.array([1 << g for g in range(N_GROUPS)], dtype=np.uint8)


@dataclass(frozen=True)
class Disclosure:
    """What may be shown about every ratee, and which answers it rests on.

    Shapes: R ratees, S scales, I items, N raters (rows), 6 aggregates in :data:`SLOTS` order.
    Hidden figures have n = 0, code 0 and a NaN mean. Means are keyed (reverse-keyed items
    turned round, so higher always means more of the behaviour).

    ``atom[n, s]`` is the aggregate (0-4: self, manager, peer, direct_report, the pooled
    others) whose raters row ``n`` is one of on scale ``s``, or -1 when the row is in none.
    ``counted[n, i]`` is True when rater row ``n``'s answer to item ``i`` is inside a shown
    figure. ``rater_scale[n, s]`` is the mean of row ``n``'s counted answers on scale ``s``
    (NaN when none): never shown, it feeds cycle-wide statistics that must rest only on
    answers that are inside shown figures.
    """

    scale_mean: FloatArray
    scale_n: NDArray[np.int32]
    scale_codes: NDArray[np.uint8]
    item_mean: FloatArray
    item_n: NDArray[np.int32]
    item_codes: NDArray[np.uint8]
    atom: NDArray[np.int8]
    counted: BoolArray
    rater_scale: FloatArray


def _cells(key: NDArray[np.int64], n_keys: int, dtype: type) -> Any:
    """Sparse (n_keys x n_raters) 0/1 matrix: row k sums the raters whose key is k."""
    from scipy import sparse  # imported when scoring, not when a web process starts (0.5 s)

    order = np.argsort(key, kind="stable")
    indptr = np.concatenate(([0], np.cumsum(np.bincount(key, minlength=n_keys))))
    return sparse.csr_matrix(
        (np.ones(key.size, dtype=dtype), order, indptr), shape=(n_keys, key.size)
    )


def _by_slot(
    per_group: NDArray[Any], codes: NDArray[np.uint8], columns: NDArray[np.intp] | None = None
) -> NDArray[Any]:
    """Combine (5, R, M) per-group totals into (5, R, M) totals of the atoms self..others.

    ``codes`` is the rule's (6, R, S) group sets; ``columns`` maps each of the M measures to
    its scale (items), or is None when the measures are the scales themselves.
    """
    out = np.zeros((POOL + 1, *per_group.shape[1:]), dtype=per_group.dtype)
    for slot in range(POOL + 1):
        code = codes[slot] if columns is None else codes[slot][:, columns]
        if slot < POOL:  # an atom of one group: slot s is group s
            out[slot] = np.where(code != 0, per_group[slot], 0)
            continue
        for g in range(1, N_GROUPS):
            out[slot] += np.where(code & _BITS[g], per_group[g], 0)
    return out


def _atom_minimums(codes: NDArray[np.uint8], mins: NDArray[np.int64]) -> NDArray[np.int64]:
    """(5, R, S) minimum of each atom: its group's, or the largest of the pooled groups'."""
    largest = np.zeros(32, dtype=np.int64)
    for code in range(32):
        members = [int(mins[g]) for g in range(N_GROUPS) if code >> g & 1]
        largest[code] = max(members, default=0)
    out = np.empty((POOL + 1, *codes.shape[1:]), dtype=np.int64)
    for slot in range(POOL):
        out[slot] = mins[slot]
    out[POOL] = largest[codes[POOL]]
    return out


def disclose(
    keyed: ArrayLike,
    present: ArrayLike,
    *,
    ratee: NDArray[np.integer[Any]],
    group: NDArray[np.integer[Any]],
    item_scale: ArrayLike,
    n_ratees: int,
    n_scales: int,
    minimums: Mapping[str, int] | None = None,
    min_answered: float = 0.5,
) -> Disclosure:
    """Decide what may be shown about every ratee, and compute every figure from that.

    Parameters
    ----------
    keyed : array_like of int, shape (N, I)
        Keyed answers (reverse-keyed items already turned round); any value where absent.
    present : array_like of bool, shape (N, I)
        True where the rater answered (not "not observed", not blank).
    ratee : ndarray of int, shape (N,)
        The ratee each row is about, ``0..n_ratees-1``.
    group : ndarray of int, shape (N,)
        Group code of each row, in :data:`GROUPS` order.
    item_scale : array_like of int, shape (I,)
        The scale each item belongs to, ``0..n_scales-1``.
    n_ratees, n_scales : int
    minimums : mapping of str to int, optional
        Per-group minimums (defaults: self 1, manager 1, others 3).
    min_answered : float, default 0.5
        Share of a scale's items a rater must answer to count for it; also the share of a
        scale's items that need a figure before the scale figure is shown.

    Returns
    -------
    Disclosure

    Examples
    --------
    Three peers and one colleague who answered one item of a two-item scale: the colleague
    does not count for the scale, so they are in no figure at all (not even the item they
    answered), and the scale figure is the mean of the peers' two item figures.

    >>> import numpy as np
    >>> keyed = np.array([[4, 2], [5, 3], [3, 4], [1, 0]])
    >>> present = np.array([[1, 1], [1, 1], [1, 1], [1, 0]], dtype=bool)
    >>> d = disclose(keyed, present, ratee=np.zeros(4, int), group=np.array([2, 2, 2, 4]),
    ...              item_scale=[0, 0], n_ratees=1, n_scales=1)
    >>> d.item_n[0, :, 2].tolist(), d.item_mean[0, :, 2].tolist()  # the peer atom
    ([3, 3], [4.0, 3.0])
    >>> float(d.scale_mean[0, 0, 2]), int(d.scale_n[0, 0, 2])
    (3.5, 3)
    >>> d.counted[3].tolist()
    [False, False]
    """
    if not 0.0 < min_answered <= 1.0:
        raise ValueError(f"min_answered must be a share in (0, 1]; got {min_answered}")
    present_b = np.asarray(present, dtype=bool)
    values = np.asarray(keyed)
    n_rows, n_items = present_b.shape
    columns = np.asarray(item_scale, dtype=np.intp)
    if values.shape != present_b.shape or columns.shape != (n_items,):
        raise ValueError("keyed, present and item_scale must describe the same items")
    mins = effective_minimums(minimums)
    membership = np.zeros((n_items, n_scales), dtype=np.float32)
    membership[np.arange(n_items), columns] = 1.0
    per_scale = membership.sum(axis=0)
    needed = min_answered * per_scale - 1e-9

    # 1. Who counts for each scale.
    answered = present_b.astype(np.float32) @ membership
    counts_for = (answered > 0) & (answered >= needed)

    # 2. The atoms of each scale, from the counting raters' group sizes.
    key = group.astype(np.int64) * n_ratees + ratee.astype(np.int64)
    plane = (N_GROUPS, n_ratees)
    cells = _cells(key, N_GROUPS * n_ratees, np.float64)
    group_counts = np.rint(cells @ counts_for.astype(np.float64)).astype(np.int64)
    rule = apply_rule(list(group_counts.reshape(*plane, n_scales)), minimums=minimums)
    codes = rule.codes  # (6, R, S)
    in_atom_code = codes[0] | codes[ALL_OTHERS]
    in_atom = (in_atom_code[ratee] >> group[:, None].astype(np.uint8)) & 1 == 1
    alone = np.zeros((n_rows, n_scales), dtype=bool)
    for g in range(POOL):
        rows = group == g
        alone[rows] = codes[g][ratee[rows]] != 0
    # The atom each row belongs to on each scale (the pool when not on its own).
    slot_of_row = np.where(alone, group[:, None], POOL).astype(np.intp)

    atom = np.where(counts_for & in_atom, slot_of_row, -1).astype(np.int8)

    # 3. Cells: each atom's answers to each item; open when the atom's minimum answered.
    included = present_b & (counts_for & in_atom)[:, columns]
    del answered, in_atom
    largest = int(np.bincount(key, minlength=N_GROUPS * n_ratees).max()) if n_rows else 0
    top = int(np.abs(values[present_b]).max()) if present_b.any() else 0
    int_type = np.int16 if largest * max(top, 1) < 32_000 else np.int64
    cells_int = cells.astype(int_type)
    inc_int = included.astype(int_type)
    g_n = (cells_int @ inc_int).reshape(*plane, n_items)
    g_sum = (cells_int @ (np.where(included, values, 0).astype(int_type))).reshape(*plane, n_items)
    del cells_int, inc_int
    atom_n = _by_slot(g_n, codes, columns).astype(np.int32)
    atom_sum = _by_slot(g_sum, codes, columns).astype(np.float64)
    del g_n, g_sum
    atom_min = _atom_minimums(codes, mins)[:, :, columns]
    is_open = (atom_n > 0) & (atom_n >= atom_min)
    del atom_min

    # 4. Item figures: open cells, and all_others over the open non-self cells.
    item_n = np.zeros((N_SLOTS, n_ratees, n_items), dtype=np.int32)
    item_sum = np.zeros((N_SLOTS, n_ratees, n_items))
    item_codes = np.zeros((N_SLOTS, n_ratees, n_items), dtype=np.uint8)
    item_n[: POOL + 1] = np.where(is_open, atom_n, 0)
    item_sum[: POOL + 1] = np.where(is_open, atom_sum, 0.0)
    for slot in range(POOL + 1):
        item_codes[slot] = np.where(is_open[slot], codes[slot][:, columns], 0)
    item_n[ALL_OTHERS] = item_n[1 : POOL + 1].sum(axis=0)
    item_sum[ALL_OTHERS] = item_sum[1 : POOL + 1].sum(axis=0)
    item_codes[ALL_OTHERS] = np.bitwise_or.reduce(item_codes[1 : POOL + 1], axis=0)
    del atom_n, atom_sum
    item_shown = item_n > 0
    item_mean = np.full(item_sum.shape, np.nan)
    np.divide(item_sum, item_n, out=item_mean, where=item_shown)
    del item_sum

    # Which answers are inside a shown figure: the row's cell is open.
    row_slot = slot_of_row[:, columns]
    counted = included & is_open[row_slot, ratee[:, None], np.arange(n_items)[None, :]]
    del row_slot, included, is_open

    # 5. Scale figures: the mean of the item figures each aggregate has on the scale.
    n_shown = item_shown.astype(np.float32) @ membership  # (6, R, S)
    mean_sum = np.where(item_shown, item_mean, 0.0) @ membership.astype(np.float64)
    scale_shown = (n_shown > 0) & (n_shown >= needed)
    scale_mean = np.full(mean_sum.shape, np.nan)
    np.divide(mean_sum, n_shown, out=scale_mean, where=scale_shown)
    # n: the raters whose answers are inside the figure (contributors to its items).
    contributed = (counted.astype(np.float32) @ membership) > 0
    g_contrib = np.rint(cells @ contributed.astype(np.float64)).astype(np.int64)
    atom_contrib = _by_slot(g_contrib.reshape(*plane, n_scales), codes)
    scale_n = np.zeros((N_SLOTS, n_ratees, n_scales), dtype=np.int32)
    scale_n[: POOL + 1] = atom_contrib
    scale_n[ALL_OTHERS] = atom_contrib[1:].sum(axis=0)
    has_items = n_shown > 0
    scale_codes = np.zeros((N_SLOTS, n_ratees, n_scales), dtype=np.uint8)
    for slot in range(POOL + 1):
        scale_codes[slot] = np.where(has_items[slot], codes[slot], 0)
    scale_codes[ALL_OTHERS] = np.bitwise_or.reduce(scale_codes[1 : POOL + 1], axis=0)
    hidden = ~scale_shown
    scale_n[hidden] = 0
    scale_codes[hidden] = 0
    scale_mean[hidden] = np.nan
    item_codes[~item_shown] = 0

    counted_n = counted.astype(np.float32) @ membership
    counted_sum = np.where(counted, values, 0).astype(np.float64) @ membership.astype(np.float64)
    rater_scale = np.full(counted_sum.shape, np.nan)
    np.divide(counted_sum, counted_n, out=rater_scale, where=counted_n > 0)
    return Disclosure(
        scale_mean=np.moveaxis(scale_mean, 0, -1),
        scale_n=np.moveaxis(scale_n, 0, -1),
        scale_codes=np.moveaxis(scale_codes, 0, -1),
        item_mean=np.moveaxis(item_mean, 0, -1),
        item_n=np.moveaxis(item_n, 0, -1),
        item_codes=np.moveaxis(item_codes, 0, -1),
        atom=atom,
        counted=counted,
        rater_scale=rater_scale,
    )


@dataclass(frozen=True)
class PersonFigures:
    """Everything that may be shown about one person for some scales.

    ``scales[s]`` and ``items[i]`` list the shown :class:`~tandem.measure.raters.Aggregate`
    figures in :data:`SLOTS` order (means keyed, as given); ``counted[r]`` says whether rater
    ``r`` is inside any shown figure (only their comments may then be shown).
    """

    scales: tuple[tuple[Aggregate, ...], ...]
    items: tuple[tuple[Aggregate, ...], ...]
    counted: tuple[bool, ...]


def _aggregates(
    means: FloatArray, ns: NDArray[np.int32], codes: NDArray[np.uint8]
) -> tuple[Aggregate, ...]:
    return tuple(
        Aggregate(
            label=SLOTS[s],
            groups=tuple(GROUPS[g] for g in range(N_GROUPS) if int(codes[s]) >> g & 1),
            n=int(ns[s]),
            mean=float(means[s]),
        )
        for s in range(N_SLOTS)
        if ns[s] > 0
    )


def person_figures(
    values: ArrayLike,
    rater_groups: list[str] | tuple[str, ...],
    *,
    item_scale: ArrayLike,
    n_scales: int,
    minimums: Mapping[str, int] | None = None,
    min_answered: float = 0.5,
) -> PersonFigures:
    """The disclosure decision for one person: every scale and item figure that may be shown.

    The one-person form of :func:`disclose`, for pages that show a few scales with their
    items (quick feedback, say). Use it instead of calling
    :func:`~tandem.measure.raters.visible_aggregates` per scale and per item: figures of one
    measure each pass the rule alone, but only figures derived from one decision are safe
    together.

    Parameters
    ----------
    values : array_like of float, shape (n_raters, n_items)
        Keyed answers; NaN where a rater gave no answer.
    rater_groups : sequence of str
        The group of each rater (see :data:`GROUPS`).
    item_scale : array_like of int, shape (n_items,)
        The scale each item belongs to.
    n_scales : int
    minimums : mapping of str to int, optional
    min_answered : float, default 0.5

    Returns
    -------
    PersonFigures

    Examples
    --------
    Four colleagues; the fourth answered only the first of three items, too few to count:

    >>> import numpy as np
    >>> nan = float("nan")
    >>> values = [[4, 4, 5], [3, 5, 4], [5, 3, 3], [1, nan, nan]]
    >>> figures = person_figures(values, ["other"] * 4, item_scale=[0, 0, 0], n_scales=1)
    >>> [(a.label, a.n, round(a.mean, 3)) for a in figures.scales[0]]
    [('others', 3, 4.0), ('all_others', 3, 4.0)]
    >>> [a.n for a in figures.items[0]], figures.counted
    ([3, 3], (True, True, True, False))
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 2:
        raise ValueError("values must be a raters x items table")
    groups = list(rater_groups)
    if len(groups) != v.shape[0]:
        raise ValueError(f"values has {v.shape[0]} raters but rater_groups has {len(groups)}")
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise ValueError(f"unknown rater group {unknown[0]!r} (groups: {', '.join(GROUPS)})")
    present = ~np.isnan(v)
    if present.any() and np.any(v[present] != np.round(v[present])):
        # Keyed answers are whole numbers; scale them to integers for the exact kernel.
        raise ValueError("values must be whole numbers (keyed answers) or NaN")
    keyed = np.where(present, v, 0).astype(np.int64)
    d = disclose(
        keyed,
        present,
        ratee=np.zeros(v.shape[0], dtype=np.int64),
        group=np.array([GROUPS.index(g) for g in groups], dtype=np.int64),
        item_scale=item_scale,
        n_ratees=1,
        n_scales=n_scales,
        minimums=minimums,
        min_answered=min_answered,
    )
    return PersonFigures(
        scales=tuple(
            _aggregates(d.scale_mean[0, s], d.scale_n[0, s], d.scale_codes[0, s])
            for s in range(n_scales)
        ),
        items=tuple(
            _aggregates(d.item_mean[0, i], d.item_n[0, i], d.item_codes[0, i])
            for i in range(v.shape[1])
        ),
        counted=tuple(bool(c) for c in np.asarray(d.counted.any(axis=1)).tolist()),
    )
