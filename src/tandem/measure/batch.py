"""Score a whole 360: every ratee, every scale and item, anonymity applied, in one vectorised pass.

The web app calls :func:`score_360` with one ratee's answers; the CLI calls it with an
organisation's. Both get the same :class:`Scored360`, which holds only aggregates that the
anonymity rule (:mod:`tandem.measure.raters`) allows to be shown.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tandem.measure._arrays import BoolArray, FloatArray
from tandem.measure.agreement import bliese_icc
from tandem.measure.answers import MISSING, answer_codes, group_codes
from tandem.measure.disclosure import disclose
from tandem.measure.instrument import Instrument
from tandem.measure.norms import NormTable
from tandem.measure.profile import Profile, place_profile
from tandem.measure.raters import GROUPS, SLOTS, minimum_vector
from tandem.measure.references import LQ2002, OWN_FIGURES_FROM, ReferenceValues
from tandem.measure.selfother import ItemFlags, SelfOtherResult, item_flags, self_other_agreement

__all__ = ["Scored360", "score_360"]

ALL_OTHERS = SLOTS.index("all_others")
SELF = SLOTS.index("self")
NORM_CUTS_FROM = 30
"""Fewest people rated by others before profile cuts come from the data's own norms."""


@dataclass(frozen=True)
class Scored360:
    """Everything a 360 report may show, for every ratee. Hidden aggregates are NaN / 0.

    Shapes: R ratees, S rated scales, I rated items, 6 aggregates (:data:`SLOTS`). The
    ``*_codes`` arrays hold the groups each aggregate covers as 5-bit sets (bit g is GROUPS[g]).
    Item means are on the answer scale as asked (not reverse-keyed); item flags and z use
    keyed values, where higher always means more of the behaviour. Every figure comes from one
    disclosure decision (:func:`tandem.measure.disclosure.disclose`); ``counted`` (raters x
    rated items) marks the answers that are inside a shown figure: statistics computed later
    from the same answers (alpha, say) must use only those. ``rater_atom`` (raters x scales)
    is the aggregate each rater counts in on each scale (0-4 in :data:`SLOTS` order, -1 for
    none), for keeping sheets anonymously after release. ``rater_scale`` (raters x scales) is
    each rater's mean over their counted, keyed answers on the scale (NaN when none counts):
    what the rater-leniency model (:func:`tandem.measure.leniency.cycle_leniency`) fits.
    """

    instrument: Instrument
    ratee_ids: tuple[str, ...]
    minimums: tuple[tuple[str, int], ...]
    min_answered: float
    scale_mean: FloatArray
    scale_n: NDArray[np.int32]
    scale_codes: NDArray[np.uint8]
    item_mean: FloatArray
    item_n: NDArray[np.int32]
    item_codes: NDArray[np.uint8]
    self_other: SelfOtherResult
    item_flags: ItemFlags
    norms: NormTable
    percentile: FloatArray
    t_score: FloatArray
    profile: Profile | None
    self_leadership: FloatArray
    self_management: FloatArray
    index_icc1: tuple[float, float]
    index_reliability: FloatArray
    cut_basis: str
    reference_basis: str
    reference_sd: FloatArray
    reference_level: FloatArray
    interval_basis: str
    rater_sd: tuple[float, float]
    estimates: FloatArray
    sections: FloatArray
    section_keys: tuple[tuple[str, str], ...]
    counted: BoolArray
    rater_atom: NDArray[np.int8]
    rater_scale: FloatArray

    def ratee_dicts(self, *, chunk: int = 2000) -> Iterator[dict[str, Any]]:
        """JSON-ready report for each ratee, in order (see :func:`tandem.measure.report`)."""
        from tandem.measure.report import ratee_dicts

        return ratee_dicts(self, chunk=chunk)


def _rater_icc1(
    rater_scale: FloatArray,
    idx: list[int],
    ratee: NDArray[np.integer[Any]],
    rows: BoolArray,
) -> float:
    """Bliese ICC(1) of raters' index scores within ratees (NaN when it cannot be estimated).

    ``rater_scale`` holds each rater's mean over their answers that are inside shown figures,
    so raters and answers that count for nothing change nothing here either.
    """
    complete = np.isfinite(rater_scale[:, idx]).all(axis=1) & rows
    values = rater_scale[complete][:, idx].mean(axis=1)
    try:
        return bliese_icc(values, ratee[complete]).icc1
    except ValueError:
        return float("nan")


def _pooled_rater_sd(
    rater_scale: FloatArray,
    idx: list[int],
    ratee: NDArray[np.integer[Any]],
    rows: BoolArray,
) -> tuple[float, int]:
    """Pooled within-person SD of raters' index scores, and how many people it pools over.

    Each counting rater's index score is the mean of their counted answers' scale means on the
    index's scales; per person, the squared deviations from the person's mean are summed, and
    the sum over people is divided by the sum of (raters - 1): the one-way ANOVA within-group
    mean square. People with fewer than two such raters add nothing.
    """
    complete = np.isfinite(rater_scale[:, idx]).all(axis=1) & rows
    values = rater_scale[complete][:, idx].mean(axis=1)
    groups = ratee[complete]
    if values.size == 0:
        return float("nan"), 0
    n_groups = int(groups.max()) + 1
    count = np.bincount(groups, minlength=n_groups)
    mean = np.bincount(groups, weights=values, minlength=n_groups) / np.maximum(count, 1)
    ss = float(((values - mean[groups]) ** 2).sum())
    df = int((count[count >= 2] - 1).sum())
    people = int(np.count_nonzero(count >= 2))
    return (float(np.sqrt(ss / df)) if df else float("nan")), people


def _people(n: int) -> str:
    return f"{n} {'person' if n == 1 else 'people'}"


def _were(n: int) -> str:
    return f"{_people(n)} {'was' if n == 1 else 'were'}"


def _clip_unit(value: float) -> float:
    """A reliability-like estimate clipped to [0, 1] (NaN stays NaN).

    A negative ICC(1) says the raters of one person agree no more than raters of different
    people: as a reliability it means 0, and Spearman-Brown would turn it into nonsense.
    """
    return value if value != value else min(max(float(value), 0.0), 1.0)


def score_360(
    answers: ArrayLike,
    *,
    ratee: ArrayLike,
    group: ArrayLike,
    instrument: Instrument,
    ratee_ids: Sequence[str] | None = None,
    minimums: Mapping[str, int] | None = None,
    min_answered: float = 0.5,
    cut: float = 0.5,
    norms: NormTable | None = None,
    profile_cuts: tuple[float, float] | None = None,
    cut_percentile: float = 50.0,
    index_icc1: tuple[float, float] | None = None,
    level: float = 0.95,
    rater_sd: tuple[float, float] | None = None,
    cut_source: str = "set for this scoring",
    references: ReferenceValues = LQ2002,
) -> Scored360:
    """Score a 360: scale and item aggregates per rater group, anonymity, self-other, profile.

    Parameters
    ----------
    answers : array_like, shape (n_raters, n_items)
        One row per rater of a ratee, one column per item of ``instrument.all_items`` (rated
        items, then self-only items). Integers with ``-1`` for no answer, or floats with NaN.
        The instrument's "not observed" code also counts as no answer.
    ratee : array_like of int, shape (n_raters,)
        The ratee each row is about, ``0..R-1``.
    group : array_like, shape (n_raters,)
        Rater group names (or codes in :data:`GROUPS` order).
    instrument : Instrument
    ratee_ids : sequence of str, optional
        Names of the ratees (default ``"0"``, ``"1"``, ...).
    minimums : mapping of str to int, optional
        Per-group anonymity minimums (defaults: self 1, manager 1, others 3).
    min_answered : float, default 0.5
        Share of a scale's items a rater must answer for their scale score to count.
    cut : float, default 0.5
        Self-other agreement band, in standard deviations.
    norms : NormTable, optional
        A stored norm table with columns for every scale, every rated item, ``leadership``
        and ``management``. By default the norms are fitted on the ratees scored here
        (each ratee's everyone-except-self figure).
    profile_cuts : (float, float), optional
        Absolute leadership and management cuts. By default they are norm-referenced: the
        ``cut_percentile`` of each index in the norms.
    cut_percentile : float, default 50
        Percentile for norm-referenced cuts.
    index_icc1 : (float, float), optional
        Stored ICC(1) of raters' leadership and management index scores within ratees. By
        default it is estimated from the raters scored here (Bliese's ICC(1)).
    level : float, default 0.95
        Confidence level of the profile's intervals.

    Returns
    -------
    Scored360

    Notes
    -----
    What may be shown is decided once per ratee and scale by
    :func:`tandem.measure.disclosure.disclose`: a rater counts for a scale when they answered
    ``min_answered`` of its items; the group rule picks the scale's atoms from the counting
    raters; an atom's item figure is shown when its minimum answered the item; a scale figure
    is the mean of the item figures it has. Self-other uses the self aggregate against
    everyone except self. An index is the mean of
    its scales' everyone-except-self means. Its reliability for a ratee rated by ``k`` people
    is the Spearman-Brown step-up of the raters' ICC(1), ``k * icc1 / (1 + (k - 1) * icc1)``,
    and its SEM is ``sd * sqrt(1 - reliability)``, with ``sd`` the index's standard deviation
    in the norms.

    Examples
    --------
    >>> from tandem.measure.instrument import load_instrument
    >>> instrument = load_instrument("tandem-lm-1")
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> answers = rng.integers(1, 6, size=(10, len(instrument.all_items)))
    >>> answers[1:, len(instrument.items):] = -1  # self-only items: self answers them
    >>> groups = ["self", "manager", "peer", "peer", "peer", "direct_report",
    ...           "direct_report", "other", "other", "other"]
    >>> result = score_360(answers, ratee=np.zeros(10, int), group=groups,
    ...                    instrument=instrument, ratee_ids=["ana"], profile_cuts=(3.0, 3.0))
    >>> int(result.scale_n[0, 0, 5])  # everyone except self: 9 raters
    9
    >>> int(result.scale_n[0, 0, 3])  # 2 direct reports are below 3: pooled with 'other'
    0
    """
    if not 0.0 < min_answered <= 1.0:
        raise ValueError(f"min_answered must be a share in (0, 1]; got {min_answered}")
    codes = answer_codes(answers, instrument)
    n_raters = codes.shape[0]
    r = np.asarray(ratee)
    if r.shape != (n_raters,) or (n_raters and r.dtype.kind not in "iu"):
        raise ValueError(f"ratee must be integer codes, one per rater ({n_raters})")
    n_ratees = int(r.max()) + 1 if n_raters else 0
    ids = tuple(str(i) for i in range(n_ratees)) if ratee_ids is None else tuple(ratee_ids)
    if len(ids) < n_ratees:
        raise ValueError(f"ratee_ids has {len(ids)} names but codes go up to {n_ratees - 1}")
    n_ratees = len(ids)
    g = group_codes(group, n_raters)
    mins = minimum_vector(minimums)
    min_map = dict(zip(GROUPS, (int(v) for v in mins), strict=True))

    n_rated = len(instrument.items)
    rated = codes[:, :n_rated]
    self_only = codes[:, n_rated:]
    not_self = g != GROUPS.index("self")
    if self_only.size and np.any(self_only[not_self] != MISSING):
        row = int(np.flatnonzero(not_self & (self_only != MISSING).any(axis=1))[0])
        raise ValueError(f"rater {row + 1} is not 'self' but answered self-only items")

    rs = instrument.response_scale()
    rev = instrument.reverse_mask()
    present = rated != MISSING
    keyed = np.where(rev, np.int8(rs.minimum + rs.maximum) - rated, rated)
    item_scale = instrument.scale_matrix().argmax(axis=1)
    shown = disclose(
        keyed,
        present,
        ratee=r.astype(np.int64),
        group=g,
        item_scale=item_scale,
        n_ratees=n_ratees,
        n_scales=len(instrument.scale_ids),
        minimums=min_map,
        min_answered=min_answered,
    )
    del keyed, present
    scale_mean, scale_n, scale_codes = shown.scale_mean, shown.scale_n, shown.scale_codes
    item_keyed, item_n, item_codes = shown.item_mean, shown.item_n, shown.item_codes

    scale_ids = instrument.scale_ids
    item_ids = instrument.item_ids
    lead_idx = (
        [scale_ids.index(s) for s in instrument.index("leadership")] if instrument.indices else []
    )
    man_idx = (
        [scale_ids.index(s) for s in instrument.index("management")] if instrument.indices else []
    )

    def index_of(scales: FloatArray, idx: list[int]) -> FloatArray:
        if not idx:
            return np.full(scales.shape[0], np.nan)
        return np.asarray(scales[:, idx].mean(axis=1), dtype=np.float64)

    others_scale = scale_mean[:, :, ALL_OTHERS]
    self_scale = scale_mean[:, :, SELF]
    others_item = item_keyed[:, :, ALL_OTHERS]
    self_item = item_keyed[:, :, SELF]
    lead = index_of(others_scale, lead_idx)
    man = index_of(others_scale, man_idx)
    columns = (*scale_ids, *item_ids, "leadership", "management")
    fitted_here = norms is None
    if norms is None:
        table = np.column_stack([others_scale, others_item, lead, man])
        norms = NormTable().fit(table, columns=columns)
    missing_cols = [c for c in columns if c not in norms.columns_]
    if missing_cols:
        raise ValueError(f"the norm table lacks columns: {', '.join(missing_cols[:5])}")
    pos = np.array([norms.column(c) for c in columns])
    mean_ = norms.mean_[pos]
    sd_ = norms.sd_[pos]
    n_s, n_i = len(scale_ids), len(item_ids)
    rs_width = float(rs.maximum - rs.minimum) / 4.0  # reference values are on a 1-5 scale
    middle = (rs.minimum + rs.maximum) / 2.0
    # How many people the norms rest on (fitted here, or a stored norm file): too few, and the
    # reference values stand in for them (tandem.measure.references).
    normed = int(norms.n_[pos[:n_s]].max()) if n_s else 0
    where = "in this data" if fitted_here else "in the stored norms"
    if normed < OWN_FIGURES_FROM:
        ref_sd = np.concatenate(
            [
                np.full(n_s, references.people_sd * rs_width),
                np.full(n_i, references.people_item_sd * rs_width),
            ]
        )
        ref_level = np.full(n_s + n_i, middle)
        reference_basis = (
            f"{references.describe()}, because only {_were(normed)} rated by others {where} "
            f"(comparing people with each other needs at least {OWN_FIGURES_FROM}); the "
            f"typical level is the middle of the answer scale ({middle:g})"
        )
    else:
        ref_sd = sd_[: n_s + n_i]
        ref_level = mean_[: n_s + n_i]
        reference_basis = f"the {_people(normed)} rated by others {where}"

    self_other = self_other_agreement(
        self_scale, others_scale, sd=ref_sd[:n_s], reference=ref_level[:n_s], cut=cut
    )
    # One person's view is not enough for a verdict about how others see someone.
    one_view = scale_n[:, :, ALL_OTHERS] < 2
    self_other = replace(
        self_other, category=np.where(one_view, "", self_other.category).astype(object)
    )
    flags = item_flags(self_item, others_item, sd=ref_sd[n_s:], reference=ref_level[n_s:], cut=cut)
    item_one_view = item_n[:, :, ALL_OTHERS] < 2
    flags = replace(
        flags,
        blind_spot=flags.blind_spot & ~item_one_view,
        hidden_strength=flags.hidden_strength & ~item_one_view,
    )
    scale_table = np.full((n_ratees, len(norms.columns_)), np.nan)
    scale_table[:, pos[:n_s]] = others_scale
    percentile = norms.percentile(scale_table)[:, pos[:n_s]]
    t_score = norms.t_score(scale_table)[:, pos[:n_s]]

    profile: Profile | None = None
    icc1 = (float("nan"), float("nan")) if index_icc1 is None else index_icc1
    index_rel = np.full((n_ratees, 2), np.nan)
    basis = ""
    interval_basis = ""
    spread = (float("nan"), float("nan"))
    if lead_idx and man_idx:
        if index_icc1 is None:
            icc1 = (
                _rater_icc1(shown.rater_scale, lead_idx, r, not_self),
                _rater_icc1(shown.rater_scale, man_idx, r, not_self),
            )
        icc1 = (_clip_unit(icc1[0]), _clip_unit(icc1[1]))
        if profile_cuts is not None:
            lead_cut, man_cut = (float(v) for v in profile_cuts)
            basis = f"absolute: {cut_source}"
        elif normed < NORM_CUTS_FROM:
            lead_cut = man_cut = rs.minimum + 0.625 * (rs.maximum - rs.minimum)
            basis = (
                f"fallback: {lead_cut:g} on the {rs.minimum}-{rs.maximum} answer scale, because "
                f"only {_were(normed)} rated by others {where} (cuts from the norms need at "
                f"least {NORM_CUTS_FROM})"
            )
        else:
            cuts = norms.value_at(cut_percentile)
            lead_cut = float(cuts[norms.column("leadership")])
            man_cut = float(cuts[norms.column("management")])
            basis = f"norm-referenced: percentile {cut_percentile:g} of the norms"
        if rater_sd is not None:
            spread = (float(rater_sd[0]), float(rater_sd[1]))
            interval_basis = "stored spread among raters of the same person"
        else:
            pooled = [
                _pooled_rater_sd(shown.rater_scale, idx, r, not_self) for idx in (lead_idx, man_idx)
            ]
            if min(people for _sd, people in pooled) >= OWN_FIGURES_FROM:
                spread = (pooled[0][0], pooled[1][0])
                interval_basis = (
                    "how much raters of the same person differ in this data (pooled over "
                    f"{_people(min(people for _sd, people in pooled))})"
                )
            else:
                spread = (references.rater_sd * rs_width,) * 2
                interval_basis = (
                    f"how much raters of the same person typically differ ({spread[0]:.2f}), "
                    f"from {references.describe()}, because too few people were rated here "
                    f"to measure it (that needs at least {OWN_FIGURES_FROM})"
                )
        sems = []
        for col, (idx, rho) in enumerate(((lead_idx, icc1[0]), (man_idx, icc1[1]))):
            k = scale_n[:, idx, ALL_OTHERS].min(axis=1).astype(np.float64)
            with np.errstate(invalid="ignore", divide="ignore"):
                rel = np.where(k > 0, k * rho / (1.0 + (k - 1.0) * rho), np.nan)
                index_rel[:, col] = np.clip(rel, 0.0, 1.0)
                # The uncertainty of an average of k raters: SD / sqrt(k); none for one view.
                sems.append(np.where(k >= 2, spread[col] / np.sqrt(np.maximum(k, 1)), np.nan))
        profile = place_profile(
            lead,
            man,
            leadership_cut=lead_cut,
            management_cut=man_cut,
            leadership_sem=sems[0],
            management_sem=sems[1],
            level=level,
        )
        too_few = np.isnan(sems[0]) | np.isnan(sems[1])
        profile = replace(
            profile,
            placement=np.where(too_few, "", profile.placement).astype(object),
            leaning=np.where(too_few, "", profile.leaning).astype(object),
            borderline=profile.borderline & ~too_few,
        )

    # Self-only parts: expected ratings per scale and self-section subscales.
    self_rows = ~not_self
    only = np.where(self_only == MISSING, np.nan, self_only.astype(np.float64))[self_rows]

    def self_mean(cols: list[int]) -> FloatArray:
        out = np.full((n_ratees, len(cols)), np.nan)
        for j, c in enumerate(cols):
            v = only[:, c]
            ok = ~np.isnan(v)
            s = np.bincount(r[self_rows][ok], weights=v[ok], minlength=n_ratees)
            k = np.bincount(r[self_rows][ok], minlength=n_ratees)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[:, j] = np.where(k > 0, s / np.maximum(k, 1), np.nan)
        return out

    self_ids = [it.id for it in instrument.self_items]
    estimates = np.full((n_ratees, n_s), np.nan)
    for it in instrument.others_estimate:
        estimates[:, scale_ids.index(it.scale)] = self_mean([self_ids.index(it.id)])[:, 0]
    keys: list[tuple[str, str]] = []
    section_cols = []
    for section in instrument.self_sections:
        for sub in section.subscales:
            cols = [self_ids.index(it.id) for it in sub.items]
            item_means = self_mean(cols)
            answered = (~np.isnan(item_means)).sum(axis=1)
            total = np.where(np.isnan(item_means), 0.0, item_means).sum(axis=1)
            needed = max(1.0, min_answered * len(cols) - 1e-9)
            m = np.where(answered >= needed, total / np.maximum(answered, 1), np.nan)
            keys.append((section.id, sub.id))
            section_cols.append(m)
    sections = np.column_stack(section_cols) if section_cols else np.empty((n_ratees, 0))

    lo_hi = float(rs.minimum + rs.maximum)
    # Back to the answer scale as asked, in place (flags above used the keyed values).
    item_mean = item_keyed
    item_mean[:, rev, :] = lo_hi - item_mean[:, rev, :]
    return Scored360(
        instrument=instrument,
        ratee_ids=ids,
        minimums=tuple(min_map.items()),
        min_answered=float(min_answered),
        scale_mean=scale_mean,
        scale_n=scale_n,
        scale_codes=scale_codes,
        item_mean=item_mean,
        item_n=item_n,
        item_codes=item_codes,
        self_other=self_other,
        item_flags=flags,
        norms=norms,
        percentile=percentile,
        t_score=t_score,
        profile=profile,
        self_leadership=index_of(self_scale, lead_idx),
        self_management=index_of(self_scale, man_idx),
        index_icc1=icc1,
        index_reliability=index_rel,
        cut_basis=basis,
        reference_basis=reference_basis,
        reference_sd=ref_sd,
        reference_level=ref_level,
        interval_basis=interval_basis,
        rater_sd=spread,
        estimates=estimates,
        sections=sections,
        section_keys=tuple(keys),
        counted=shown.counted,
        rater_atom=shown.atom,
        rater_scale=shown.rater_scale,
    )
