"""Rater leniency in a 360 cycle: which adjusted scores a report may show, and the cycle's split.

:func:`cycle_leniency` fits the crossed model ``y ~ 1 + (1 | ratee) + (1 | rater)``
(:func:`tandem.measure.crossed_reml`) once per scale over every counted rating of the cycle
(one rating = one observer's mean over their counted answers on the scale; self-ratings left
out) and decides, per person and scale, whether their report may show the leniency-adjusted
others' score beside the raw one. It is the one place that decides; reports, exports and
pages only read what it returns.

When an adjusted score is shown (all must hold, else ``reason`` says which did not, in words
a participant can read):

1. the model could be fitted (raters who rate several people; see :func:`crossed_reml`), and
   raters differ (a rater variance above 0) and so do the people rated (a ratee variance
   above 0): otherwise no score moves and there is nothing to show;
2. the person's others' score on the scale is shown in the report (the adjusted score stands
   beside it);
3. at least :data:`MIN_LINKED` of the person's raters also rated someone else: leniency is
   seen only through other people;
4. **anonymity**: the ratings about other people that the adjusted score draws on come from
   at least as many raters as the largest minimum of an observer group (3 by default), not
   counting the person and their manager, who know their own ratings.

Why rule 4 is enough. With the variances fixed, the adjusted score is one linear combination
``c'y`` of every rating in the person's connected part of the cycle (raters linked through the
people they rated); every other figure in the person's report is a combination of the ratings
about the person only. So any combination of figures that involves the adjusted score also
involves all of ``c``'s ratings about other people, and can single out no set of raters
smaller than those who gave them. Nobody sees any rater's own leniency: only the cycle's
variance split (for the people team) and each person's adjusted score (in their report) leave
this module.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from tandem.measure._arrays import BoolArray, FloatArray, IntArray
from tandem.measure.raters import DEFAULT_MINIMUMS, GROUPS

__all__ = ["MIN_LINKED", "CycleLeniency", "ScaleLeniency", "cycle_leniency"]

MIN_LINKED = 2
"""Fewest of a person's raters who also rated someone else before their score is adjusted."""

NOT_FITTED = "not_fitted"
NO_SPREAD = "no_spread"
NOT_SHOWN = "not_shown"
FEW_LINKED = "few_linked"
FEW_CONNECTED = "few_connected"

REASONS: dict[str, str] = {
    NOT_FITTED: "the cycle's design cannot tell raters' leniency apart from the people rated",
    NO_SPREAD: "in this cycle raters differ no more in leniency than chance would make them, "
    "so no score moves",
    NOT_SHOWN: "your others' score on this scale is not shown",
    FEW_LINKED: "too few of your raters also rated other people, and leniency shows only there",
    FEW_CONNECTED: "too few other people's ratings connect to yours to adjust without revealing "
    "anyone's answers",
}
"""Why a person's adjusted score is not shown, in words for the report (by reason code)."""


@dataclass(frozen=True)
class ScaleLeniency:
    """One scale of a cycle: the variance split and each person's adjusted others' score.

    ``score``, ``lower`` and ``upper`` are NaN where ``shown`` is False; ``reason`` then holds
    a key of :data:`REASONS` ("" where shown). ``variance`` is empty when nothing was fitted.
    """

    scale_id: str
    fitted: bool
    note: str
    variance: Mapping[str, float]
    n_ratings: int
    n_ratees: int
    n_raters: int
    n_linked_raters: int
    shown: BoolArray
    reason: tuple[str, ...]
    score: FloatArray
    lower: FloatArray
    upper: FloatArray

    def share(self) -> dict[str, float]:
        """Each variance component as a share of the total (empty when nothing was fitted)."""
        total = sum(self.variance.values())
        if not self.fitted or not total > 0:
            return {}
        return {name: value / total for name, value in self.variance.items()}


@dataclass(frozen=True)
class CycleLeniency:
    """Every rated scale of a cycle, in the instrument's order, at one interval level."""

    level: float
    scales: tuple[ScaleLeniency, ...]


def cycle_leniency(
    rater_scale: ArrayLike,
    *,
    ratee: ArrayLike,
    rater: ArrayLike,
    person: ArrayLike,
    group: Sequence[str],
    scale_ids: Sequence[str],
    others_shown: ArrayLike,
    minimums: Mapping[str, int] | None = None,
    level: float = 0.95,
) -> CycleLeniency:
    """Fit rater leniency per scale and decide which adjusted scores each report may show.

    Parameters
    ----------
    rater_scale : array_like, shape (n_sheets, n_scales)
        Each sheet's mean over its counted answers per scale, NaN where none counts
        (:attr:`tandem.measure.Scored360.rater_scale`).
    ratee : array_like of int, shape (n_sheets,)
        The person each sheet is about, 0 .. n_ratees - 1.
    rater : array_like, shape (n_sheets,)
        Who filled in each sheet (any id; the same id for the same person across sheets).
    person : array_like, shape (n_ratees,)
        Each person's own id as ``rater`` spells it (a person who rates others knows their
        own ratings, so these are not counted as unknown to them).
    group : sequence of str
        Each sheet's rater group (:data:`tandem.measure.GROUPS`); "self" sheets are left out,
        and a "manager" sheet's rater is taken to know their own ratings.
    scale_ids : sequence of str
        The scales, in the columns' order.
    others_shown : array_like of bool, shape (n_ratees, n_scales)
        Whether each person's others' score on each scale is shown in their report.
    minimums : mapping, optional
        The cycle's minimum raters per group (defaults: :data:`DEFAULT_MINIMUMS`).
    level : float, default 0.95
        Coverage of each adjusted score's interval.

    Returns
    -------
    CycleLeniency

    Examples
    --------
    Four people, each rated by three of four colleagues; r1 rates everyone high, r3 low:

    >>> result = cycle_leniency(
    ...     [[4.9], [4.1], [3.4], [3.1], [2.6], [2.9], [2.1], [2.6], [3.2], [4.6], [5.0], [4.4]],
    ...     ratee=[0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3],
    ...     rater=["r1", "r2", "r3", "r2", "r3", "r4", "r3", "r4", "r1", "r4", "r1", "r2"],
    ...     person=["ana", "ben", "cy", "dee"],
    ...     group=["peer"] * 12,
    ...     scale_ids=["vision"],
    ...     others_shown=[[True]] * 4,
    ... )
    >>> scale = result.scales[0]
    >>> [round(float(s), 2) for s in scale.score]
    [4.12, 3.07, 2.64, 4.47]
    >>> {k: round(v, 2) for k, v in scale.share().items()}
    {'ratee': 0.74, 'rater': 0.23, 'residual': 0.02}
    """
    values = np.asarray(rater_scale, dtype=np.float64)
    ratee_idx = np.asarray(ratee, dtype=np.int64)
    shown_others = np.asarray(others_shown, dtype=bool)
    n_ratees = shown_others.shape[0]
    rater_codes, person_codes = _codes(rater, person)
    groups = list(group)
    if values.ndim != 2 or values.shape[0] != len(groups) or values.shape[1] != len(scale_ids):
        raise ValueError("rater_scale must have one row per sheet and one column per scale")
    if ratee_idx.shape != (values.shape[0],) or rater_codes.shape != (values.shape[0],):
        raise ValueError("ratee and rater need one entry per sheet")
    if person_codes.shape != (n_ratees,):
        raise ValueError("person needs one id per person (one row of others_shown each)")
    observer = np.array([g != "self" for g in groups], dtype=bool)
    readers = [{int(person_codes[p])} for p in range(n_ratees)]
    for row, g in enumerate(groups):
        if g == "manager":
            readers[int(ratee_idx[row])].add(int(rater_codes[row]))
    mins = {**DEFAULT_MINIMUMS, **(minimums or {})}
    needed = max(int(mins[g]) for g in GROUPS if g not in ("self", "manager"))
    scales = []
    for s, scale_id in enumerate(scale_ids):
        rows = observer & np.isfinite(values[:, s])
        scales.append(
            _scale(
                scale_id,
                values[rows, s],
                ratee_idx[rows],
                rater_codes[rows],
                shown_others[:, s],
                readers,
                needed,
                level,
            )
        )
    return CycleLeniency(level=level, scales=tuple(scales))


def _codes(rater: ArrayLike, person: ArrayLike) -> tuple[IntArray, IntArray]:
    """Rater and person ids as one set of integer codes (the same id, the same code)."""
    raters, people = np.asarray(rater), np.asarray(person)
    both = np.concatenate((raters.astype(str), people.astype(str)))
    codes = np.unique(both, return_inverse=True)[1].astype(np.int64).reshape(-1)
    return codes[: raters.shape[0]], codes[raters.shape[0] :]


def _scale(
    scale_id: str,
    y: FloatArray,
    ratee: IntArray,
    rater: IntArray,
    others_shown: BoolArray,
    readers: list[set[int]],
    needed: int,
    level: float,
) -> ScaleLeniency:
    from tandem.measure.crossed import crossed_reml

    n_ratees = others_shown.shape[0]
    nan = np.full(n_ratees, np.nan)
    n_raters = int(np.unique(rater).shape[0])
    degree = _rater_degree(ratee, rater)
    linked_raters = int((degree > 1).sum())

    def declined(
        code: str, note: str, variance: Mapping[str, float] | None = None
    ) -> ScaleLeniency:
        return ScaleLeniency(
            scale_id=scale_id,
            fitted=variance is not None,
            note=note,
            variance=dict(variance or {}),
            n_ratings=int(y.shape[0]),
            n_ratees=int(np.unique(ratee).shape[0]),
            n_raters=n_raters,
            n_linked_raters=linked_raters,
            shown=np.zeros(n_ratees, dtype=bool),
            reason=(code,) * n_ratees,
            score=nan,
            lower=nan.copy(),
            upper=nan.copy(),
        )

    if (
        np.unique(ratee).shape[0] < 2
        or n_raters < 2
        or y.size == 0
        or float(y.max() - y.min()) == 0.0
    ):
        return declined(NOT_FITTED, "fewer than two people or raters, or no spread in ratings")
    fit = crossed_reml(y, ratee=ratee, rater=rater)
    if not fit.separable:
        return declined(NOT_FITTED, fit.note)
    if fit.var_rater <= 0.0 or fit.var_ratee <= 0.0:
        return declined(NO_SPREAD, fit.note, fit.variances)
    scores = fit.adjusted_scores(level=level)
    position = {int(k): i for i, k in enumerate(fit.ratee_ids.tolist())}
    unknown = _unknown_raters(ratee, rater, degree, readers)
    shown = np.zeros(n_ratees, dtype=bool)
    reasons = []
    score, lower, upper = nan.copy(), nan.copy(), nan.copy()
    for p in range(n_ratees):
        i = position.get(p)
        if i is None or not others_shown[p]:
            reasons.append(NOT_SHOWN)
        elif int(scores.linked_raters[i]) < MIN_LINKED:
            reasons.append(FEW_LINKED)
        elif unknown.get(p, 0) < needed:
            reasons.append(FEW_CONNECTED)
        else:
            reasons.append("")
            shown[p] = True
            score[p], lower[p], upper[p] = scores.score[i], scores.lower[i], scores.upper[i]
    return ScaleLeniency(
        scale_id=scale_id,
        fitted=True,
        note=fit.note,
        variance=fit.variances,
        n_ratings=int(fit.n),
        n_ratees=int(fit.ratee_ids.shape[0]),
        n_raters=n_raters,
        n_linked_raters=linked_raters,
        shown=shown,
        reason=tuple(reasons),
        score=score,
        lower=lower,
        upper=upper,
    )


def _rater_degree(ratee: IntArray, rater: IntArray) -> IntArray:
    """How many different people each rater code rated."""
    if rater.size == 0:
        return np.zeros(0, dtype=np.int64)
    pairs = np.unique(np.column_stack((rater, ratee)), axis=0)
    return np.bincount(pairs[:, 0], minlength=int(rater.max()) + 1)


def _unknown_raters(
    ratee: IntArray, rater: IntArray, degree: IntArray, readers: list[set[int]]
) -> dict[int, int]:
    """Per person: raters in their connected part of the cycle who rated someone else, not
    counting the readers of the person's report (who know their own ratings).

    Parts are the connected components of the graph of people and raters linked by ratings.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if ratee.size == 0:
        return {}
    n_people = int(ratee.max()) + 1
    n_codes = int(max(rater.max(), max((max(r) for r in readers if r), default=0))) + 1
    # Bipartite graph: people 0..P-1, rater codes P..P+R-1.
    graph = coo_matrix(
        (np.ones(ratee.shape[0]), (ratee, rater + n_people)),
        shape=(n_people + n_codes, n_people + n_codes),
    )
    _, label = connected_components(graph, directed=False)
    person_part, rater_part = label[:n_people], label[n_people:]
    degree = np.concatenate((degree, np.zeros(n_codes - degree.shape[0], dtype=np.int64)))
    rated = degree > 0
    # The one person each rater of degree 1 rated.
    target = np.full(n_codes, -1, dtype=np.int64)
    target[rater] = ratee
    single = rated & (degree == 1)
    only = np.bincount(target[single], minlength=n_people)
    per_part = np.bincount(rater_part[rated], minlength=int(label.max()) + 1)

    def counts_for(code: int, p: int) -> bool:
        return bool(
            rated[code]
            and rater_part[code] == person_part[p]
            and not (single[code] and target[code] == p)
        )

    out = {}
    for p in np.unique(ratee).tolist():
        count = int(per_part[person_part[p]]) - int(only[p])
        count -= sum(1 for code in readers[p] if counts_for(code, p))
        out[int(p)] = count
    return out


def reason_text(code: str) -> str:
    """The plain words for a reason code ("" for none)."""
    return REASONS.get(code, "") if code else ""


def finite_or_none(value: float) -> float | None:
    """A float for JSON, or None for NaN."""
    return None if math.isnan(value) else float(value)
