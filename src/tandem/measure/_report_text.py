"""``tandem score``'s report files, written fast: the JSON and HTML text of many ratees at once.

:func:`tandem.measure.report.ratee_dicts` builds one report as Python dicts, and
:func:`tandem.measure.htmlreport.render_html` turns one into a page; for 100,000 ratees that is
minutes of dict building and ``json.dumps``. Here the same text is assembled a block of ratees
at a time: every number that reaches a file is formatted once per distinct value (most of them
repeat: means of a few answers on a 1-5 scale), fragments are joined with numpy object arrays,
and each report is one ``"".join``.

The output is byte for byte ``json.dumps(report, ensure_ascii=False, allow_nan=False)`` and
``render_html(report, instrument)`` (``tests/measure/test_report_text.py`` checks it on
simulated organisations, every rater mix and the shipped instrument), so the two ways can never
tell different stories.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterator
from html import escape
from json.encoder import encode_basestring
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from tandem.measure.htmlreport import CATEGORY_TEXT, LABELS, PLACEMENT_TEXT, STYLE
from tandem.measure.raters import GROUPS, SLOTS
from tandem.measure.report import SELF_OTHER_RULE, _num

if TYPE_CHECKING:
    from tandem.measure.batch import Scored360

__all__ = ["ReportText"]

ALL_OTHERS = SLOTS.index("all_others")
SELF = SLOTS.index("self")
ObjArray = NDArray[np.object_]


def _js(text: str) -> str:
    """A JSON string, as json.dumps(text, ensure_ascii=False) writes it."""
    return encode_basestring(text)


def _json_value(value: Any) -> str:
    """A report value (float, int, bool, str or None) as json.dumps writes it."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def _json_num(value: float | None) -> str:
    """What json.dumps writes for a float or None (the report never holds NaN)."""
    return "null" if value is None else float.__repr__(value)


def _rounded_texts(values: NDArray[np.float64], fn: Callable[[float], str]) -> ObjArray:
    """``fn`` of values already rounded to 4 decimals (NaN allowed), without sorting.

    A value rounded by numpy to 4 decimals is ``k / 10000`` for a whole number ``k``: the texts
    are made once per ``k`` that occurs and gathered from a table.
    """
    flat = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    nan = np.isnan(flat)
    key = np.rint(np.where(nan, 0.0, flat) * 1e4)
    if flat.size == 0 or not np.array_equal(
        np.where(nan, 0.0, key / 1e4), np.where(nan, 0.0, flat)
    ):
        return _texts(values, fn)  # not a 4-decimal grid after all
    low = int(key.min())
    index = (key - low).astype(np.int64)
    present = np.flatnonzero(np.bincount(index[~nan]))
    table = np.empty(int(index.max()) + 2, dtype=object)
    for k in present.tolist():
        table[k] = fn((k + low) / 1e4)
    table[-1] = fn(float("nan"))
    index[nan] = table.size - 1
    flat_text = table[index]
    flat_text[(flat == 0) & np.signbit(flat)] = fn(-0.0)  # np.round(-1e-9, 4) is -0.0
    out: ObjArray = flat_text.reshape(values.shape)
    return out


def _round_keys(values: NDArray[np.float64], places: int) -> NDArray[np.int64]:
    """Whole numbers ``k`` with ``k / 10**places == round(v, places)`` (Python's round), per v.

    Python's ``round`` is correctly rounded: it gives the double nearest to the exact decimal
    rounding of ``v``, which is ``k / 10**places`` computed in floating point (both exact, one
    correctly rounded division). ``rint(v * 10**places)`` finds the same ``k`` except when the
    product lands within its own rounding error of a half: those few values go through
    ``round`` itself. Values must be finite and ``abs(v) * 10**places`` below 2**52.
    """
    scale = 10.0**places
    scaled = values * scale
    key = np.rint(scaled)
    near_half = np.abs(np.abs(scaled - np.trunc(scaled)) - 0.5) <= 1e-9 * np.maximum(
        1.0, np.abs(scaled)
    )
    for j in np.flatnonzero(near_half).tolist():
        key[j] = np.rint(round(float(values[j]), places) * scale)
    return key.astype(np.int64)


def _figure_texts(
    values: NDArray[np.float64], places: int, fn: Callable[[float], str], missing: str
) -> ObjArray:
    """``fn(round(v, places))`` for every value, or ``missing`` where v is NaN or infinite.

    The same text as ``fn`` of Python's ``round``, made once per distinct rounded figure.
    """
    flat = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    finite = np.isfinite(flat)
    out: ObjArray = np.empty(flat.shape, dtype=object)
    out[~finite] = missing
    huge = finite & (np.abs(flat) >= 2.0**52 / 10.0**places)
    if huge.any():  # beyond whole-number keys (no report figure is this large)
        out[huge] = [fn(round(v, places)) for v in flat[huge].tolist()]
        finite &= ~huge
    if finite.any():
        key = _round_keys(flat[finite], places)
        unique, inverse = np.unique(key, return_inverse=True)
        scale = 10.0**places
        table = np.array([*(fn(k / scale) for k in unique.tolist()), ""], dtype=object)[:-1]
        text = table[inverse.reshape(-1)]
        # round(-1e-9, 4) is -0.0, written "-0.0": the sign of a zero is the value's own.
        text[(key == 0) & np.signbit(flat[finite])] = fn(-0.0)
        out[finite] = text
    return out.reshape(values.shape)


def _json4(values: NDArray[np.float64]) -> ObjArray:
    """``_n4`` of every value: a report figure (4 decimals) as JSON."""
    return _figure_texts(values, 4, float.__repr__, "null")


def _html4(values: NDArray[np.float64]) -> ObjArray:
    """``_h4`` of every value: a report figure as the HTML page shows it."""
    return _figure_texts(values, 4, "{:.2f}".format, "&ndash;")


def _n4(value: float) -> str:
    """``_json_num(_num(value))`` in one call: a report figure (4 decimals) as JSON."""
    if value != value or value in (math.inf, -math.inf):
        return "null"
    return float.__repr__(round(value, 4))


def _h4(value: float) -> str:
    """``_html_num(_num(value))`` in one call: a report figure as the HTML page shows it."""
    if value != value or value in (math.inf, -math.inf):
        return "&ndash;"
    return f"{round(value, 4):.2f}"


def _html_num(value: Any, digits: int = 2) -> str:
    return "&ndash;" if value is None else f"{value:.{digits}f}"


def _texts(values: NDArray[np.float64], fn: Callable[[float], str]) -> ObjArray:
    """``fn`` of every value, computed once per distinct value (NaN included)."""
    flat = np.ascontiguousarray(values, dtype=np.float64).reshape(-1)
    if flat.size == 0:
        return np.empty(values.shape, dtype=object)
    unique, inverse = np.unique(flat, return_inverse=True)
    table = np.array([fn(v) for v in unique.tolist()] + [""], dtype=object)[:-1]
    out: ObjArray = table[inverse.reshape(-1)].reshape(values.shape)
    return out


def _joined(
    shown: NDArray[np.bool_],
    pieces: ObjArray,
    heads: list[str],
    close: str,
) -> list[str]:
    """Per row of ``shown`` (R, M, S): for each m, ``heads[m]`` + the shown pieces + ``close``.

    ``pieces`` holds the text of each shown cell in C order, already with its separator.
    """
    n_r, n_m, _n_s = shown.shape
    count = shown.sum(axis=2).reshape(-1)
    size = count + 2
    start = np.zeros(size.size + 1, dtype=np.int64)
    np.cumsum(size, out=start[1:])
    out = np.empty(int(start[-1]), dtype=object)
    head_of = np.array([*heads, ""], dtype=object)[:-1]
    out[start[:-1]] = np.tile(head_of, n_r)
    out[start[1:] - 1] = close
    cell_rm = np.flatnonzero(shown.reshape(-1)) // shown.shape[2]
    first = np.zeros(count.size + 1, dtype=np.int64)
    np.cumsum(count, out=first[1:])
    rank = np.arange(cell_rm.size) - first[cell_rm]
    out[start[cell_rm] + 1 + rank] = pieces
    flat = out.tolist()
    bounds = start[::n_m].tolist()
    return ["".join(flat[bounds[r] : bounds[r + 1]]) for r in range(n_r)]


class ReportText:
    """The JSON and HTML report of every ratee of a scored 360, as text.

    Parameters
    ----------
    scored : Scored360
    """

    def __init__(self, scored: Scored360) -> None:
        self.scored = scored
        inst = scored.instrument
        self.instrument = inst
        self.scale_ids = inst.scale_ids
        self.item_ids = inst.item_ids
        self.rev = [it.reverse for it in inst.items]
        self.rev_mask = np.array(self.rev, dtype=bool)
        self.scale_json = [_js(sid) for sid in self.scale_ids]
        self.item_json = [_js(iid) for iid in self.item_ids]
        texts = {it.id: it.observer_text or it.self_text for it in inst.items}
        self.flag_head = np.array(
            [*(f'{{"item": {j}, "self": ' for j in self.item_json), ""], dtype=object
        )[:-1]
        self.flag_tail = np.array(
            [*(f', "reverse": {"true" if r else "false"}}}' for r in self.rev), ""], dtype=object
        )[:-1]
        self.flag_row = np.array(
            [
                *(f"<tr><td>{escape(texts.get(i, i))}</td><td class='n'>" for i in self.item_ids),
                "",
            ],
            dtype=object,
        )[:-1]
        n_scales = len(self.scale_ids)
        reference = {
            "basis": scored.reference_basis,
            "sd": {
                sid: _num(float(scored.reference_sd[j])) for j, sid in enumerate(self.scale_ids)
            },
            "level": {
                sid: _num(float(scored.reference_level[j])) for j, sid in enumerate(self.scale_ids)
            },
            "item_sd": _num(float(np.nanmean(scored.reference_sd[n_scales:])))
            if scored.reference_sd.size > n_scales
            else None,
        }
        self.head = (
            f'"instrument": {_json_value({"id": inst.id, "version": inst.version, "title": inst.title})}, '
            f'"minimums": {_json_value(dict(scored.minimums))}, '
        )
        self.so_head = (
            f'"self_other": {{"rule": {_js(SELF_OTHER_RULE)}, '
            f'"cut": {_json_value(scored.self_other.cut)}, "reference": {_json_value(reference)}, '
        )
        self.group_json = [
            _json_value([GROUPS[g] for g in range(len(GROUPS)) if code >> g & 1])
            for code in range(32)
        ]
        prof = scored.profile
        if prof is not None:
            self.profile_head = (
                f'"level": {_json_value(prof.level)}, "cut_basis": {_js(scored.cut_basis)}, '
                f'"interval_basis": {_js(scored.interval_basis)}, '
            )
            self.index_tail = [
                (
                    f'"cut": {_json_value(_num(cut))}, "self": ',
                    f'"icc1": {_json_value(_num(scored.index_icc1[w]))}, '
                    f'"rater_sd": {_json_value(_num(scored.rater_sd[w]))}}}',
                )
                for w, cut in enumerate((prof.leadership_cut, prof.management_cut))
            ]
            self.html_cut = [
                _html_num(_num(prof.leadership_cut)),
                _html_num(_num(prof.management_cut)),
            ]
        self._html_setup()

    # -- JSON -------------------------------------------------------------------------------

    def _aggregates(
        self,
        means: NDArray[np.float64],
        ns: NDArray[Any],
        codes: NDArray[Any],
        ids: tuple[str, ...],
    ) -> list[str]:
        """``{"id": [{"label", "groups", "n", "mean"}, ...], ...}`` per ratee (no braces)."""
        shown = ns > 0
        cells = np.flatnonzero(shown.reshape(-1))
        n_s = shown.shape[2]
        slot = cells % n_s
        first = np.ones(cells.size, dtype=bool)
        rm = cells // n_s
        first[1:] = rm[1:] != rm[:-1]
        n = ns.reshape(-1)[cells].astype(np.int64)
        code = codes.reshape(-1)[cells].astype(np.int64)
        # One prefix per (slot, groups, first in its list, n): a dense table, no sorting.
        key = ((slot * 32 + code) * 2 + first) * (int(n.max(initial=0)) + 1) + n
        width = int(n.max(initial=0)) + 1
        table = np.empty(int(key.max(initial=0)) + 1, dtype=object)
        for k in np.flatnonzero(np.bincount(key)).tolist():
            sfc, count = divmod(k, width)
            s, c, f = sfc // 64, (sfc // 2) % 32, sfc % 2
            table[k] = (
                f'{"" if f else ", "}{{"label": "{SLOTS[s]}", "groups": {self.group_json[c]}, '
                f'"n": {count}, "mean": '
            )
        prefix = table[key]
        mean_text = _rounded_texts(means.reshape(-1)[cells], lambda v: float.__repr__(v) + "}")
        pieces = prefix + mean_text
        heads = [("" if m == 0 else ", ") + _js(mid) + ": [" for m, mid in enumerate(ids)]
        return _joined(shown, pieces, heads, "]")

    def _so_items(self, sl: slice) -> list[str]:
        """``self_other.items`` per ratee (no braces)."""
        s = self.scored
        item_self = s.item_mean[sl, :, SELF]
        item_others = s.item_mean[sl, :, ALL_OTHERS]
        gap = np.where(self.rev_mask, item_others - item_self, item_self - item_others)
        values = np.stack(
            [np.round(v, 4) for v in (item_self, item_others, gap, s.item_flags.z[sl])], axis=2
        )
        text = _rounded_texts(values, lambda v: "null" if v != v else float.__repr__(v))
        n_r, n_i = values.shape[:2]
        keys = [
            (
                ("" if j == 0 else ", ") + _js(iid) + ': {"self": ',
                ', "others": ',
                ', "difference": ',
                ', "z": ',
            )
            for j, iid in enumerate(self.item_ids)
        ]
        out = np.empty((n_r, n_i, 9), dtype=object)
        for part in range(4):
            out[:, :, 2 * part] = np.array([k[part] for k in keys], dtype=object)
            out[:, :, 2 * part + 1] = text[:, :, part]
        out[:, :, 8] = "}"
        flat = out.reshape(n_r, -1).tolist()
        return ["".join(row) for row in flat]

    def _flags(
        self, sl: slice, mask: NDArray[np.bool_], sign: float
    ) -> tuple[list[str], list[str]]:
        """Flagged items per ratee, largest gap first: the JSON list and the first five HTML rows.

        The order is :func:`tandem.measure.selfother.rank_item_flags`': by ``-sign * z``,
        ties in item order.
        """
        s = self.scored
        n_r = mask.shape[0]
        r_idx, i_idx = np.nonzero(mask)
        z_all = s.item_flags.z[sl]
        order = np.lexsort((-sign * z_all[r_idx, i_idx], r_idx))
        r_o, i_o = r_idx[order], i_idx[order]
        count = np.bincount(r_o, minlength=n_r)
        start = np.zeros(n_r + 1, dtype=np.int64)
        np.cumsum(count, out=start[1:])
        rank = np.arange(r_o.size) - start[r_o]
        values = np.stack(
            [s.item_mean[sl, :, SELF][r_o, i_o], s.item_mean[sl, :, ALL_OTHERS][r_o, i_o]], axis=1
        )
        json_num = _json4(values)
        z_text = _json4(z_all[r_o, i_o])
        html_num = _html4(values)
        sep = np.where(rank == 0, "", ", ").astype(object)
        pieces = (
            sep
            + self.flag_head[i_o]
            + json_num[:, 0]
            + ', "others": '
            + json_num[:, 1]
            + ', "z": '
            + z_text
            + self.flag_tail[i_o]
        ).tolist()
        rows = (
            np.where(rank == 0, "", "\n").astype(object)
            + self.flag_row[i_o]
            + html_num[:, 0]
            + "</td><td class='n'>"
            + html_num[:, 1]
            + "</td></tr>"
        )
        rows[rank >= 5] = ""
        row_list = rows.tolist()
        bounds = start.tolist()
        lists = ["[" + "".join(pieces[bounds[r] : bounds[r + 1]]) + "]" for r in range(n_r)]
        html = ["".join(row_list[bounds[r] : bounds[r + 1]]) for r in range(n_r)]
        return lists, html

    def texts(self, start: int, stop: int) -> Iterator[tuple[str, str, str]]:
        """``(ratee, json_text, html_text)`` for ratees ``start..stop-1``."""
        s = self.scored
        sl = slice(start, stop)
        n_r = stop - start
        if n_r <= 0:
            return
        scale_ids = self.scale_ids
        scale_means = np.round(s.scale_mean[sl], 4)
        item_means = np.round(s.item_mean[sl], 4)
        scales = self._aggregates(scale_means, s.scale_n[sl], s.scale_codes[sl], scale_ids)
        items = self._aggregates(item_means, s.item_n[sl], s.item_codes[sl], self.item_ids)
        so_items = self._so_items(sl)

        pct = _figure_texts(s.percentile[sl], 1, float.__repr__, "null")
        tsc = _figure_texts(s.t_score[sl], 1, float.__repr__, "null")
        pct_html = _figure_texts(s.percentile[sl], 1, "{:.0f}".format, "&ndash;")
        so = s.self_other
        so_vals = np.stack(
            [so.self_score[sl], so.others_score[sl], so.difference[sl], so.z[sl]], axis=2
        )
        so_text = _json4(so_vals)
        so_html = _html4(so_vals[:, :, :3])
        so_cat = so.category[sl].tolist()
        est = s.estimates[sl]
        est_vals = np.stack([est, so.others_score[sl], est - so.others_score[sl]], axis=2)
        est_text = _json4(est_vals)
        est_known = (est == est).tolist()
        sec_text = _json4(s.sections[sl])
        sec_html = _html4(s.sections[sl])
        sec_known = np.isfinite(s.sections[sl]).tolist()
        prof = s.profile
        if prof is not None:
            idx_vals = np.stack(
                [
                    prof.leadership[sl],
                    prof.leadership_lower[sl],
                    prof.leadership_upper[sl],
                    s.self_leadership[sl],
                    s.index_reliability[sl, 0],
                    prof.management[sl],
                    prof.management_lower[sl],
                    prof.management_upper[sl],
                    s.self_management[sl],
                    s.index_reliability[sl, 1],
                ],
                axis=1,
            )
            idx_text = _json4(idx_vals).tolist()
            idx_html = _html4(idx_vals).tolist()
            placement = prof.placement[sl].tolist()
            leaning = prof.leaning[sl].tolist()
            borderline = prof.borderline[sl].tolist()
        html_scales = self._html_scales(sl, scale_means, pct_html)
        blind_json, blind_html = self._flags(sl, s.item_flags.blind_spot[sl], 1.0)
        hidden_json, hidden_html = self._flags(sl, s.item_flags.hidden_strength[sl], -1.0)
        pct_l, tsc_l, so_l, so_html_l = (
            pct.tolist(),
            tsc.tolist(),
            so_text.tolist(),
            so_html.tolist(),
        )
        est_l, sec_l, sec_html_l = est_text.tolist(), sec_text.tolist(), sec_html.tolist()
        for k in range(n_r):
            r = start + k
            ratee = s.ratee_ids[r]
            parts = [
                '{"ratee": ',
                _js(ratee),
                ", ",
                self.head,
                '"scales": {',
                scales[k],
                '}, "items": {',
                items[k],
                '}, "norms": {',
                ", ".join(
                    f'{sid}: {{"percentile": {pct_l[k][j]}, "t_score": {tsc_l[k][j]}}}'
                    for j, sid in enumerate(self.scale_json)
                ),
                "}, ",
            ]
            if prof is not None:
                it = idx_text[k]
                pl, ln = placement[k], leaning[k]
                parts += [
                    '"profile": {"placement": ',
                    _js(pl) if pl else "null",
                    ', "leaning": ',
                    _js(ln) if ln else "null",
                    ', "borderline": ',
                    "true" if borderline[k] else "false",
                    ", ",
                    self.profile_head,
                ]
                for w, label in enumerate(("leadership", "management")):
                    o = 5 * w
                    cut_text, tail = self.index_tail[w]
                    parts += [
                        f'"{label}": {{"score": {it[o]}, "lower": {it[o + 1]}, '
                        f'"upper": {it[o + 2]}, {cut_text}{it[o + 3]}, '
                        f'"reliability": {it[o + 4]}, {tail}',
                        ", " if w == 0 else "}, ",
                    ]
            sok = so_l[k]
            parts += [
                self.so_head,
                '"scales": {',
                ", ".join(
                    f'{sid}: {{"self": {sok[j][0]}, "others": {sok[j][1]}, '
                    f'"difference": {sok[j][2]}, "z": {sok[j][3]}, "category": '
                    f"{_js(so_cat[k][j]) if so_cat[k][j] else 'null'}}}"
                    for j, sid in enumerate(self.scale_json)
                ),
                '}, "blind_spots": ',
                blind_json[k],
                ', "hidden_strengths": ',
                hidden_json[k],
                ', "items": {',
                so_items[k],
                '}}, "others_estimate": {',
                ", ".join(
                    f'{sid}: {{"estimate": {est_l[k][j][0]}, "others": {est_l[k][j][1]}, '
                    f'"difference": {est_l[k][j][2]}}}'
                    for j, sid in enumerate(self.scale_json)
                    if est_known[k][j]
                ),
                '}, "self_sections": {',
                self._sections_json(sec_l[k]),
                "}}",
            ]
            html = self._html(
                k,
                ratee,
                html_scales[k],
                so_html_l[k],
                so_cat[k],
                (blind_html[k], hidden_html[k]),
                sec_html_l[k],
                sec_known[k],
                None if prof is None else (placement[k], leaning[k], idx_html[k]),
            )
            yield ratee, "".join(parts), html

    def _sections_json(self, values: list[str]) -> str:
        sections: dict[str, dict[str, str]] = {}
        for j, (section, sub) in enumerate(self.scored.section_keys):
            sections.setdefault(section, {})[sub] = values[j]
        return ", ".join(
            f"{_js(name)}: {{{', '.join(f'{_js(k)}: {v}' for k, v in subs.items())}}}"
            for name, subs in sections.items()
        )

    # -- HTML -------------------------------------------------------------------------------

    def _html_setup(self) -> None:
        inst = self.instrument
        rs = inst.response_scale()
        self.lo, self.hi = rs.minimum, rs.maximum
        self.names = {sc.id: sc.name for sc in inst.scales}
        self.meanings: dict[str, str] = {}
        self.item_texts = {it.id: it.observer_text or it.self_text for it in inst.items}
        self.html_top = (
            f"<title>360 report: {{r}}</title><style>{STYLE}</style></head><body>",
            f'<p class="muted">{escape(inst.title)}, version {inst.version}. '
            f"Answers run from {self.lo} ({escape(rs.labels[0])}) to {self.hi} "
            f"({escape(rs.labels[-1])}).</p>",
        )
        self.labels = []
        for slot in SLOTS:
            row = []
            for code in range(32):
                covered = ", ".join(
                    LABELS.get(g, g)
                    for g in (GROUPS[x] for x in range(len(GROUPS)) if code >> x & 1)
                )
                label = LABELS.get(slot, slot)
                if slot in ("others", "all_others"):
                    label += f" ({covered})"
                row.append(escape(label))
            self.labels.append(row)
        self.scale_first = [escape(self.names.get(sid, sid)) for sid in self.scale_ids]
        self.label_table = np.array([*(x for row in self.labels for x in row), ""], dtype=object)[
            :-1
        ]
        # Sections grouped by section in order of first appearance, as the report's dict is.
        grouped: dict[str, dict[str, int]] = {}
        for j, (section_id, sub_id) in enumerate(self.scored.section_keys):
            grouped.setdefault(section_id, {})[sub_id] = j
        known = {sec.id: sec for sec in inst.self_sections}
        self.section_rows = []
        for section_id, subs in grouped.items():
            section = known.get(section_id)
            sub_names = {sub.id: sub.name for sub in section.subscales} if section else {}
            self.section_rows.append(
                (
                    escape(section.name if section else section_id),
                    [(j, escape(sub_names.get(sub_id, sub_id))) for sub_id, j in subs.items()],
                )
            )

    def _meaning(self, category: str) -> str:
        """What a self-other category means, escaped (made once per category)."""
        text = self.meanings.get(category)
        if text is None:
            text = escape(CATEGORY_TEXT.get(category, "") or "Not enough ratings to compare.")
            self.meanings[category] = text
        return text

    def _bar_num(self, value: float) -> str:
        width = max(0.0, min(1.0, (value - self.lo) / (self.hi - self.lo))) * 8
        return f'<span class="bar" style="width:{width:.2f}rem"></span> ' + _html_num(value)

    def _html_scales(self, sl: slice, means: NDArray[np.float64], pct_html: ObjArray) -> list[str]:
        """The rows of the 'Scales by rater group' table, per ratee."""
        s = self.scored
        ns = s.scale_n[sl]
        shown = ns > 0
        cells = np.flatnonzero(shown.reshape(-1))
        n_sl = shown.shape[2]
        slot = cells % n_sl
        rm = cells // n_sl
        scale = rm % shown.shape[1]
        ratee = rm // shown.shape[1]
        first = np.ones(cells.size, dtype=bool)
        first[1:] = rm[1:] != rm[:-1]
        code = s.scale_codes[sl].reshape(-1)[cells].astype(np.int64)
        name = np.array([*self.scale_first, ""], dtype=object)[:-1]
        first_cell = np.where(first, name[scale], "")
        label = self.label_table[slot * 32 + code]
        n_text = ns.reshape(-1)[cells].astype(str).astype(object)
        mean_text = _rounded_texts(means.reshape(-1)[cells], self._bar_num)
        pct_cell = np.where(slot == ALL_OTHERS, pct_html[ratee, scale], "")
        pieces = (
            "\n<tr><td>"
            + first_cell
            + "</td><td>"
            + label
            + "</td><td class='n'>"
            + n_text
            + "</td><td class='n'>"
            + mean_text
            + "</td><td class='n'>"
            + pct_cell
            + "</td></tr>"
        )
        return _joined(shown, pieces.astype(object), [""] * shown.shape[1], "")

    def _html(
        self,
        k: int,
        ratee: str,
        scale_rows: str,
        so_html: list[list[str]],
        so_cat: list[str],
        flags: tuple[str, str],
        sec_html: list[str],
        sec_known: list[bool],
        profile: tuple[str, str, list[str]] | None,
    ) -> str:
        name = escape(ratee)
        out = [
            "<!DOCTYPE html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            self.html_top[0].replace("{r}", name, 1),
            f"<h1>360 report: {name}</h1>",
            self.html_top[1],
        ]
        if profile is not None and profile[0]:
            placement, lean, it = profile
            extra = f" (leaning {escape(lean)})" if placement == "borderline" and lean else ""
            out.append("<h2>Leader or manager?</h2>")
            out.append(
                f'<p><span class="badge">{escape(placement)}</span>{extra} '
                f"{escape(PLACEMENT_TEXT.get(placement, ''))}</p>"
            )
            prof = self.scored.profile
            assert prof is not None
            out.append(
                "<table><tr><th>Index</th><th>Everyone except self</th><th>"
                f"{round(100 * prof.level)}% interval</th>"
                "<th>Cut</th><th>Self</th></tr>"
            )
            for w, label in enumerate(("Leadership", "Management")):
                o = 5 * w
                out.append(
                    f'<tr><td>{label}</td><td class="n">{it[o]}</td>'
                    f'<td class="n">{it[o + 1]} to {it[o + 2]}</td>'
                    f'<td class="n">{self.html_cut[w]}</td><td class="n">{it[o + 3]}</td></tr>'
                )
            out.append(f'</table><p class="muted">Cuts: {escape(str(self.scored.cut_basis))}.</p>')
        out.append("<h2>Scales by rater group</h2>")
        out.append(
            '<p class="muted">Only groups large enough to keep raters anonymous are shown; smaller '
            "groups are combined into &ldquo;Others&rdquo; or left out entirely.</p>"
        )
        out.append(
            "<table><tr><th>Scale</th><th>Group</th><th>n</th><th>Mean</th><th>Percentile</th></tr>"
        )
        if scale_rows:
            out.append(scale_rows[1:])  # each row starts with a line break
        out.append("</table>")
        out.append("<h2>How you see yourself and how others see you</h2>")
        out.append(
            "<table><tr><th>Scale</th><th>Self</th><th>Others</th><th>Difference</th><th>What it means</th></tr>"
        )
        for j in range(len(self.scale_ids)):
            row = so_html[j]
            out.append(
                f"<tr><td>{self.scale_first[j]}</td><td class='n'>{row[0]}</td>"
                f"<td class='n'>{row[1]}</td>"
                f"<td class='n'>{row[2]}</td><td>{self._meaning(so_cat[j])}</td></tr>"
            )
        out.append("</table>")
        for entries, title, note in (
            (flags[0], "Possible blind spots", "you rate yourself high, others rate you lower"),
            (flags[1], "Hidden strengths", "others rate you higher than you do"),
        ):
            out.append(f"<h2>{title}</h2><p class='muted'>Items where {note}.</p>")
            if not entries:
                out.append("<p>None stand out.</p>")
                continue
            out.append("<table><tr><th>Behaviour</th><th>Self</th><th>Others</th></tr>")
            out.append(entries)
            out.append("</table>")
        if any(sec_known):
            out.append("<h2>Motivation and interests (your own answers)</h2><table>")
            for section_name, subs in self.section_rows:
                for j, sub_name in subs:
                    out.append(
                        f"<tr><td>{section_name}</td><td>{sub_name}</td>"
                        f"<td class='n'>{sec_html[j]}</td></tr>"
                    )
            out.append("</table>")
        out.append("</body></html>")
        return "\n".join(out) + "\n"
