"""Server-side SVG of the organisation view, for the PDF (and the page without JavaScript).

The heatmap puts departments down and levels across; a cell that joins several levels (to reach
the anonymity minimum) is drawn once across all of them. Colour runs from pale at the lowest
figure shown to full at the highest (the same range on both maps); every cell also prints its
mean and its n, so nothing depends on reading a colour.
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from tandem.cycles.reporting.numbers import format_score
from tandem.overview.selectors import OrganisationView
from tandem.web.svg import INK, LEAD, LINE, MANAGE, MUTED, WASH, svg_number, svg_open, svg_text

__all__ = ["heatmap_svg", "placements_svg", "shade"]

LABEL_WIDTH = 170
COLUMN_WIDTH = 92
ROW_HEIGHT = 40
TOP = 30


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _tenths(value: float) -> str:
    """A colour bound as shown: one decimal, in the reader's language's way (3.1, 3,1)."""
    return number_format(f"{value:.1f}", decimal_pos=1)


def _percent(share: float) -> str:
    """A share as a whole percentage: 25%."""
    # Translators: a percentage; write the sign as your language does ("25 %", "٪25").
    return gettext("%(percent)s%%") % {"percent": f"{share * 100:.0f}"}


def shade(value: float, low: float, high: float, colour: str) -> tuple[str, bool]:
    """The fill for ``value`` on ``low..high`` (pale to ``colour``) and whether text on it
    should be light.

    >>> shade(1.0, 1, 5, "#7a3fc4")
    ('#f5f7fa', False)
    >>> shade(5.0, 1, 5, "#7a3fc4")
    ('#7a3fc4', True)
    """
    share = 0.0 if high <= low else min(1.0, max(0.0, (value - low) / (high - low)))
    pale, full = _rgb(WASH), _rgb(colour)
    mixed = tuple(round(p + (f - p) * share) for p, f in zip(pale, full, strict=True))
    return "#{:02x}{:02x}{:02x}".format(*mixed), share > 0.55


def heatmap_svg(view: OrganisationView, *, measure: str) -> str:
    """The heatmap of ``measure`` ("leadership" or "management") as an SVG string."""
    colour = LEAD if measure == "leadership" else MANAGE
    width = LABEL_WIDTH + COLUMN_WIDTH * max(1, len(view.columns)) + 10
    height = TOP + ROW_HEIGHT * max(1, len(view.departments)) + 30
    words = "; ".join(
        # Translators: one cell of a heatmap, read aloud: "Sales, Levels 1–2: 3.45 (6 people)".
        ngettext(
            "%(department)s, %(levels)s: %(mean)s (%(n)s person)",
            "%(department)s, %(levels)s: %(mean)s (%(n)s people)",
            cell.n,
        )
        % {
            "department": cell.department,
            "levels": cell.label,
            "mean": format_score(getattr(cell, measure)),
            "n": cell.n,
        }
        for cell in view.cells
    )
    values = {
        "minimum": view.scale_minimum,
        "maximum": view.scale_maximum,
        "low": _tenths(view.colour_low),
        "high": _tenths(view.colour_high),
    }
    if measure == "leadership":
        title = gettext("Leadership by department and level")
        description = gettext(
            "Mean leadership others-score on %(minimum)s to %(maximum)s; colour from %(low)s "
            "(pale) to %(high)s (full)."
        )
    else:
        title = gettext("Management by department and level")
        description = gettext(
            "Mean management others-score on %(minimum)s to %(maximum)s; colour from %(low)s "
            "(pale) to %(high)s (full)."
        )
    parts = svg_open(
        f"chart-heatmap-{measure}",
        width,
        height,
        title,
        description % values + " " + (words or gettext("No group is large enough to show.")),
    )
    for column, label in enumerate(view.column_labels):
        x = LABEL_WIDTH + COLUMN_WIDTH * (column + 0.5)
        parts.append(svg_text(x, TOP - 10, label, text_anchor="middle", fill=MUTED))
    for row, department in enumerate(view.departments):
        y = TOP + ROW_HEIGHT * row
        parts.append(
            f'<rect x="0" y="{y}" width="{width}" height="{ROW_HEIGHT}" fill="none" '
            f'stroke="{LINE}" stroke-width="0.5"/>'
        )
        parts.append(svg_text(6, y + ROW_HEIGHT / 2 + 4, department[:26], fill=INK))
    for cell in view.cells:
        x = LABEL_WIDTH + COLUMN_WIDTH * cell.first_column + 2
        y = TOP + ROW_HEIGHT * cell.row + 2
        span = COLUMN_WIDTH * (cell.last_column - cell.first_column + 1) - 4
        value = getattr(cell, measure)
        fill, light = shade(value, view.colour_low, view.colour_high, colour)
        ink = "#ffffff" if light else INK
        parts.append(
            f'<rect x="{svg_number(x)}" y="{svg_number(y)}" width="{svg_number(span)}" '
            f'height="{ROW_HEIGHT - 4}" rx="3" fill="{fill}" stroke="{LINE}"/>'
        )
        centre = x + span / 2
        parts.append(
            svg_text(
                centre,
                y + 16,
                format_score(value),
                text_anchor="middle",
                fill=ink,
                font_weight="bold",
            )
        )
        # Translators: how many participants a heatmap cell holds; "n" is the statistical sign.
        n_words = gettext("n = %(n)s") % {"n": cell.n}
        parts.append(svg_text(centre, y + 30, n_words, text_anchor="middle", fill=ink))
    legend = gettext("Colour: %(low)s pale to %(high)s full") % values
    parts.append(svg_text(6, height - 8, legend, fill=MUTED))
    parts.append("</svg>")
    return "\n".join(parts)


def placements_svg(view: OrganisationView) -> str:
    """Horizontal bars: how many participants have each placement."""
    rows = view.placements
    width, bar_left, bar_width = 560, 200, 260
    height = 20 + 28 * max(1, len(rows))
    largest = max((p.count for p in rows), default=1) or 1
    parts = svg_open(
        "chart-placements",
        width,
        height,
        gettext("Placements"),
        "; ".join(
            gettext("%(placement)s: %(count)s") % {"placement": p.name, "count": p.count}
            for p in rows
        )
        or gettext("Not shown."),
    )
    for k, placement in enumerate(rows):
        y = 10 + 28 * k
        length = bar_width * placement.count / largest
        parts.append(svg_text(0, y + 15, placement.name, fill=INK))
        parts.append(
            f'<rect x="{bar_left}" y="{y}" width="{svg_number(length)}" height="20" '
            f'fill="{LEAD}" rx="2"/>'
        )
        parts.append(
            svg_text(
                bar_left + length + 6,
                y + 15,
                gettext("%(count)s (%(percent)s)")
                % {"count": placement.count, "percent": _percent(placement.share)},
                fill=INK,
            )
        )
    parts.append("</svg>")
    return "\n".join(parts)
