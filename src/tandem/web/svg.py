"""Building blocks of Tandem's server-side SVG charts (reports, the organisation view).

Plain strings, every text escaped, no script and no ``style`` attribute: the pages run under a
strict Content-Security-Policy, and SVG presentation attributes such as ``fill`` are not styles.
Every chart opens with :func:`svg_open`, which makes it ``role="img"`` with a ``<title>`` and a
``<desc>`` stating its numbers in words, and lays it out left to right in every language.
"""

from __future__ import annotations

import math
from html import escape

__all__ = [
    "ACCENT",
    "FONT",
    "INK",
    "LEAD",
    "LINE",
    "MANAGE",
    "MUTED",
    "SELF",
    "WASH",
    "svg_escape",
    "svg_number",
    "svg_open",
    "svg_text",
]

FONT = "DejaVu Sans, Noto Sans Arabic, Verdana, sans-serif"
INK = "#1d2433"
MUTED = "#5b6478"
LINE = "#c9ced8"
WASH = "#f5f7fa"
LEAD = "#7a3fc4"
MANAGE = "#0f7b6c"
ACCENT = "#2f5bd3"
SELF = "#b07a00"


def svg_escape(text: str) -> str:
    return escape(text, quote=True)


def svg_number(value: float) -> str:
    """A coordinate: short, and never NaN or inf (SVG would reject the whole element).

    >>> svg_number(12.0), svg_number(3.25), svg_number(float("nan"))
    ('12', '3.2', '0')
    """
    if not math.isfinite(value):
        value = 0.0
    return f"{value:.1f}".rstrip("0").rstrip(".")


def svg_open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    """The opening ``<svg>`` tag with its title and description (close it with ``</svg>``)."""
    cid = svg_escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{cid}" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{cid}-title {cid}-desc" font-family="{svg_escape(FONT)}" '
        # Number lines run from low on the left to high on the right in every language (as
        # charts in Arabic do too), so text anchors keep their left-to-right meaning even on
        # a right-to-left page; the words inside each label still read in their own direction.
        'font-size="12" direction="ltr">',
        f'<title id="{cid}-title">{svg_escape(title)}</title>',
        f'<desc id="{cid}-desc">{svg_escape(description)}</desc>',
    ]


def svg_text(x: float, y: float, text: str, **attrs: str) -> str:
    """A ``<text>`` element; attribute names use ``_`` for ``-`` (``text_anchor="end"``)."""
    extra = "".join(f' {k.replace("_", "-")}="{svg_escape(v)}"' for k, v in attrs.items())
    return f'<text x="{svg_number(x)}" y="{svg_number(y)}"{extra}>{svg_escape(text)}</text>'
