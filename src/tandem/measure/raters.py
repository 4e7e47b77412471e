"""Rater groups and anonymity: which groups of raters may be shown for one measure.

This module holds the group rule. For one measure shown on its own (a pulse statement, say),
:func:`visible_aggregates` is the entry point. When several measures about the same person are
shown together (a scale and its questions), each passing the rule alone is not enough: use
:mod:`tandem.measure.disclosure`, which applies this rule once per person and scale and derives
every figure from that one decision, so that figures cannot be combined to isolate anyone.

The rule
--------
Groups are ``self``, ``manager``, ``peer``, ``direct_report`` and ``other``, each with a
minimum number of raters (defaults: self 1, manager 1, every other group 3).

1. ``self`` is shown on its own when it reaches its minimum; it is never pooled with others.
2. ``manager``, ``peer`` and ``direct_report`` are shown on their own when they reach their
   minimum.
3. Every group below its minimum, together with the ``other`` group, forms one pooled
   ``others`` aggregate. It is shown only when it reaches the largest minimum of the groups
   it draws from; otherwise its raters are left out of *everything*.
4. ``all_others`` (everyone except self) is the union of the non-self aggregates shown by
   rules 2 and 3, so it never includes a left-out rater.
5. The manager may read the report and knows their own answers, so the ``manager`` group is
   never pooled (below its minimum it is left out), and a manager minimum above 1 must be
   reached *besides* the reading manager: it is raised by one (:func:`effective_minimums`).
   A manager minimum of 1, the default, means the manager's answers are not anonymous.

So the shown aggregates are unions of disjoint "atoms" (a group shown on its own, or the pool),
and each atom meets its minimum. Any two shown aggregates are therefore nested or disjoint, and
the difference of two nested ones is itself a union of atoms: no difference of fewer raters
than the minimum can be computed from what is shown (no differencing).
``tests/measure/test_raters_properties.py`` proves this over random rater mixes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tandem.measure._arrays import BoolArray, as_float_vector

__all__ = [
    "DEFAULT_MINIMUMS",
    "GROUPS",
    "SLOTS",
    "Aggregate",
    "AnonymityPlan",
    "RuleResult",
    "anonymity_plan",
    "apply_rule",
    "effective_minimums",
    "minimum_vector",
    "visibility_masks",
    "visible_aggregates",
]

GROUPS: tuple[str, ...] = ("self", "manager", "peer", "direct_report", "other")
"""The rater groups, in the order used by every array in Tandem."""

SLOTS: tuple[str, ...] = ("self", "manager", "peer", "direct_report", "others", "all_others")
"""The aggregates that may be shown, in a fixed order; ``others`` is the pool."""

DEFAULT_MINIMUMS: Mapping[str, int] = {
    "self": 1,
    "manager": 1,
    "peer": 3,
    "direct_report": 3,
    "other": 3,
}


@dataclass(frozen=True)
class Aggregate:
    """One aggregate that may be shown: its label, the groups it covers, n and mean."""

    label: str
    groups: tuple[str, ...]
    n: int
    mean: float


@dataclass(frozen=True)
class AnonymityPlan:
    """What the anonymity rule allows for one measure, before any value is looked at."""

    shown: tuple[tuple[str, tuple[str, ...], int], ...]
    left_out: tuple[str, ...]
    minimums: tuple[tuple[str, int], ...]


def minimum_vector(minimums: Mapping[str, int] | None = None) -> NDArray[np.int64]:
    """Per-group minimums in :data:`GROUPS` order, defaults filled in and checked.

    Parameters
    ----------
    minimums : mapping of str to int, optional
        Overrides for some groups, for example ``{"peer": 4}``.

    Returns
    -------
    ndarray of int, shape (5,)

    Examples
    --------
    >>> minimum_vector({"peer": 4}).tolist()
    [1, 1, 4, 3, 3]
    """
    merged = dict(DEFAULT_MINIMUMS)
    for group, value in (minimums or {}).items():
        if group not in GROUPS:
            raise ValueError(
                f"unknown rater group {group!r} in minimums (groups: {', '.join(GROUPS)})"
            )
        if isinstance(value, bool) or int(value) != value or value < 1:
            raise ValueError(f"the minimum for {group!r} must be a whole number of at least 1")
        merged[group] = int(value)
    return np.array([merged[g] for g in GROUPS], dtype=np.int64)


MANAGER = GROUPS.index("manager")


def effective_minimums(minimums: Mapping[str, int] | None = None) -> NDArray[np.int64]:
    """The minimums the rule applies, in :data:`GROUPS` order (see rule 5 above).

    The manager's own minimum is raised by one when it is above 1: the manager may read the
    report, so the other managers must reach the minimum without them.

    Examples
    --------
    >>> effective_minimums().tolist()
    [1, 1, 3, 3, 3]
    >>> effective_minimums({"manager": 2}).tolist()
    [1, 3, 3, 3, 3]
    """
    mins = minimum_vector(minimums)
    if mins[MANAGER] > 1:
        mins[MANAGER] += 1
    return mins


@dataclass(frozen=True)
class RuleResult:
    """The rule applied to many measures at once (arrays have the counts' shape).

    ``codes[s]`` is a 5-bit set of the groups aggregate ``SLOTS[s]`` covers (bit ``g`` for
    ``GROUPS[g]``; 0 = hidden); ``n[s]`` its raters; ``sums[s]`` the sum of their values
    (when sums were given).
    """

    codes: NDArray[np.uint8]
    n: NDArray[np.int32]
    sums: NDArray[np.float64] | None


def apply_rule(
    counts: Sequence[NDArray[np.integer[Any]]],
    sums: Sequence[NDArray[np.number[Any]]] | None = None,
    *,
    minimums: Mapping[str, int] | None = None,
) -> RuleResult:
    """The anonymity rule itself, on one array per group (the one place it is written).

    Parameters
    ----------
    counts : sequence of 5 int arrays
        Raters who contributed, per group in :data:`GROUPS` order, all of one shape.
    sums : sequence of 5 float arrays, optional
        Sums of the contributed values per group, same shapes.
    minimums : mapping of str to int, optional
        Per-group minimums (defaults: self 1, manager 1, others 3).

    Returns
    -------
    RuleResult

    Examples
    --------
    >>> import numpy as np
    >>> planes = [np.array([k]) for k in (1, 1, 2, 3, 1)]
    >>> [int(code[0]) for code in apply_rule(planes).codes]  # bit g = GROUPS[g]
    [1, 2, 0, 8, 20, 30]
    """
    if len(counts) != len(GROUPS) or (sums is not None and len(sums) != len(GROUPS)):
        raise ValueError(f"give one array per group ({len(GROUPS)})")
    mins = effective_minimums(minimums)
    c = [np.asarray(plane) for plane in counts]
    shape = c[0].shape
    codes = np.zeros((len(SLOTS), *shape), dtype=np.uint8)
    n = np.zeros((len(SLOTS), *shape), dtype=np.int32)
    total = np.zeros((len(SLOTS), *shape)) if sums is not None else None
    pool_n = np.zeros(shape, dtype=np.int32)
    pool_needs = np.zeros(shape, dtype=np.int32)
    pool_code = np.zeros(shape, dtype=np.uint8)
    pool_sum = np.zeros(shape) if sums is not None else None
    for g in range(len(GROUPS)):
        meets = c[g] >= mins[g]
        if g < 4:  # self, manager, peer, direct_report may stand alone
            codes[g] = meets * np.uint8(1 << g)
            n[g] = np.where(meets, c[g], 0)
            if total is not None and sums is not None:
                total[g] = np.where(meets, sums[g], 0.0)
        if g in (0, MANAGER):
            continue  # self and the manager are never pooled (rules 1 and 5)
        pooled = (c[g] > 0) & ~meets if g < 4 else c[g] > 0
        pool_n += np.where(pooled, c[g], 0)
        pool_needs = np.maximum(pool_needs, np.where(pooled, mins[g], 0))
        pool_code |= pooled * np.uint8(1 << g)
        if pool_sum is not None and sums is not None:
            pool_sum += np.where(pooled, sums[g], 0.0)
    pool_shown = (pool_n > 0) & (pool_n >= pool_needs)
    codes[4] = np.where(pool_shown, pool_code, 0)
    n[4] = np.where(pool_shown, pool_n, 0)
    codes[5] = codes[1] | codes[2] | codes[3] | codes[4]
    n[5] = n[1] + n[2] + n[3] + n[4]
    if total is not None and pool_sum is not None:
        total[4] = np.where(pool_shown, pool_sum, 0.0)
        total[5] = total[1] + total[2] + total[3] + total[4]
    return RuleResult(codes=codes, n=n, sums=total)


def visibility_masks(counts: ArrayLike, *, minimums: Mapping[str, int] | None = None) -> BoolArray:
    """The anonymity rule, vectorised: which groups each shown aggregate covers.

    Parameters
    ----------
    counts : array_like of int, shape (..., 5)
        Number of raters who contributed to the measure, per group in :data:`GROUPS` order.
    minimums : mapping of str to int, optional
        Per-group minimums (defaults: self 1, manager 1, others 3).

    Returns
    -------
    ndarray of bool, shape (..., 6, 5)
        ``masks[..., s, g]`` is True when aggregate ``SLOTS[s]`` includes group ``GROUPS[g]``.
        An aggregate is shown exactly when its row has a True; an all-False row is hidden.

    Examples
    --------
    >>> masks = visibility_masks([1, 1, 2, 3, 1])  # self, manager, 2 peers, 3 reports, 1 other
    >>> [SLOTS[s] for s in range(6) if masks[s].any()]
    ['self', 'manager', 'direct_report', 'others', 'all_others']
    >>> [GROUPS[g] for g in range(5) if masks[4, g]]  # the pool: 2 peers + 1 other = 3
    ['peer', 'other']
    """
    c = np.asarray(counts)
    if c.shape[-1:] != (len(GROUPS),):
        raise ValueError(f"counts must end with one column per group ({len(GROUPS)})")
    if c.dtype.kind not in "iu" or np.any(c < 0):
        raise ValueError("counts must be whole numbers of raters, 0 or more")
    codes = apply_rule([c[..., g] for g in range(len(GROUPS))], minimums=minimums).codes
    codes = np.moveaxis(codes, 0, -1)
    bits = (1 << np.arange(len(GROUPS))).astype(np.uint8)
    return np.asarray((codes[..., None] & bits) > 0, dtype=bool)


def _counts_of(rater_groups: Sequence[str]) -> NDArray[np.int64]:
    position = {g: i for i, g in enumerate(GROUPS)}
    counts = np.zeros(len(GROUPS), dtype=np.int64)
    for n, group in enumerate(rater_groups):
        if group not in position:
            raise ValueError(
                f"rater {n + 1} has unknown group {group!r} (groups: {', '.join(GROUPS)})"
            )
        counts[position[group]] += 1
    return counts


def anonymity_plan(
    rater_groups: Sequence[str], *, minimums: Mapping[str, int] | None = None
) -> AnonymityPlan:
    """Which aggregates may be shown for raters in these groups, and which groups are left out.

    Parameters
    ----------
    rater_groups : sequence of str
        The group of each rater who contributed to the measure.
    minimums : mapping of str to int, optional
        Per-group minimums (defaults: self 1, manager 1, others 3).

    Returns
    -------
    AnonymityPlan
        ``shown`` lists ``(label, groups, n)``; ``left_out`` the groups whose raters appear in
        no shown aggregate.

    Examples
    --------
    >>> plan = anonymity_plan(["self", "manager", "peer", "peer"])
    >>> plan.shown
    (('self', ('self',), 1), ('manager', ('manager',), 1), ('all_others', ('manager',), 1))
    >>> plan.left_out
    ('peer',)
    >>> anonymity_plan(["manager", "peer", "peer", "direct_report"]).shown[1]
    ('others', ('peer', 'direct_report'), 3)
    """
    counts = _counts_of(rater_groups)
    masks = visibility_masks(counts, minimums=minimums)
    shown = []
    for s, label in enumerate(SLOTS):
        if masks[s].any():
            groups = tuple(GROUPS[g] for g in range(len(GROUPS)) if masks[s, g])
            shown.append((label, groups, int(counts[masks[s]].sum())))
    covered = np.asarray(masks.any(axis=0), dtype=bool)
    left_out = tuple(GROUPS[g] for g in range(len(GROUPS)) if counts[g] > 0 and not covered[g])
    mins = minimum_vector(minimums)
    return AnonymityPlan(
        shown=tuple(shown),
        left_out=left_out,
        minimums=tuple((g, int(m)) for g, m in zip(GROUPS, mins, strict=True)),
    )


def visible_aggregates(
    values: ArrayLike,
    rater_groups: Sequence[str],
    *,
    minimums: Mapping[str, int] | None = None,
) -> tuple[Aggregate, ...]:
    """The aggregates of one measure shown on its own, with their means.

    It applies the anonymity rule to the raters who actually answered (a NaN value, such as
    "not observed", does not count towards a group's size) and only then computes means. Use
    it only for a measure that is shown alone: for a scale and its questions, or any figures
    about one person that a reader sees together, use
    :func:`tandem.measure.disclosure.person_figures` (one decision for all of them).

    Parameters
    ----------
    values : array_like, shape (n_raters,)
        One value per rater (a scale score or an item answer); NaN means no answer.
    rater_groups : sequence of str, length n_raters
        The group of each rater: ``self``, ``manager``, ``peer``, ``direct_report`` or
        ``other``.
    minimums : mapping of str to int, optional
        Per-group minimums (defaults: self 1, manager 1, others 3).

    Returns
    -------
    tuple of Aggregate
        In :data:`SLOTS` order, only those that may be shown. ``groups`` lists the groups
        each aggregate covers (the pooled ``others`` may cover several).

    Notes
    -----
    See the module docstring for the rule and why it rules out differencing.

    Examples
    --------
    >>> groups = ["self", "manager", "peer", "peer", "direct_report", "direct_report",
    ...           "direct_report"]
    >>> for a in visible_aggregates([4, 3, 5, 4, 2, 3, 4], groups):
    ...     print(a.label, a.groups, a.n, round(a.mean, 2))
    self ('self',) 1 4.0
    manager ('manager',) 1 3.0
    direct_report ('direct_report',) 3 3.0
    all_others ('manager', 'direct_report') 4 3.0

    The two peers are below their minimum of 3 and there is no one to pool them with, so they
    appear nowhere, not even in ``all_others``.
    """
    v = as_float_vector(values, name="values")
    groups = list(rater_groups)
    if len(groups) != v.shape[0]:
        raise ValueError(f"values has {v.shape[0]} raters but rater_groups has {len(groups)}")
    answered = ~np.isnan(v)
    codes = np.array([GROUPS.index(g) if g in GROUPS else -1 for g in groups], dtype=np.int64)
    if np.any(codes < 0):
        bad = groups[int(np.argmax(codes < 0))]
        raise ValueError(f"unknown rater group {bad!r} (groups: {', '.join(GROUPS)})")
    codes = codes[answered]
    v = v[answered]
    counts = np.bincount(codes, minlength=len(GROUPS)).astype(np.int64)
    sums = np.bincount(codes, weights=v, minlength=len(GROUPS))
    masks = visibility_masks(counts, minimums=minimums)
    out = []
    for s, label in enumerate(SLOTS):
        member = masks[s]
        if member.any():
            n = int(counts[member].sum())
            out.append(
                Aggregate(
                    label=label,
                    groups=tuple(GROUPS[g] for g in range(len(GROUPS)) if member[g]),
                    n=n,
                    mean=float(sums[member].sum() / n),
                )
            )
    return tuple(out)
