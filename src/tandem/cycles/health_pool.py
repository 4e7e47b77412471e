"""Instrument health across cycles: every released cycle of the organisation that used the same
questions, pooled.

One cycle is often too small for the lens models (a pilot of ten people has about 90 sheets,
the default questionnaire needs 355). Pooled with earlier cycles it may not be. A worker
computes this after each release (:func:`tandem.cycles.tasks.instrument_health_pool`) over
the anonymous sheets of that cycle and every earlier released cycle whose questionnaire has the
same rated questions in the same scales, and keeps the result in the released cycle's
statistics as ``health_across``.

Each cycle's sheets are scored again as they were kept (:func:`tandem.measure.score_360`
decides which answers count in some figure, as at release), so an answer that is in no figure
of its cycle is left out here too.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tandem.cycles.health import LENSES, health_to_json, rated_for_health
from tandem.cycles.instruments import instrument_of
from tandem.cycles.models import Cycle, CycleStatus, Participant, ReleasedAnswer, ReleasedSheet
from tandem.cycles.rederive import released_sheets
from tandem.cycles.release import score_sheets
from tandem.measure import Instrument, instrument_health

MODELS = {"ReleasedSheet": ReleasedSheet, "ReleasedAnswer": ReleasedAnswer}


def _questions(instrument: Instrument) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((item.id, item.scale) for item in instrument.items))


def comparable_cycles(cycle: Cycle) -> list[Cycle]:
    """The released cycles of the organisation, up to and including ``cycle``, that asked the
    same rated questions in the same scales, oldest first."""
    if cycle.status != CycleStatus.RELEASED or cycle.released_at is None:
        return []
    wanted = _questions(instrument_of(cycle.instrument))
    candidates = (
        Cycle.objects.filter(
            organisation_id=cycle.organisation_id,
            status=CycleStatus.RELEASED,
            released_at__lte=cycle.released_at,
        )
        .select_related("instrument")
        .order_by("released_at", "pk")
    )
    return [c for c in candidates if _questions(instrument_of(c.instrument)) == wanted]


def _rows(cycle: Cycle, order: tuple[str, ...]) -> tuple[np.ndarray[Any, Any], list[str]]:
    """One cycle's counted, reverse-keyed answers in the column order ``order``, and groups."""
    instrument = instrument_of(cycle.instrument)
    sheets = released_sheets(cycle, models=MODELS)
    if not sheets:
        return np.empty((0, len(order))), []
    participant_ids = list(
        Participant.objects.filter(cycle=cycle).order_by("pk").values_list("pk", flat=True)
    )
    minimums = {k: int(v) for k, v in (cycle.minimums or {}).items()}
    answers, _, groups, scored = score_sheets(sheets, instrument, participant_ids, minimums)
    rated = rated_for_health(answers, instrument, scored.counted)
    position = {item_id: j for j, item_id in enumerate(instrument.item_ids)}
    return rated[:, [position[item_id] for item_id in order]], groups


def health_over(cycles: list[Cycle], instrument: Instrument) -> dict[str, Any] | None:
    """Instrument health over the kept sheets of ``cycles`` (which asked ``instrument``'s rated
    questions), as kept in a cycle's statistics; None when the questionnaire has no
    leadership and management indices."""
    indices = dict(instrument.indices)
    if not all(lens in indices for lens in LENSES):
        return None
    order = instrument.item_ids
    blocks, groups = [], []
    for each in cycles:
        rows, kept_groups = _rows(each, order)
        blocks.append(rows)
        groups.extend(kept_groups)
    health = instrument_health(
        np.vstack(blocks),
        items=list(order),
        item_scale=[item.scale for item in instrument.items],
        scale_lens={scale: lens for lens in LENSES for scale in indices[lens]},
        lenses=LENSES,
        groups=groups,
    )
    return {
        **health_to_json(health),
        "cycles": [{"id": c.pk, "name": c.name} for c in cycles],
    }


def health_across(cycle: Cycle) -> dict[str, Any] | None:
    """Instrument health over ``cycle`` and the earlier comparable cycles, or None when there
    is no earlier one (the cycle's own health says it all)."""
    cycles = comparable_cycles(cycle)
    if len(cycles) < 2:
        return None
    return health_over(cycles, instrument_of(cycle.instrument))
