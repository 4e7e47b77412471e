"""Quick-feedback figures: what the person who asked may see, from one disclosure decision.

Pure: no database. :func:`tandem.growth.selectors.feedback_results` reads the sheets and calls
:func:`feedback_figures`; the anonymity property test calls it directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tandem.measure import Aggregate
from tandem.measure.disclosure import person_figures

__all__ = ["ItemResult", "ScaleResult", "feedback_figures"]

MIN_ANSWERED = 0.5
"""A colleague counts for a scale when they answered at least half of its questions."""


@dataclass(frozen=True)
class ItemResult:
    text: str
    mean: float | None


@dataclass(frozen=True)
class ScaleResult:
    scale_id: str
    name: str
    mean: float | None
    n: int
    items: tuple[ItemResult, ...]


def _everyone(aggregates: tuple[Aggregate, ...]) -> Aggregate | None:
    return next((a for a in aggregates if a.label == "all_others"), None)


def feedback_figures(
    questions: Mapping[str, Any],
    sheets: Sequence[Mapping[str, int | None]],
    groups: Sequence[str],
    minimums: Mapping[str, int],
) -> tuple[ScaleResult, ...]:
    """Each asked scale's figure and its questions' figures, as far as they may be shown.

    Every colleague is in one pooled group. All figures come from one
    :func:`tandem.measure.disclosure.person_figures` decision: a colleague who answered too
    few of a scale's questions is in none of its figures (not even the questions they
    answered), a question is shown only when enough of those who count answered it, and the
    scale is the mean of its shown questions.
    """
    low, high = int(questions["minimum"]), int(questions["maximum"])
    scales = list(questions["scales"])
    items = [(s, item) for s, scale in enumerate(scales) for item in scale["items"]]
    keyed = np.full((len(sheets), len(items)), np.nan)
    for r, sheet in enumerate(sheets):
        for c, (_s, item) in enumerate(items):
            value = sheet.get(item["id"])
            if value is not None:
                keyed[r, c] = (low + high - value) if item["reverse"] else value
    shown = person_figures(
        keyed,
        list(groups),
        item_scale=[s for s, _item in items],
        n_scales=len(scales),
        minimums=minimums,
        min_answered=MIN_ANSWERED,
    )
    results = []
    for s, scale in enumerate(scales):
        figure = _everyone(shown.scales[s])
        item_results = []
        for c, (owner, item) in enumerate(items):
            if owner != s:
                continue
            found = _everyone(shown.items[c])
            mean = None
            if found is not None:  # shown as asked, not keyed
                mean = (low + high - found.mean) if item["reverse"] else found.mean
            item_results.append(ItemResult(item["text"], mean))
        results.append(
            ScaleResult(
                scale_id=scale["id"],
                name=scale["name"],
                mean=figure.mean if figure else None,
                n=figure.n if figure else 0,
                items=tuple(item_results) if figure else (),
            )
        )
    return tuple(results)
