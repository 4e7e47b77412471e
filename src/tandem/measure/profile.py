"""The leader/manager profile: two indices, placed against cuts, honest about uncertainty."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tandem.measure._arrays import BoolArray, FloatArray, as_float_array
from tandem.measure.reliability import score_interval

__all__ = ["PLACEMENTS", "Profile", "index_scores", "place_profile"]

PLACEMENTS: tuple[str, ...] = ("leader-manager", "leader", "manager", "emerging", "borderline")


@dataclass(frozen=True)
class Profile:
    """Placement of each person on the leadership and management indices."""

    leadership: FloatArray
    management: FloatArray
    leadership_lower: FloatArray
    leadership_upper: FloatArray
    management_lower: FloatArray
    management_upper: FloatArray
    leadership_cut: float
    management_cut: float
    placement: NDArray[np.str_]
    leaning: NDArray[np.str_]
    borderline: BoolArray
    level: float


def index_scores(
    scale_scores: ArrayLike, *, scale_ids: Sequence[str], members: Sequence[str]
) -> FloatArray:
    """An index: the mean of its member scales (NaN when any member is missing).

    Parameters
    ----------
    scale_scores : array_like, shape (n, s)
        Scale scores per person.
    scale_ids : sequence of str, length s
        Names of the columns.
    members : sequence of str
        The scales that form the index (for example ``instrument.index("leadership")``).

    Returns
    -------
    ndarray, shape (n,)

    Examples
    --------
    >>> index_scores([[4.0, 3.0, 5.0]], scale_ids=["a", "b", "c"], members=["a", "c"]).tolist()
    [4.5]
    """
    x = as_float_array(scale_scores, name="scale_scores")
    if x.ndim != 2 or x.shape[1] != len(scale_ids):
        raise ValueError(f"scale_scores need one column per scale id ({len(scale_ids)})")
    missing = [m for m in members if m not in scale_ids]
    if missing or not members:
        raise ValueError(f"index members must be known scale ids; unknown: {missing}")
    cols = [list(scale_ids).index(m) for m in members]
    return np.asarray(x[:, cols].mean(axis=1), dtype=np.float64)


def place_profile(
    leadership: ArrayLike,
    management: ArrayLike,
    *,
    leadership_cut: float,
    management_cut: float,
    leadership_sem: ArrayLike = 0.0,
    management_sem: ArrayLike = 0.0,
    level: float = 0.95,
) -> Profile:
    """Place people as leader-manager, leader, manager or emerging, or say "borderline".

    Parameters
    ----------
    leadership, management : array_like, shape (n,)
        Index scores (usually from everyone except self).
    leadership_cut, management_cut : float
        The cuts. Norm-referenced by default in Tandem: the population median of each index
        (``NormTable.value_at(50)``); an absolute cut such as 3.5 works too.
    leadership_sem, management_sem : array_like, default 0
        Standard errors of measurement of the indices.
    level : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    Profile
        ``leaning`` is the label from the point estimates; ``placement`` is the same label
        unless a confidence interval crosses its cut, when it is ``"borderline"``.

    Notes
    -----
    At or above both cuts: leader-manager; leadership only: leader; management only:
    manager; neither: emerging. An interval ``score -/+ z * SEM`` crosses a cut when
    ``lower < cut < upper``. Missing indices give an empty label.

    Examples
    --------
    >>> p = place_profile([4.2, 3.1, 3.55], [3.0, 4.0, 4.1], leadership_cut=3.5,
    ...                   management_cut=3.5, leadership_sem=0.1, management_sem=0.1)
    >>> p.placement.tolist(), p.leaning.tolist()
    (['leader', 'manager', 'borderline'], ['leader', 'manager', 'leader-manager'])
    """
    lead = as_float_array(leadership, name="leadership")
    man = as_float_array(management, name="management")
    if lead.shape != man.shape or lead.ndim != 1:
        raise ValueError("leadership and management must be 1-D arrays of equal length")
    lead_ci = score_interval(lead, sem=leadership_sem, level=level)
    man_ci = score_interval(man, sem=management_sem, level=level)
    high_lead = lead >= leadership_cut
    high_man = man >= management_cut
    leaning = np.select(
        [np.isnan(lead) | np.isnan(man), high_lead & high_man, high_lead, high_man],
        ["", PLACEMENTS[0], PLACEMENTS[1], PLACEMENTS[2]],
        default=PLACEMENTS[3],
    ).astype("<U14")
    with np.errstate(invalid="ignore"):
        crosses = ((lead_ci.lower < leadership_cut) & (leadership_cut < lead_ci.upper)) | (
            (man_ci.lower < management_cut) & (management_cut < man_ci.upper)
        )
    borderline = crosses & (leaning != "")
    placement = np.where(borderline, PLACEMENTS[4], leaning).astype("<U14")
    return Profile(
        leadership=lead,
        management=man,
        leadership_lower=lead_ci.lower,
        leadership_upper=lead_ci.upper,
        management_lower=man_ci.lower,
        management_upper=man_ci.upper,
        leadership_cut=float(leadership_cut),
        management_cut=float(management_cut),
        placement=placement,
        leaning=leaning,
        borderline=np.asarray(borderline, dtype=bool),
        level=lead_ci.level,
    )
