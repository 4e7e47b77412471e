"""Server-side SVG of the organisation view, for the PDF (and the page without JavaScript).

The heatmap puts departments down and levels across; a cell that joins several levels (to reach
the anonymity minimum) is drawn once across all of them. Colour runs from pale at the lowest
figure shown to full at the highest (the same range on both maps); every cell also prints its
mean and its n, so nothing depends on reading a colour.
"""

from __future__ import annotations

from tandem.overview.selectors import OrganisationView
from tandem.web.svg import INK, LEAD, LINE, MANAGE, MUTED, WASH, svg_number, svg_open, svg_text

__all__ = ["heatmap_svg", "placements_svg", "shade"]

LABEL_WIDTH = 170
COLUMN_WIDTH = 92
ROW_HEIGHT = 40
TOP = 30


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


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
    name = measure.capitalize()
    width = LABEL_WIDTH + COLUMN_WIDTH * max(1, len(view.columns)) + 10
    height = TOP + ROW_HEIGHT * max(1, len(view.departments)) + 30
    words = "; ".join(
        f"{cell.department}, {cell.label}: {getattr(cell, measure):.2f} ({cell.n} people)"
        for cell in view.cells
    )
    parts = svg_open(
        f"chart-heatmap-{measure}",
        width,
        height,
        f"{name} by department and level",
        f"Mean {measure} others-score on {view.scale_minimum} to {view.scale_maximum}; "
        f"colour from {view.colour_low:.1f} (pale) to {view.colour_high:.1f} (full). "
        + (words or "No group is large enough to show."),
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
                centre, y + 16, f"{value:.2f}", text_anchor="middle", fill=ink, font_weight="bold"
            )
        )
        parts.append(svg_text(centre, y + 30, f"n = {cell.n}", text_anchor="middle", fill=ink))
    legend = f"Colour: {view.colour_low:.1f} pale to {view.colour_high:.1f} full"
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
        "Placements",
        "; ".join(f"{p.name}: {p.count}" for p in rows) or "Not shown.",
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
                f"{placement.count} ({placement.share:.0%})",
                fill=INK,
            )
        )
    parts.append("</svg>")
    return "\n".join(parts)
