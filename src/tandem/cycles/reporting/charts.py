"""Server-side SVG charts for the report: the same markup in the page and in the PDF.

Built from ``tandem.web.svg`` (escaped text, no script, no ``style``). Each chart is
``role="img"`` with a ``<title>`` and a ``<desc>`` that states its numbers in words; the
templates also put the same numbers in a table next to it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext, pgettext

from tandem.cycles.reporting.numbers import format_percentile, format_score
from tandem.web.svg import (
    ACCENT,
    INK,
    LEAD,
    LINE,
    MANAGE,
    MUTED,
    SELF,
    WASH,
    svg_escape,
    svg_number,
    svg_open,
    svg_text,
)

__all__ = ["Axis", "Bar", "placement_svg", "scale_bars_svg"]


@dataclass(frozen=True)
class Bar:
    """One bar of a scale chart: an aggregate's label, its n and its mean."""

    label: str
    n: int
    value: float
    is_self: bool = False
    is_all_others: bool = False


@dataclass(frozen=True)
class Axis:
    """One index of the placement chart."""

    name: str
    score: float | None
    lower: float | None
    upper: float | None
    cut: float | None
    self_score: float | None


def _domain(values: Sequence[float | None], lo: float, hi: float) -> tuple[float, float]:
    """A zoomed range around the values, on half points, inside the answer scale, at least 1 wide.

    >>> _domain([3.1, 2.9, 3.4], 1, 5)
    (2.5, 4.0)
    >>> _domain([None], 1, 5)
    (1, 5)
    """
    present = [v for v in values if v is not None and math.isfinite(v)]
    if not present:
        return lo, hi
    low = max(lo, math.floor((min(present) - 0.25) * 2) / 2)
    high = min(hi, math.ceil((max(present) + 0.25) * 2) / 2)
    while high - low < 1.0:
        if low > lo:
            low = max(lo, low - 0.5)
        if high - low < 1.0 and high < hi:
            high = min(hi, high + 0.5)
        if low <= lo and high >= hi:
            break
    return low, high


def placement_svg(
    *,
    chart_id: str,
    leadership: Axis,
    management: Axis,
    scale_min: float,
    scale_max: float,
    title: str,
    description: str,
) -> str:
    """The leader/manager placement: management across, leadership up, cuts and interval cross.

    The four areas the cuts make are named (leader and manager, leader, manager, emerging).
    The filled dot is the everyone-except-you score, the cross its confidence interval on each
    index; the hollow diamond is your own view.

    >>> svg = placement_svg(chart_id="p", title="Placement", description="A & B",
    ...     leadership=Axis("Leadership", 3.4, 3.1, 3.7, 3.2, 4.0),
    ...     management=Axis("Management", 2.9, 2.6, 3.2, 3.1, 3.5), scale_min=1, scale_max=5)
    >>> import xml.etree.ElementTree as ET
    >>> ET.fromstring(svg).get("role"), "A &amp; B" in svg
    ('img', True)
    """
    width, height = 440, 400
    left, right, top, bottom = 64, 420, 16, 344
    x_lo, x_hi = _domain(
        [management.score, management.lower, management.upper, management.cut,
         management.self_score],
        scale_min, scale_max,
    )  # fmt: skip
    y_lo, y_hi = _domain(
        [leadership.score, leadership.lower, leadership.upper, leadership.cut,
         leadership.self_score],
        scale_min, scale_max,
    )  # fmt: skip

    def px(v: float) -> float:
        return left + (min(max(v, x_lo), x_hi) - x_lo) / (x_hi - x_lo) * (right - left)

    def py(v: float) -> float:
        return bottom - (min(max(v, y_lo), y_hi) - y_lo) / (y_hi - y_lo) * (bottom - top)

    out = svg_open(chart_id, width, height, title, description)
    out.append(
        f'<rect x="{left}" y="{top}" width="{right - left}" height="{bottom - top}" '
        f'fill="{WASH}" stroke="{LINE}"/>'
    )
    cx = px(management.cut) if management.cut is not None else None
    cy = py(leadership.cut) if leadership.cut is not None else None
    if cx is not None and cy is not None:
        # The leader-and-manager area, lightly tinted so the eye finds it first.
        out.append(
            f'<rect x="{svg_number(cx)}" y="{top}" width="{svg_number(right - cx)}" height="{svg_number(cy - top)}" '
            f'fill="#e9e2f6" fill-opacity="0.6"/>'
        )
        corners = (
            (right - 6, top + 16, "end", pgettext("placement", "Leader and manager")),
            (left + 6, top + 16, "start", pgettext("placement", "Leader")),
            (right - 6, bottom - 8, "end", pgettext("placement", "Manager")),
            (left + 6, bottom - 8, "start", pgettext("placement", "Emerging")),
        )
        for lx, ly, anchor, label in corners:
            out.append(svg_text(lx, ly, label, fill=MUTED, text_anchor=anchor, font_size="11"))
    for axis_value, vertical in ((cx, True), (cy, False)):
        if axis_value is None:
            continue
        if vertical:
            out.append(
                f'<line x1="{svg_number(axis_value)}" y1="{top}" x2="{svg_number(axis_value)}" y2="{bottom}" '
                f'stroke="{MUTED}" stroke-dasharray="5 4"/>'
            )
        else:
            out.append(
                f'<line x1="{left}" y1="{svg_number(axis_value)}" x2="{right}" y2="{svg_number(axis_value)}" '
                f'stroke="{MUTED}" stroke-dasharray="5 4"/>'
            )
    # Ticks every half point.
    for k in range(round((x_hi - x_lo) * 2) + 1):
        v = x_lo + k / 2
        out.append(
            f'<line x1="{svg_number(px(v))}" y1="{bottom}" x2="{svg_number(px(v))}" y2="{bottom + 4}" '
            f'stroke="{MUTED}"/>'
        )
        out.append(svg_text(px(v), bottom + 16, f"{v:g}", fill=MUTED, text_anchor="middle"))
    for k in range(round((y_hi - y_lo) * 2) + 1):
        v = y_lo + k / 2
        out.append(
            f'<line x1="{left - 4}" y1="{svg_number(py(v))}" x2="{left}" y2="{svg_number(py(v))}" '
            f'stroke="{MUTED}"/>'
        )
        out.append(svg_text(left - 8, py(v) + 4, f"{v:g}", fill=MUTED, text_anchor="end"))
    out.append(
        svg_text((left + right) / 2, height - 18, management.name, fill=MANAGE,
              text_anchor="middle", font_weight="bold")
    )  # fmt: skip
    out.append(
        f'<text x="16" y="{svg_number((top + bottom) / 2)}" fill="{LEAD}" text-anchor="middle" '
        f'font-weight="bold" transform="rotate(-90 16 {svg_number((top + bottom) / 2)})">'
        f"{svg_escape(leadership.name)}</text>"
    )
    if management.score is not None and leadership.score is not None:
        x, y = px(management.score), py(leadership.score)
        if management.lower is not None and management.upper is not None:
            x1, x2 = px(management.lower), px(management.upper)
            out.append(
                f'<line x1="{svg_number(x1)}" y1="{svg_number(y)}" x2="{svg_number(x2)}" y2="{svg_number(y)}" '
                f'stroke="{INK}" stroke-width="2"/>'
            )
            for xe in (x1, x2):
                out.append(
                    f'<line x1="{svg_number(xe)}" y1="{svg_number(y - 6)}" x2="{svg_number(xe)}" y2="{svg_number(y + 6)}" '
                    f'stroke="{INK}" stroke-width="2"/>'
                )
        if leadership.lower is not None and leadership.upper is not None:
            y1, y2 = py(leadership.lower), py(leadership.upper)
            out.append(
                f'<line x1="{svg_number(x)}" y1="{svg_number(y1)}" x2="{svg_number(x)}" y2="{svg_number(y2)}" '
                f'stroke="{INK}" stroke-width="2"/>'
            )
            for ye in (y1, y2):
                out.append(
                    f'<line x1="{svg_number(x - 6)}" y1="{svg_number(ye)}" x2="{svg_number(x + 6)}" y2="{svg_number(ye)}" '
                    f'stroke="{INK}" stroke-width="2"/>'
                )
        out.append(
            f'<circle cx="{svg_number(x)}" cy="{svg_number(y)}" r="6" fill="{ACCENT}" stroke="white"/>'
        )
        out.append(svg_text(x + 10, y + 16, gettext("Others' view"), fill=INK, font_size="11"))
    if management.self_score is not None and leadership.self_score is not None:
        x, y = px(management.self_score), py(leadership.self_score)
        out.append(
            f'<path d="M {svg_number(x)} {svg_number(y - 7)} L {svg_number(x + 7)} {svg_number(y)} L {svg_number(x)} {svg_number(y + 7)} '
            f'L {svg_number(x - 7)} {svg_number(y)} Z" fill="white" stroke="{SELF}" stroke-width="2"/>'
        )
        out.append(svg_text(x + 10, y - 8, gettext("Your view"), fill=SELF, font_size="11"))
    out.append("</svg>")
    return "".join(out)


def scale_bars_svg(
    *,
    chart_id: str,
    bars: Sequence[Bar],
    percentile: float | None,
    scale_min: float,
    scale_max: float,
    title: str,
    description: str,
) -> str:
    """One scale by rater group: a bar per shown aggregate, then the norm percentile strip.

    Only the bars given are drawn; the caller passes exactly the aggregates the report holds.

    >>> svg = scale_bars_svg(chart_id="s", title="Planning", description="d",
    ...     bars=[Bar("You", 1, 4.0, is_self=True), Bar("Everyone except you", 5, 3.25)],
    ...     percentile=61.2, scale_min=1, scale_max=5)
    >>> "3.25" in svg and "61st percentile" in svg
    True
    """
    width = 600
    label_w, left, right = 204, 214, 540
    row_h = 26
    top = 8
    rows_bottom = top + row_h * len(bars)
    axis_y = rows_bottom + 4
    strip_top = axis_y + 30
    height = strip_top + (52 if percentile is not None else 0)

    def px(v: float) -> float:
        v = min(max(v, scale_min), scale_max)
        return left + (v - scale_min) / (scale_max - scale_min) * (right - left)

    out = svg_open(chart_id, width, height, title, description)
    for k in range(int(scale_max - scale_min) + 1):
        v = scale_min + k
        out.append(
            f'<line x1="{svg_number(px(v))}" y1="{top}" x2="{svg_number(px(v))}" y2="{axis_y}" '
            f'stroke="{LINE}" stroke-width="1"/>'
        )
        out.append(svg_text(px(v), axis_y + 14, f"{v:g}", fill=MUTED, text_anchor="middle"))
    for i, bar in enumerate(bars):
        y = top + i * row_h
        colour = SELF if bar.is_self else (ACCENT if bar.is_all_others else "#7d8fb8")
        # Translators: a bar's label in a chart, e.g. "Peers (n = 4)".
        label = gettext("%(group)s (n = %(n)s)") % {"group": bar.label, "n": bar.n}
        out.append(
            svg_text(label_w, y + 17, label, fill=INK, text_anchor="end",
                  font_weight="bold" if bar.is_all_others else "normal")
        )  # fmt: skip
        out.append(
            f'<rect x="{left}" y="{y + 5}" width="{svg_number(max(px(bar.value) - left, 1.0))}" '
            f'height="{row_h - 10}" rx="2" fill="{colour}"/>'
        )
        out.append(svg_text(px(bar.value) + 6, y + 17, format_score(bar.value), fill=INK))
    if percentile is not None:
        s_left, s_right = left, right
        y = strip_top + 18
        out.append(
            svg_text(label_w, y + 4, gettext("Norm percentile"), fill=INK, text_anchor="end")
        )
        out.append(
            f'<line x1="{s_left}" y1="{y}" x2="{s_right}" y2="{y}" stroke="{LINE}" '
            f'stroke-width="6" stroke-linecap="round"/>'
        )
        for q in (0, 25, 50, 75, 100):
            qx = s_left + q / 100 * (s_right - s_left)
            out.append(
                f'<line x1="{svg_number(qx)}" y1="{y - 6}" x2="{svg_number(qx)}" y2="{y + 6}" stroke="{MUTED}"/>'
            )
            out.append(svg_text(qx, y + 20, str(q), fill=MUTED, text_anchor="middle",
                             font_size="10"))  # fmt: skip
        px_pct = s_left + min(max(percentile, 0.0), 100.0) / 100 * (s_right - s_left)
        out.append(
            f'<circle cx="{svg_number(px_pct)}" cy="{y}" r="6" fill="{ACCENT}" stroke="white"/>'
        )
        # Translators: e.g. "61st percentile".
        marker = gettext("%(ordinal)s percentile") % {"ordinal": format_percentile(percentile)}
        out.append(svg_text(px_pct, y - 10, marker, fill=INK, text_anchor="middle", font_size="11"))
    out.append("</svg>")
    return "".join(out)
