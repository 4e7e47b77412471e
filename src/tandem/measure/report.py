"""Turn a :class:`~tandem.measure.batch.Scored360` into plain data: one report per ratee.

Only aggregates that the anonymity rule allows are ever read here: hidden ones have n = 0 in
``Scored360`` and are skipped, so nothing below can leak them.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from tandem.measure.raters import GROUPS, SLOTS
from tandem.measure.selfother import rank_item_flags

if TYPE_CHECKING:
    from tandem.measure.batch import Scored360

__all__ = ["SUMMARY_HEADER", "ratee_dicts", "summary_header", "summary_rows"]

ALL_OTHERS = SLOTS.index("all_others")
SELF = SLOTS.index("self")
SELF_OTHER_RULE = (
    "z = (self - everyone except self) / SD of everyone-except-self scores in the norms; "
    "over-estimator if z > cut, under-estimator if z < -cut, otherwise in agreement: good "
    "when others' score is at or above the norm mean, poor when below "
    "(Atwater & Yammarino 1992; Fleenor et al. 1996)."
)
_GROUP_SETS = tuple(
    tuple(GROUPS[g] for g in range(len(GROUPS)) if code >> g & 1) for code in range(32)
)


def _num(value: float, digits: int | None = 4) -> float | None:
    if value != value or math.isinf(value):
        return None
    return float(value) if digits is None else round(value, digits)


def _nan_none(value: float) -> float | None:
    """An already rounded number, or None for NaN (JSON has no NaN)."""
    return None if value != value else value


def _aggregates(
    means: list[list[float]], ns: list[list[int]], codes: list[list[int]], ids: tuple[str, ...]
) -> dict[str, list[dict[str, Any]]]:
    """The shown aggregates per measure; hidden ones (n = 0) are skipped."""
    slots = range(len(SLOTS))
    out: dict[str, list[dict[str, Any]]] = {}
    for m, measure in enumerate(ids):
        n_m, mean_m, code_m = ns[m], means[m], codes[m]
        out[measure] = [
            {"label": SLOTS[s], "groups": _GROUP_SETS[code_m[s]], "n": n_m[s], "mean": mean_m[s]}
            for s in slots
            if n_m[s]
        ]
    return out


def _index_dict(scored: Scored360, r: int, which: int, digits: int | None) -> dict[str, Any]:
    """One index of ratee ``r`` (0 leadership, 1 management) as the report shows it."""
    prof = scored.profile
    assert prof is not None
    lead = which == 0
    return {
        "score": _num(float((prof.leadership if lead else prof.management)[r]), digits),
        "lower": _num(float((prof.leadership_lower if lead else prof.management_lower)[r]), digits),
        "upper": _num(float((prof.leadership_upper if lead else prof.management_upper)[r]), digits),
        "cut": _num(prof.leadership_cut if lead else prof.management_cut, digits),
        "self": _num(
            float((scored.self_leadership if lead else scored.self_management)[r]), digits
        ),
        "reliability": _num(float(scored.index_reliability[r, which]), digits),
        "icc1": _num(scored.index_icc1[which], digits),
        "rater_sd": _num(scored.rater_sd[which], digits),
    }


def ratee_dicts(
    scored: Scored360,
    *,
    chunk: int = 2000,
    start: int = 0,
    stop: int | None = None,
    digits: int | None = 4,
) -> Iterator[dict[str, Any]]:
    """One JSON-ready report per ratee, in ``scored.ratee_ids`` order.

    Parameters
    ----------
    scored : Scored360
    chunk : int, default 2000
        Ratees converted to Python objects at a time (bounds memory on large batches).
    start, stop : int, optional
        Only the ratees ``start..stop-1`` (default: all).
    digits : int or None, default 4
        Decimals kept (percentiles and T-scores keep one); None keeps every figure exact, as
        the anonymity tests read them.

    Yields
    ------
    dict
        Keys: ``ratee``, ``instrument``, ``minimums``, ``scales`` (per scale, the shown
        aggregates as ``{"label", "groups", "n", "mean"}``), ``items`` (the same per item,
        on the answer scale as asked), ``norms``, ``profile``, ``self_other`` (per scale and
        per item; an item's ``difference`` and ``z`` are keyed, so positive always means self
        sees more of the behaviour than others do), ``others_estimate`` and ``self_sections``.

    Examples
    --------
    >>> import numpy as np
    >>> from tandem.measure.batch import score_360
    >>> from tandem.measure.instrument import load_instrument
    >>> instrument = load_instrument("tandem-lm-1")
    >>> answers = np.full((4, len(instrument.all_items)), 4)
    >>> answers[1:, len(instrument.items):] = -1
    >>> scored = score_360(answers, ratee=np.zeros(4, int), ratee_ids=["ana"],
    ...                    group=["self", "peer", "peer", "peer"], instrument=instrument,
    ...                    profile_cuts=(3.5, 3.5))
    >>> report = next(ratee_dicts(scored))
    >>> [(a["label"], a["n"]) for a in report["scales"]["setting_direction"]]
    [('self', 1), ('peer', 3), ('all_others', 3)]
    """
    inst = scored.instrument
    short = None if digits is None else 1

    def rnd(values: Any, places: int) -> Any:
        return values if digits is None else np.round(values, places)

    scale_ids, item_ids = inst.scale_ids, inst.item_ids
    rev = [it.reverse for it in inst.items]
    rev_mask = np.array(rev, dtype=bool)
    prof = scored.profile
    instrument_info = {"id": inst.id, "version": inst.version, "title": inst.title}
    minimums = dict(scored.minimums)
    end = len(scored.ratee_ids) if stop is None else min(stop, len(scored.ratee_ids))
    n_scales = len(scale_ids)
    reference = {
        "basis": scored.reference_basis,
        "sd": {sid: _num(float(scored.reference_sd[j]), digits) for j, sid in enumerate(scale_ids)},
        "level": {
            sid: _num(float(scored.reference_level[j]), digits) for j, sid in enumerate(scale_ids)
        },
        "item_sd": _num(float(np.nanmean(scored.reference_sd[n_scales:])), digits)
        if scored.reference_sd.size > n_scales
        else None,
    }
    for first in range(start, end, chunk):
        last = min(first + chunk, end)
        sl = slice(first, last)
        s_mean = rnd(scored.scale_mean[sl], 4).tolist()
        s_n = scored.scale_n[sl].tolist()
        s_code = scored.scale_codes[sl].tolist()
        i_mean = rnd(scored.item_mean[sl], 4).tolist()
        i_n = scored.item_n[sl].tolist()
        i_code = scored.item_codes[sl].tolist()
        so = scored.self_other
        so_self, so_others = so.self_score[sl].tolist(), so.others_score[sl].tolist()
        so_diff, so_z, so_cat = (
            so.difference[sl].tolist(),
            so.z[sl].tolist(),
            so.category[sl].tolist(),
        )
        pct, tsc = scored.percentile[sl].tolist(), scored.t_score[sl].tolist()
        item_self = scored.item_mean[sl, :, SELF]
        item_others = scored.item_mean[sl, :, ALL_OTHERS]
        keyed_gap = np.where(rev_mask, item_others - item_self, item_self - item_others)
        i_self = rnd(item_self, 4).tolist()
        i_others = rnd(item_others, 4).tolist()
        i_gap = rnd(keyed_gap, 4).tolist()
        i_z = rnd(scored.item_flags.z[sl], 4).tolist()
        est = scored.estimates[sl].tolist()
        sec = scored.sections[sl].tolist()
        for k in range(last - first):
            r = first + k
            report: dict[str, Any] = {
                "ratee": scored.ratee_ids[r],
                "instrument": instrument_info,
                "minimums": minimums,
                "scales": _aggregates(s_mean[k], s_n[k], s_code[k], scale_ids),
                "items": _aggregates(i_mean[k], i_n[k], i_code[k], item_ids),
                "norms": {
                    sid: {"percentile": _num(pct[k][j], short), "t_score": _num(tsc[k][j], short)}
                    for j, sid in enumerate(scale_ids)
                },
            }
            if prof is not None:
                report["profile"] = {
                    "placement": str(prof.placement[r]) or None,
                    "leaning": str(prof.leaning[r]) or None,
                    "borderline": bool(prof.borderline[r]),
                    "level": prof.level,
                    "cut_basis": scored.cut_basis,
                    "interval_basis": scored.interval_basis,
                    "leadership": _index_dict(scored, r, 0, digits),
                    "management": _index_dict(scored, r, 1, digits),
                }
            flags = type(scored.item_flags)(
                z=scored.item_flags.z[r],
                blind_spot=scored.item_flags.blind_spot[r],
                hidden_strength=scored.item_flags.hidden_strength[r],
            )
            blind, hidden = rank_item_flags(
                flags, scored.item_mean[r, :, SELF], scored.item_mean[r, :, ALL_OTHERS]
            )
            report["self_other"] = {
                "rule": SELF_OTHER_RULE,
                "cut": so.cut,
                "reference": reference,
                "scales": {
                    sid: {
                        "self": _num(so_self[k][j], digits),
                        "others": _num(so_others[k][j], digits),
                        "difference": _num(so_diff[k][j], digits),
                        "z": _num(so_z[k][j], digits),
                        "category": so_cat[k][j] or None,
                    }
                    for j, sid in enumerate(scale_ids)
                },
                "blind_spots": [
                    {
                        "item": item_ids[f.index],
                        "self": _num(f.self_score, digits),
                        "others": _num(f.others_score, digits),
                        "z": _num(f.z, digits),
                        "reverse": rev[f.index],
                    }
                    for f in blind
                ],
                "hidden_strengths": [
                    {
                        "item": item_ids[f.index],
                        "self": _num(f.self_score, digits),
                        "others": _num(f.others_score, digits),
                        "z": _num(f.z, digits),
                        "reverse": rev[f.index],
                    }
                    for f in hidden
                ],
                "items": {
                    iid: {
                        "self": _nan_none(i_self[k][j]),
                        "others": _nan_none(i_others[k][j]),
                        "difference": _nan_none(i_gap[k][j]),
                        "z": _nan_none(i_z[k][j]),
                    }
                    for j, iid in enumerate(item_ids)
                },
            }
            report["others_estimate"] = {
                sid: {
                    "estimate": _num(est[k][j], digits),
                    "others": _num(so_others[k][j], digits),
                    "difference": _num(est[k][j] - so_others[k][j], digits),
                }
                for j, sid in enumerate(scale_ids)
                if est[k][j] == est[k][j]
            }
            sections: dict[str, dict[str, float | None]] = {}
            for j, (section, sub) in enumerate(scored.section_keys):
                sections.setdefault(section, {})[sub] = _num(sec[k][j], digits)
            report["self_sections"] = sections
            yield report


SUMMARY_HEADER: tuple[str, ...] = (
    "ratee",
    "placement",
    "leaning",
    "borderline",
    "leadership",
    "leadership_lower",
    "leadership_upper",
    "management",
    "management_lower",
    "management_upper",
)


def summary_rows(scored: Scored360) -> Iterator[list[Any]]:
    """Rows of the summary table: one per ratee, profile then each scale's figures.

    The header is :data:`SUMMARY_HEADER` followed, per scale, by ``<scale>_self``,
    ``<scale>_others``, ``<scale>_others_n``, ``<scale>_percentile`` and
    ``<scale>_agreement``. Text cells are returned as they are; the CLI guards them
    against spreadsheet formula injection when writing the file.

    Examples
    --------
    >>> import numpy as np
    >>> from tandem.measure.batch import score_360
    >>> from tandem.measure.instrument import load_instrument
    >>> instrument = load_instrument("tandem-lm-1")
    >>> answers = np.full((4, len(instrument.all_items)), 4)
    >>> answers[1:, len(instrument.items):] = -1
    >>> scored = score_360(answers, ratee=np.zeros(4, int), ratee_ids=["ana"],
    ...                    group=["self", "peer", "peer", "peer"], instrument=instrument,
    ...                    profile_cuts=(3.5, 3.5))
    >>> next(summary_rows(scored))[:4]  # three raters: the range crosses the cut of 3.5
    ['ana', 'borderline', 'leader-manager', True]
    """
    prof = scored.profile
    so = scored.self_other
    for r, ratee in enumerate(scored.ratee_ids):
        row: list[Any] = [ratee]
        if prof is None:
            row += [None] * (len(SUMMARY_HEADER) - 1)
        else:
            row += [
                str(prof.placement[r]) or None,
                str(prof.leaning[r]) or None,
                bool(prof.borderline[r]),
                _num(float(prof.leadership[r])),
                _num(float(prof.leadership_lower[r])),
                _num(float(prof.leadership_upper[r])),
                _num(float(prof.management[r])),
                _num(float(prof.management_lower[r])),
                _num(float(prof.management_upper[r])),
            ]
        for j in range(len(scored.instrument.scale_ids)):
            row += [
                _num(float(scored.scale_mean[r, j, SELF])),
                _num(float(scored.scale_mean[r, j, ALL_OTHERS])),
                int(scored.scale_n[r, j, ALL_OTHERS]),
                _num(float(scored.percentile[r, j]), 1),
                str(so.category[r, j]) or None,
            ]
        yield row


def summary_header(scale_ids: tuple[str, ...]) -> list[str]:
    """The full header of the summary table for these scales.

    Examples
    --------
    >>> summary_header(("planning",))[-5:]
    ['planning_self', 'planning_others', 'planning_others_n', 'planning_percentile', 'planning_agreement']
    """
    header = list(SUMMARY_HEADER)
    for sid in scale_ids:
        header += [
            f"{sid}_self",
            f"{sid}_others",
            f"{sid}_others_n",
            f"{sid}_percentile",
            f"{sid}_agreement",
        ]
    return header
