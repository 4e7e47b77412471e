"""The organisation view of one released cycle, for one reader.

Disclosure is decided in ``tandem.measure.organisation`` and nowhere else: this module reads
each participant's released others-scores and placement, marks the ones the reader can read
anyway (their own report, reports shared with them as manager), and hands everything to
:func:`~tandem.measure.organisation.organisation_cells` and
:func:`~tandem.measure.organisation.placement_counts`. The page, the CSV and the PDF all show
the :class:`OrganisationView` built here, so none of them can show more than the rule allows.

Department and level are the person's as they are today (Tandem keeps no history of them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy

from tandem import access
from tandem.cycles.instruments import instrument_of
from tandem.cycles.models import Cycle, CycleStatus, Participant, Report
from tandem.cycles.reporting.wording import PLACEMENT_TITLES
from tandem.measure.organisation import level_order, organisation_cells, placement_counts
from tandem.measure.profile import PLACEMENTS
from tandem.people.models import Organisation

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

__all__ = [
    "NO_DEPARTMENT",
    "PLACEMENT_MEANINGS",
    "HeatmapCell",
    "OrganisationView",
    "PlacementCount",
    "colour_range",
    "levels_label",
    "organisation_minimum",
    "organisation_view",
    "released_cycles",
]

NO_DEPARTMENT = gettext_lazy("No department")

# What each placement means, worded for this view in the reader's language. Keyed on the codes
# of tandem.measure.PLACEMENTS; the English is tandem.measure.htmlreport.PLACEMENT_TEXT's (the
# pure core stays English and Django-free).
PLACEMENT_MEANINGS: Final[dict[str, _StrOrPromise]] = {
    "leader-manager": gettext_lazy("Others see both strong leadership and strong management."),
    "leader": gettext_lazy("Others see leadership more than management."),
    "manager": gettext_lazy("Others see management more than leadership."),
    "emerging": gettext_lazy("Neither is strong yet in others' eyes: room to grow on both."),
    "borderline": gettext_lazy("Too close to call: the uncertainty of the scores crosses a cut."),
}


def organisation_minimum() -> int:
    """Fewest participants (whose scores the reader cannot read elsewhere) behind any figure."""
    return int(getattr(settings, "ORGANISATION_VIEW_MINIMUM", 5))


def released_cycles(*, organisation: Organisation) -> QuerySet[Cycle]:
    """The organisation's released cycles, newest first."""
    return Cycle.objects.filter(organisation=organisation, status=CycleStatus.RELEASED).order_by(
        "-released_at", "-pk"
    )


def levels_label(levels: tuple[int | None, ...]) -> str:
    """``(1, 2)`` -> "Levels 1–2", ``(3,)`` -> "Level 3", ``(None,)`` -> "No level"."""
    numbered = [level for level in levels if level is not None]
    words = ""
    if len(numbered) == 1:
        words = gettext("Level %(level)s") % {"level": numbered[0]}
    elif numbered and numbered == list(range(numbered[0], numbered[-1] + 1)):
        # Translators: a range of career levels, e.g. "Levels 1–3".
        words = gettext("Levels %(first)s–%(last)s") % {"first": numbered[0], "last": numbered[-1]}
    elif numbered:
        # Translators: a list of career levels, e.g. "Levels 1, 3".
        words = gettext("Levels %(levels)s") % {
            "levels": ", ".join(str(level) for level in numbered)
        }
    if None in levels:
        if words:
            # Translators: %(levels)s is e.g. "Level 4" or "Levels 1–3".
            return gettext("%(levels)s and no level") % {"levels": words}
        return gettext("No level")
    return words


@dataclass(frozen=True)
class HeatmapCell:
    """One shown cell: a department's band of levels, placed on the grid's columns
    ``first_column..last_column`` (the band's lowest and highest level)."""

    department: str
    levels: tuple[int | None, ...]
    label: str
    n: int
    leadership: float
    management: float
    row: int
    first_column: int
    last_column: int


@dataclass(frozen=True)
class PlacementCount:
    placement: str
    name: str
    meaning: str
    count: int
    share: float


@dataclass(frozen=True)
class OrganisationView:
    """What one reader may see of one released cycle (``cycle`` is None when there is none)."""

    cycle: Cycle | None
    minimum: int
    reports: int
    scored: int
    known: int
    hidden: int
    scale_minimum: int
    scale_maximum: int
    colour_low: float
    colour_high: float
    departments: tuple[str, ...]
    columns: tuple[int | None, ...]
    cells: tuple[HeatmapCell, ...]
    placements: tuple[PlacementCount, ...]
    placed: int

    @property
    def column_labels(self) -> tuple[str, ...]:
        return tuple(levels_label((level,)) for level in self.columns)

    @property
    def placements_withheld(self) -> bool:
        return self.placed > 0 and not self.placements


def _number(value: Any) -> float:
    """A stored score, or NaN when the report shows none."""
    return float(value) if isinstance(value, (int, float)) else float("nan")


def _empty(cycle: Cycle | None, minimum: int) -> OrganisationView:
    return OrganisationView(cycle, minimum, 0, 0, 0, 0, 1, 5, 1.0, 5.0, (), (), (), (), 0)


def colour_range(values: list[float], low: float, high: float) -> tuple[float, float]:
    """The range the heatmap's colour spans: the shown figures' lowest to highest, on tenths
    (so small differences show), or the answer scale when there is nothing to span.

    >>> colour_range([3.04, 3.57, 3.25], 1, 5)
    (3.0, 3.6)
    >>> colour_range([3.2], 1, 5)
    (3.1, 3.3)
    >>> colour_range([], 1, 5)
    (1.0, 5.0)
    """
    if not values:
        return float(low), float(high)
    bottom = math.floor(min(values) * 10 + 1e-9) / 10
    top = math.ceil(max(values) * 10 - 1e-9) / 10
    if top - bottom < 0.15:
        bottom, top = bottom - 0.1, top + 0.1
    return round(max(float(low), bottom), 1), round(min(float(high), top), 1)


def organisation_view(*, cycle: Cycle | None, reader: Any) -> OrganisationView:
    """The heatmap cells and placement counts of ``cycle`` that ``reader`` may see."""
    minimum = organisation_minimum()
    if cycle is None or cycle.status != CycleStatus.RELEASED:
        return _empty(cycle, minimum)
    readable = set(
        Participant.objects.filter(access.overview.reports_readable_in(reader, cycle)).values_list(
            "pk", flat=True
        )
    )
    rows = list(
        Report.objects.filter(participant__cycle=cycle)
        .order_by("participant_id")
        .values_list(
            "participant_id",
            "participant__person__department",
            "participant__person__level",
            "data__profile__leadership__score",
            "data__profile__management__score",
            "data__profile__placement",
        )
    )
    known = [row[0] in readable for row in rows]
    no_department = str(NO_DEPARTMENT)
    department = [row[1] or no_department for row in rows]
    level = [row[2] for row in rows]
    lead = [_number(row[3]) for row in rows]
    manage = [_number(row[4]) for row in rows]
    shown = organisation_cells(department, level, lead, manage, minimum=minimum, known=known)

    columns = tuple(sorted({lv for cell in shown.cells for lv in cell.levels}, key=level_order))
    departments = tuple(dict.fromkeys(cell.department for cell in shown.cells))
    cells = tuple(
        HeatmapCell(
            department=cell.department,
            levels=cell.levels,
            label=levels_label(cell.levels),
            n=cell.n,
            leadership=cell.leadership,
            management=cell.management,
            row=departments.index(cell.department),
            first_column=min(columns.index(lv) for lv in cell.levels),
            last_column=max(columns.index(lv) for lv in cell.levels),
        )
        for cell in shown.cells
    )

    placement = [str(row[5] or "") for row in rows]
    counts = placement_counts(placement, minimum=minimum, known=known) or {}
    placed = sum(1 for p in placement if p)
    placements = tuple(
        PlacementCount(
            placement=name,
            name=str(PLACEMENT_TITLES.get(name, name)),
            meaning=str(PLACEMENT_MEANINGS.get(name, "")),
            count=counts.get(name, 0),
            share=counts.get(name, 0) / placed if placed else 0.0,
        )
        for name in [*PLACEMENTS, *sorted(set(counts) - set(PLACEMENTS))]
        if counts
    )
    response = instrument_of(cycle.instrument).response_scale()
    low, high = colour_range(
        [c.leadership for c in cells] + [c.management for c in cells],
        response.minimum,
        response.maximum,
    )
    return OrganisationView(
        cycle=cycle,
        minimum=minimum,
        reports=len(rows),
        scored=shown.n,
        known=sum(known),
        hidden=shown.hidden,
        scale_minimum=response.minimum,
        scale_maximum=response.maximum,
        colour_low=low,
        colour_high=high,
        departments=departments,
        columns=columns,
        cells=cells,
        placements=placements,
        placed=placed,
    )
