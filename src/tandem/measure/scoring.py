"""Scale scores: the mean of answered items after reverse keying, when enough were answered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from tandem.measure._arrays import FloatArray, IntArray, as_float_array
from tandem.measure.instrument import Instrument

__all__ = ["ScaleScores", "reverse_key", "score_instrument", "score_scales"]


@dataclass(frozen=True)
class ScaleScores:
    """Scale scores per respondent (NaN where too few items were answered)."""

    scale_ids: tuple[str, ...]
    scores: FloatArray
    answered: IntArray
    n_items: IntArray
    min_answered: float


def reverse_key(
    values: ArrayLike, *, reverse: ArrayLike, scale_min: float, scale_max: float
) -> FloatArray:
    """Reverse-key the flagged columns: ``x -> scale_max + scale_min - x``.

    Parameters
    ----------
    values : array_like, shape (n, k)
        Answers; NaN stays NaN.
    reverse : array_like of bool, shape (k,)
        Which columns are reverse-keyed.
    scale_min, scale_max : float
        The response range.

    Returns
    -------
    ndarray, shape (n, k)

    Examples
    --------
    >>> reverse_key([[1, 5], [2, 4]], reverse=[False, True], scale_min=1, scale_max=5).tolist()
    [[1.0, 1.0], [2.0, 2.0]]
    """
    x = as_float_array(values, name="values")
    rev = np.asarray(reverse, dtype=bool)
    if x.ndim != 2 or rev.shape != (x.shape[1],):
        raise ValueError("values must be 2-D with one reverse flag per column")
    if scale_max <= scale_min:
        raise ValueError(f"scale_max ({scale_max}) must be greater than scale_min ({scale_min})")
    return np.asarray(np.where(rev, scale_max + scale_min - x, x), dtype=np.float64)


def score_scales(
    responses: ArrayLike,
    *,
    membership: ArrayLike,
    reverse: ArrayLike,
    scale_min: float,
    scale_max: float,
    min_answered: float = 0.5,
    scale_ids: Sequence[str] | None = None,
) -> ScaleScores:
    """Scale scores: mean of the answered items after reverse keying.

    Parameters
    ----------
    responses : array_like, shape (n, k)
        Answers on ``scale_min..scale_max``; NaN means not answered or "not observed".
    membership : array_like, shape (k, s)
        1 (or True) where item ``i`` belongs to scale ``j``; each item in at most one scale.
    reverse : array_like of bool, shape (k,)
        Reverse-keyed items, scored ``scale_max + scale_min - x``.
    scale_min, scale_max : float
        The response range; answers outside it are an error.
    min_answered : float, default 0.5
        A scale counts only when at least this share of its items was answered.
    scale_ids : sequence of str, optional
        Names of the scales, kept in the result.

    Returns
    -------
    ScaleScores

    Notes
    -----
    ``score = sum(keyed answered items) / n_answered`` when ``n_answered / n_items >=
    min_answered``, else NaN.

    Examples
    --------
    >>> import numpy as np
    >>> answers = [[5, 1, 4, np.nan], [2, np.nan, np.nan, np.nan]]
    >>> membership = [[1, 0], [1, 0], [0, 1], [0, 1]]
    >>> result = score_scales(answers, membership=membership, reverse=[False, True, False, False],
    ...                       scale_min=1, scale_max=5)
    >>> result.scores.tolist()
    [[5.0, 4.0], [2.0, nan]]
    """
    x = as_float_array(responses, name="responses")
    m = np.asarray(membership, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError("responses must be a 2-D table (respondents x items)")
    if m.ndim != 2 or m.shape[0] != x.shape[1]:
        raise ValueError(f"membership must have one row per item ({x.shape[1]})")
    if np.any((m != 0) & (m != 1)) or np.any(m.sum(axis=1) > 1):
        raise ValueError("membership must be 0/1 with each item in at most one scale")
    if not 0.0 < min_answered <= 1.0:
        raise ValueError(f"min_answered must be a share in (0, 1]; got {min_answered}")
    answered = ~np.isnan(x)
    outside = answered & ((x < scale_min) | (x > scale_max))
    if outside.any():
        row, col = (int(v) for v in np.argwhere(outside)[0])
        raise ValueError(
            f"answer {x[row, col]:g} in row {row + 1}, column {col + 1} is outside "
            f"{scale_min:g}..{scale_max:g}"
        )
    keyed = np.where(
        answered, reverse_key(x, reverse=reverse, scale_min=scale_min, scale_max=scale_max), 0.0
    )
    sums = keyed @ m
    counts = answered.astype(np.float64) @ m
    n_items = m.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        scores = sums / counts
    enough = (counts > 0) & (counts >= min_answered * n_items - 1e-9)
    ids = (
        tuple(scale_ids) if scale_ids is not None else tuple(str(j + 1) for j in range(m.shape[1]))
    )
    if len(ids) != m.shape[1]:
        raise ValueError(f"scale_ids has {len(ids)} names for {m.shape[1]} scales")
    return ScaleScores(
        scale_ids=ids,
        scores=np.where(enough, scores, np.nan),
        answered=counts.astype(np.intp),
        n_items=n_items.astype(np.intp),
        min_answered=float(min_answered),
    )


def score_instrument(
    responses: ArrayLike, instrument: Instrument, *, min_answered: float = 0.5
) -> ScaleScores:
    """Score the rated scales of an instrument; columns are ``instrument.item_ids``.

    Parameters
    ----------
    responses : array_like, shape (n, k)
        One column per rated item, in ``instrument.item_ids`` order; NaN is not answered.
        The instrument's "not observed" code is also read as not answered.
    instrument : Instrument
    min_answered : float, default 0.5
        Minimum share of a scale's items that must be answered.

    Returns
    -------
    ScaleScores

    Examples
    --------
    >>> from tandem.measure.instrument import load_instrument
    >>> instrument = load_instrument("tandem-lm-1")
    >>> import numpy as np
    >>> answers = np.full((1, len(instrument.item_ids)), 4.0)
    >>> score_instrument(answers, instrument).scores.round(2).tolist()
    [[3.67, 3.67, 3.67, 3.67, 3.6, 3.67]]
    """
    x = as_float_array(responses, name="responses")
    rs = instrument.response_scale()
    if x.ndim != 2 or x.shape[1] != len(instrument.item_ids):
        raise ValueError(
            f"responses need one column per rated item ({len(instrument.item_ids)}), "
            f"in the instrument's order"
        )
    if rs.not_observed_code is not None:
        x = np.where(x == rs.not_observed_code, np.nan, x)
    return score_scales(
        x,
        membership=instrument.scale_matrix(),
        reverse=instrument.reverse_mask(),
        scale_min=rs.minimum,
        scale_max=rs.maximum,
        min_answered=min_answered,
        scale_ids=instrument.scale_ids,
    )
