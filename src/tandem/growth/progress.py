"""Progress you can trust: change between cycles with the reliable change index, and the
geometry of a small SVG chart of a person's scales over time. Pure functions, no database.

A change is called real only when ``tandem.measure.reliable_change`` says it lies beyond
measurement error (|RCI| > 1.96 at 95%), using the standard deviation and reliability of each
scale in the *earlier* cycle, as Jacobson and Truax (1991) prescribe.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from tandem.measure import reliable_change


@dataclass(frozen=True)
class ScaleChange:
    scale_id: str
    scale_name: str
    before: float | None
    after: float | None
    difference: float | None
    needed: float | None  # the smallest change that would count as real
    rci: float | None
    verdict: str  # "increase", "decrease", "within error" or "unknown"
    words: str


def _num(value: float | None) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def scale_change(
    *,
    scale_id: str,
    scale_name: str,
    before: float | None,
    after: float | None,
    sd: float | None,
    reliability: float | None,
) -> ScaleChange:
    """One scale's change, with a verdict in plain words.

    >>> c = scale_change(scale_id="s", scale_name="Setting direction", before=3.0, after=3.8,
    ...                  sd=0.5, reliability=0.8)
    >>> c.verdict, round(c.rci, 2)
    ('increase', 2.53)
    """
    before, after = _num(before), _num(after)
    sd, reliability = _num(sd), _num(reliability)
    unknown = ScaleChange(scale_id, scale_name, before, after, None, None, None, "unknown", "")
    if before is None or after is None:
        return _with_words(
            unknown, gettext("Cannot say: the score is not shown in one of the cycles.")
        )
    difference = after - before
    if sd is None or reliability is None or sd <= 0 or not 0 <= reliability < 1:
        return _with_words(
            ScaleChange(scale_id, scale_name, before, after, difference, None, None, "unknown", ""),
            gettext(
                "Cannot say whether this is real: the earlier cycle has no reliability figures "
                "for this scale."
            ),
        )
    result = reliable_change([before], [after], sd=sd, reliability=reliability)
    rci = float(result.rci[0])
    needed = float(result.critical * result.s_diff[0])
    direction = str(result.direction[0])
    verdict = {"increase": "increase", "decrease": "decrease"}.get(direction, "within error")
    if verdict == "increase":
        words = gettext(
            "A real change: others now see more of this (up %(difference)s; a change beyond "
            "%(needed)s is more than measurement error)."
        ) % {"difference": f"{difference:.2f}", "needed": f"{needed:.2f}"}
    elif verdict == "decrease":
        words = gettext(
            "A real change: others now see less of this (down %(difference)s; a change beyond "
            "%(needed)s is more than measurement error)."
        ) % {"difference": f"{-difference:.2f}", "needed": f"{needed:.2f}"}
    else:
        words = gettext(
            "Within measurement error: a change of %(difference)s could be noise, so it does "
            "not count as a change (it would take more than %(needed)s)."
        ) % {"difference": f"{difference:+.2f}", "needed": f"{needed:.2f}"}
    return ScaleChange(scale_id, scale_name, before, after, difference, needed, rci, verdict, words)


def _with_words(change: ScaleChange, words: str) -> ScaleChange:
    return ScaleChange(
        change.scale_id,
        change.scale_name,
        change.before,
        change.after,
        change.difference,
        change.needed,
        change.rci,
        change.verdict,
        words,
    )


# --- the chart -------------------------------------------------------------------------------

WIDTH, HEIGHT = 640, 300
# Room at the sides for cycle names centred under the first and last columns.
LEFT, RIGHT, TOP, BOTTOM = 64, 64, 16, 48


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: float
    label: str
    column: int


@dataclass(frozen=True)
class Series:
    scale_id: str
    name: str
    index: int
    points: tuple[Point, ...]

    @property
    def path(self) -> str:
        """SVG path data; a hidden score breaks the line rather than bridging it."""
        parts = []
        previous: int | None = None
        for point in self.points:
            move = previous is None or point.column != previous + 1
            parts.append(f"{'M' if move else 'L'}{point.x:.1f},{point.y:.1f}")
            previous = point.column
        return " ".join(parts)


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    series: tuple[Series, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]


def chart(
    *,
    cycles: Sequence[str],
    scales: Sequence[tuple[str, str]],
    scores: Sequence[Mapping[str, float | None]],
    low: float = 1.0,
    high: float = 5.0,
) -> Chart:
    """Positions of each scale's others' score, one column per cycle (oldest first).

    ``scores[c][scale_id]`` is the score in cycle ``c`` (None when hidden; no point is drawn).

    >>> c = chart(cycles=["2025", "2026"], scales=[("s", "S")], scores=[{"s": 1.0}, {"s": 5.0}])
    >>> [(p.x, p.y) for p in c.series[0].points]
    [(64.0, 252.0), (576.0, 16.0)]
    """
    if high <= low:
        raise ValueError("high must be above low")
    x0, x1 = LEFT, WIDTH - RIGHT
    y0, y1 = TOP, HEIGHT - BOTTOM

    def x_at(c: int) -> float:
        return (x0 + x1) / 2 if len(cycles) == 1 else x0 + c * (x1 - x0) / (len(cycles) - 1)

    def y_at(value: float) -> float:
        return y1 - (min(max(value, low), high) - low) * (y1 - y0) / (high - low)

    series = []
    for index, (sid, name) in enumerate(scales):
        points = []
        for c, label in enumerate(cycles):
            value = _num(scores[c].get(sid)) if c < len(scores) else None
            if value is not None:
                points.append(Point(float(x_at(c)), float(y_at(value)), value, label, c))
        series.append(Series(sid, name, index, tuple(points)))
    steps = int(high - low)
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        plot_left=x0,
        plot_right=x1,
        plot_top=y0,
        plot_bottom=y1,
        series=tuple(series),
        y_ticks=tuple(Tick(y_at(low + k), f"{low + k:g}") for k in range(steps + 1)),
        x_ticks=tuple(Tick(x_at(c), label) for c, label in enumerate(cycles)),
    )
