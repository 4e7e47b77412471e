"""What a report suggests working on, and which development actions fit: pure functions.

Strengths to sharpen are the scales others rate highest; gaps to shore up are the scales
others rate lowest, with a scale that holds a blind spot (others see less of a behaviour than
the person does) put first, since that is the gap the person is least likely to notice alone.
Only scales that stand out are suggested: a strength sits above the middle (median) of the
person's scale scores, a gap below it, so level scores suggest nothing and the person chooses.
Only figures the report shows are used: a scale whose others' score is hidden is never
suggested from it. When no others' score is shown at all, the person's own ratings are used and
the reason says so.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext

from tandem.cycles.reporting.numbers import ordinal

STRENGTHS = 2
GAPS = 2


@dataclass(frozen=True)
class Suggestion:
    scale_id: str
    scale_name: str
    kind: str  # "strength" or "gap"
    score: float
    reason: str


@dataclass(frozen=True)
class Suggestions:
    strengths: tuple[Suggestion, ...]
    gaps: tuple[Suggestion, ...]
    source: str  # "others" or "self"


def _ordinal(value: float) -> str:
    """A percentile as an ordinal: "91st"; each language words its own."""
    return ordinal(round(value))


def suggest_focus(
    *,
    scale_names: Mapping[str, str],
    others_scores: Mapping[str, float | None],
    self_scores: Mapping[str, float | None],
    percentiles: Mapping[str, float | None],
    blind_spot_scales: Sequence[str] = (),
    strengths: int = STRENGTHS,
    gaps: int = GAPS,
) -> Suggestions:
    """Up to ``strengths`` strengths and ``gaps`` gaps, never the same scale twice.

    >>> s = suggest_focus(scale_names={"a": "A", "b": "B", "c": "C"},
    ...                   others_scores={"a": 4.5, "b": 2.5, "c": 3.5}, self_scores={},
    ...                   percentiles={}, strengths=1, gaps=1)
    >>> [x.scale_id for x in s.strengths], [x.scale_id for x in s.gaps]
    (['a'], ['b'])
    """
    order = list(scale_names)
    shown = {s: v for s, v in others_scores.items() if s in scale_names and v is not None}
    source = "others"
    if not shown:
        shown = {s: v for s, v in self_scores.items() if s in scale_names and v is not None}
        source = "self"
    if not shown:
        return Suggestions(strengths=(), gaps=(), source=source)

    def tie(sid: str) -> tuple[float, int]:
        pct = percentiles.get(sid)
        return (pct if pct is not None else 50.0, order.index(sid))

    # Only scales that stand out are suggested: strengths above the middle of the person's
    # own scores, gaps below it (or holding a blind spot). Level scores suggest nothing.
    middle = statistics.median(shown.values())
    high = sorted(shown, key=lambda s: (-shown[s], -tie(s)[0], tie(s)[1]))
    blind = [s for s in order if s in shown and s in set(blind_spot_scales)]
    low = sorted(shown, key=lambda s: (shown[s], tie(s)[0], tie(s)[1]))
    gap_ids = [*sorted(blind, key=lambda s: shown[s]), *(s for s in low if shown[s] < middle)]
    chosen_gaps = list(dict.fromkeys(gap_ids))[:gaps]
    # A blind spot is never offered as a strength, even when it did not fit among the gaps.
    chosen_strengths = [
        s for s in high if shown[s] > middle and s not in chosen_gaps and s not in blind
    ][:strengths]

    def reason(sid: str, kind: str) -> str:
        pct = percentiles.get(sid) if source == "others" else None
        values = {"score": f"{shown[sid]:.2f}"}
        if pct is not None:
            values["percentile"] = _ordinal(pct)
        if kind == "gap" and sid in blind:
            key = "blind"
        else:
            key = f"{source}-{'highest' if kind == 'strength' else 'lowest'}"
        return _reasons(key, with_percentile=pct is not None) % values

    return Suggestions(
        strengths=tuple(
            Suggestion(sid, scale_names[sid], "strength", shown[sid], reason(sid, "strength"))
            for sid in chosen_strengths
        ),
        gaps=tuple(
            Suggestion(sid, scale_names[sid], "gap", shown[sid], reason(sid, "gap"))
            for sid in chosen_gaps
        ),
        source=source,
    )


def _reasons(key: str, *, with_percentile: bool) -> str:
    """Why a scale is suggested, in whole sentences: ``%(score)s`` and ``%(percentile)s``."""
    if with_percentile:
        return {
            "blind": gettext(
                "A blind spot: others see less of this than you do (%(score)s, %(percentile)s "
                "percentile)."
            ),
            "others-highest": gettext(
                "Others rated this among your highest (%(score)s, %(percentile)s percentile)."
            ),
            "others-lowest": gettext(
                "Others rated this among your lowest (%(score)s, %(percentile)s percentile)."
            ),
        }[key]
    return {
        "blind": gettext("A blind spot: others see less of this than you do (%(score)s)."),
        "others-highest": gettext("Others rated this among your highest (%(score)s)."),
        "others-lowest": gettext("Others rated this among your lowest (%(score)s)."),
        "self-highest": gettext("You rated this among your highest (%(score)s)."),
        "self-lowest": gettext("You rated this among your lowest (%(score)s)."),
    }[key]


@dataclass(frozen=True)
class Fit:
    action_id: int
    matches: tuple[str, ...]


def fitting_actions(
    actions: Sequence[tuple[int, Sequence[str]]], focus_scales: Sequence[str]
) -> list[Fit]:
    """Library actions that grow at least one focus scale, best fit first: the most focus
    scales grown, then the most targeted (fewest scales in all), then library order.

    ``actions`` are ``(id, scale_ids)`` pairs in library order.

    >>> [f.action_id for f in fitting_actions([(1, ["a"]), (2, ["a", "b"]), (3, ["c"])],
    ...                                        ["a", "b"])]
    [2, 1]
    """
    wanted = list(dict.fromkeys(focus_scales))
    ranked = []
    for position, (action_id, scales) in enumerate(actions):
        matches = tuple(s for s in wanted if s in set(scales))
        if matches:
            ranked.append(((-len(matches), len(set(scales)), position), Fit(action_id, matches)))
    return [fit for _, fit in sorted(ranked, key=lambda pair: pair[0])]
