"""Re-deriving stored reports from a released cycle's anonymous sheets.

Reports are stored at release and never change, except once: when the rule that decides what
may be shown changes for the safer, reports released under the older rule are recomputed from
the cycle's :class:`~tandem.cycles.models.ReleasedSheet` rows, so no stored figure keeps what
the older rule let through. The migration ``cycles 0002`` calls :func:`cycle_rederive` with
its historical models; the tests call it with the real ones.

What changes: every figure (``scales``, ``items``, ``self_other``, ``profile``, ``norms``,
``others_estimate``, ``self_sections``) and the cycle's statistics. What stays: the
participant's own comments (``self_comments``), the size of the comparison group
(``norm_group_size``, so the cut rule is the one used at release) and the released comments,
which carry no rater or group and so cannot be sorted again.
"""

from __future__ import annotations

from typing import Any

import yaml

from tandem.cycles.release import DISCLOSURE, Sheet, score_cycle
from tandem.measure import parse_instrument

KEPT = ("self_comments", "norm_group_size", "leniency")


def released_sheets(cycle: Any, *, models: dict[str, Any]) -> list[Sheet]:
    """A released cycle's anonymous sheets with answers, as :func:`score_cycle` reads them.

    ``models`` maps ``ReleasedSheet`` and ``ReleasedAnswer`` to model classes (historical ones
    inside a migration)."""
    sheets: dict[Any, Sheet] = {}
    for sheet_id, participant_id, group in (
        models["ReleasedSheet"]
        .objects.filter(participant__cycle_id=cycle.pk)
        .values_list("pk", "participant_id", "group")
    ):
        sheets[sheet_id] = Sheet(participant=participant_id, group=group)
    for sheet_id, item_id, value in (
        models["ReleasedAnswer"]
        .objects.filter(sheet__participant__cycle_id=cycle.pk)
        .values_list("sheet_id", "item_id", "value")
    ):
        sheets[sheet_id].values[item_id] = value
    return [s for s in sheets.values() if s.values]


def cycle_rederive(cycle: Any, *, models: dict[str, Any]) -> int:
    """Recompute the stored reports of one released cycle; returns how many changed.

    ``models`` maps ``Participant``, ``Report``, ``ReleasedSheet`` and ``ReleasedAnswer`` to
    model classes (historical ones inside a migration). Reports already derived with
    :data:`DISCLOSURE` are left as they are, so running it twice changes nothing.
    """
    reports = {
        r.participant_id: r for r in models["Report"].objects.filter(participant__cycle_id=cycle.pk)
    }
    todo = [r for r in reports.values() if r.data.get("disclosure") != DISCLOSURE]
    if not todo:
        return 0
    instrument = parse_instrument(
        yaml.safe_load(cycle.instrument.text), source=f"cycle {cycle.pk} questionnaire"
    )
    participant_ids = list(
        models["Participant"]
        .objects.filter(cycle_id=cycle.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    kept = released_sheets(cycle, models=models)
    with_others = max(
        (int(r.data.get("norm_group_size") or 0) for r in reports.values()), default=0
    )
    minimums = {k: int(v) for k, v in (cycle.minimums or {}).items()}
    if not kept:
        return 0
    scores = score_cycle(kept, instrument, participant_ids, minimums, with_others)
    changed = 0
    for participant_id, data in zip(participant_ids, scores.reports, strict=True):
        report = reports.get(participant_id)
        if report is None or report.data.get("disclosure") == DISCLOSURE:
            continue
        for key in KEPT:
            if key in report.data:
                data[key] = report.data[key]
        data["disclosure"] = DISCLOSURE
        report.data = data
        report.save(update_fields=["data"])
        changed += 1
    # The leniency split was fitted at release, when sheets still knew their raters: kept.
    kept_split = (cycle.statistics or {}).get("leniency")
    cycle.statistics = scores.statistics
    if kept_split is not None:
        cycle.statistics["leniency"] = kept_split
    cycle.save(update_fields=["statistics"])
    return changed
