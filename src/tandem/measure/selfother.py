"""Self versus others: standardised differences, agreement categories, blind spots.

The agreement-category rule (Atwater & Yammarino, 1992, 1997; Fleenor, McCauley & Brutus,
1996), with ``z = (self - others) / sd``, where ``sd`` is the standard deviation of the others'
scores across the reference population and ``cut`` is half a standard deviation by default:

* ``z > cut``: over-estimator (rates themself higher than others do);
* ``z < -cut``: under-estimator;
* otherwise in agreement, and then "good" when the others' score is at or above the
  reference level (the population mean of others' scores), "poor" when below.

Blind spots are items where the person rates themself at or above the item's reference level,
others rate them below it, and ``z > cut``; hidden strengths are the reverse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tandem.measure._arrays import BoolArray, FloatArray, as_float_array

__all__ = [
    "CATEGORIES",
    "ItemFlag",
    "ItemFlags",
    "SelfOtherResult",
    "item_flags",
    "rank_item_flags",
    "self_other_agreement",
]

CATEGORIES: tuple[str, ...] = (
    "over-estimator",
    "under-estimator",
    "in-agreement/good",
    "in-agreement/poor",
)
UNDETERMINED = ""


@dataclass(frozen=True)
class SelfOtherResult:
    """Self-other comparison, element-wise over the inputs (NaN/"" where undetermined)."""

    self_score: FloatArray
    others_score: FloatArray
    difference: FloatArray
    z: FloatArray
    category: NDArray[np.str_]
    cut: float


@dataclass(frozen=True)
class ItemFlags:
    """Blind spots and hidden strengths, element-wise over the inputs."""

    z: FloatArray
    blind_spot: BoolArray
    hidden_strength: BoolArray


@dataclass(frozen=True)
class ItemFlag:
    """One flagged item for one person."""

    index: int
    self_score: float
    others_score: float
    z: float


def _standardise(
    self_scores: ArrayLike, others_scores: ArrayLike, sd: ArrayLike, cut: float
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    s = as_float_array(self_scores, name="self_scores")
    o = as_float_array(others_scores, name="others_scores")
    d = as_float_array(sd, name="sd")
    if np.any(d < 0):
        raise ValueError("sd cannot be negative")
    if not cut >= 0:
        raise ValueError(f"cut must be 0 or more (in standard deviations); got {cut}")
    diff = s - o
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(d > 0, diff / np.where(d > 0, d, 1.0), np.nan)
    return s, o, np.asarray(diff, dtype=np.float64), np.asarray(z, dtype=np.float64)


def self_other_agreement(
    self_scores: ArrayLike,
    others_scores: ArrayLike,
    *,
    sd: ArrayLike,
    reference: ArrayLike,
    cut: float = 0.5,
) -> SelfOtherResult:
    """Self-other difference, standardised, and the agreement category.

    Parameters
    ----------
    self_scores, others_scores : array_like
        The person's self rating and the mean of others' ratings (broadcastable, e.g.
        shape (n_people, n_scales)).
    sd : array_like
        Standard deviation of others' scores in the reference population (per scale).
    reference : array_like
        The reference level of others' scores (per scale), usually the population mean;
        in agreement is "good" at or above it.
    cut : float, default 0.5
        Half-width of the agreement band, in standard deviations.

    Returns
    -------
    SelfOtherResult

    Notes
    -----
    ``z = (self - others) / sd``; over-estimator when ``z > cut``, under-estimator when
    ``z < -cut``, else in-agreement/good when ``others >= reference`` and in-agreement/poor
    otherwise. Undetermined (NaN z, empty category) when a score is missing or ``sd == 0``.

    References
    ----------
    Atwater, L. E., & Yammarino, F. J. (1992). Does self-other agreement on leadership
    perceptions moderate the validity of leadership and performance predictions? Personnel
    Psychology, 45, 141-164.
    Fleenor, J. W., McCauley, C. D., & Brutus, S. (1996). Self-other rating agreement and
    leader effectiveness. The Leadership Quarterly, 7, 487-506.

    Examples
    --------
    >>> result = self_other_agreement([4.5, 3.0, 4.0, 2.5], [3.5, 3.8, 4.1, 2.6],
    ...                               sd=0.8, reference=3.4)
    >>> result.z.round(3).tolist()
    [1.25, -1.0, -0.125, -0.125]
    >>> result.category.tolist()
    ['over-estimator', 'under-estimator', 'in-agreement/good', 'in-agreement/poor']
    """
    s, o, diff, z = _standardise(self_scores, others_scores, sd, cut)
    ref = as_float_array(reference, name="reference")
    good = o >= ref
    category = np.select(
        [np.isnan(z), z > cut, z < -cut, good],
        [UNDETERMINED, CATEGORIES[0], CATEGORIES[1], CATEGORIES[2]],
        default=CATEGORIES[3],
    ).astype("<U17")
    s_b, o_b = np.broadcast_arrays(s, o)
    return SelfOtherResult(
        self_score=np.array(s_b, dtype=np.float64),
        others_score=np.array(o_b, dtype=np.float64),
        difference=diff,
        z=z,
        category=category,
        cut=float(cut),
    )


def item_flags(
    self_items: ArrayLike,
    others_items: ArrayLike,
    *,
    sd: ArrayLike,
    reference: ArrayLike,
    cut: float = 0.5,
) -> ItemFlags:
    """Blind spots (self high, others low) and hidden strengths (the reverse), by item.

    Parameters
    ----------
    self_items, others_items : array_like
        Self answers and others' mean answers per item (e.g. shape (n_people, n_items)),
        after reverse keying.
    sd : array_like
        Standard deviation of others' item means across the reference population.
    reference : array_like
        Reference level per item (usually the population mean of others' item means).
    cut : float, default 0.5
        Minimum standardised gap, in standard deviations.

    Returns
    -------
    ItemFlags

    Notes
    -----
    Blind spot: ``self >= reference``, ``others < reference`` and ``z > cut``.
    Hidden strength: ``self < reference``, ``others >= reference`` and ``z < -cut``.

    Examples
    --------
    >>> flags = item_flags([5, 2, 4], [3, 4, 4], sd=1.0, reference=3.5)
    >>> flags.blind_spot.tolist(), flags.hidden_strength.tolist()
    ([True, False, False], [False, True, False])
    """
    s, o, _diff, z = _standardise(self_items, others_items, sd, cut)
    ref = as_float_array(reference, name="reference")
    with np.errstate(invalid="ignore"):
        blind = (s >= ref) & (o < ref) & (z > cut)
        hidden = (s < ref) & (o >= ref) & (z < -cut)
    return ItemFlags(
        z=z,
        blind_spot=np.asarray(blind, dtype=bool),
        hidden_strength=np.asarray(hidden, dtype=bool),
    )


def rank_item_flags(
    flags: ItemFlags,
    self_items: ArrayLike,
    others_items: ArrayLike,
    *,
    limit: int | None = None,
) -> tuple[tuple[ItemFlag, ...], tuple[ItemFlag, ...]]:
    """One person's blind spots and hidden strengths, largest gap first.

    Parameters
    ----------
    flags : ItemFlags
        The person's flags (1-D, one entry per item) from :func:`item_flags`.
    self_items, others_items : array_like, shape (n_items,)
        The same self and others' item scores.
    limit : int, optional
        Keep at most this many of each.

    Returns
    -------
    (blind_spots, hidden_strengths) : tuple of tuple of ItemFlag

    Examples
    --------
    >>> flags = item_flags([5, 2, 5], [3, 4, 2], sd=1.0, reference=3.5)
    >>> blind, hidden = rank_item_flags(flags, [5, 2, 5], [3, 4, 2])
    >>> [f.index for f in blind], [f.index for f in hidden]
    ([2, 0], [1])
    """
    s = as_float_array(self_items, name="self_items")
    o = as_float_array(others_items, name="others_items")
    if flags.z.ndim != 1 or s.shape != flags.z.shape or o.shape != flags.z.shape:
        raise ValueError("rank_item_flags works on one person: 1-D arrays of equal length")

    def ranked(mask: BoolArray, sign: float) -> tuple[ItemFlag, ...]:
        idx = np.flatnonzero(mask)
        idx = idx[np.argsort(-sign * flags.z[idx], kind="stable")]
        if limit is not None:
            idx = idx[:limit]
        return tuple(ItemFlag(int(i), float(s[i]), float(o[i]), float(flags.z[i])) for i in idx)

    return ranked(flags.blind_spot, 1.0), ranked(flags.hidden_strength, -1.0)
