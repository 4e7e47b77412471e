"""Which figures about groups of participants an organisation view may show.

The organisation view (a heatmap of leadership and management by department and level) shows
means of participants' others-scores. The people team reading it never reads a report, so the
view must not let anyone work out one participant's score, with exact arithmetic, from what it
shows. Each figure alone meeting a minimum is not enough: a department's mean next to the means
of its shown levels gives the hidden level's sum by subtraction.

:func:`organisation_cells` therefore puts every participant in **exactly one** shown cell or in
none, and shows no margins (no department or level totals, no overall mean). Within a
department, levels are taken in order and joined into contiguous bands until each band holds at
least ``minimum`` participants (a short band left at the end joins the band before it).
Departments smaller than ``minimum`` are pooled into one "other departments" cell when that pool
reaches ``minimum``; anyone left is hidden and only counted. Since the shown cells are disjoint
and nothing else is shown, a figure can be combined only with itself: each mean rests on at
least ``minimum`` people.

A reader may already know some of the scores: their own, and the reports they are allowed to
read. Subtracting those from a cell leaves the others' sum, so ``known`` marks them and only
the people the reader does **not** know count towards the minimum: every shown cell holds at
least ``minimum`` participants whose scores the reader cannot read elsewhere.

:func:`placement_counts` shows how many participants have each placement only when at least
``minimum`` of them are unknown to the reader and those do not all share one placement (then
the count would tell each of them theirs).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "OrganisationCell",
    "OrganisationCells",
    "level_order",
    "organisation_cells",
    "placement_counts",
]

OTHER_DEPARTMENTS = "Other departments"


@dataclass(frozen=True)
class OrganisationCell:
    """One shown cell: the participants of ``department`` at ``levels`` (sorted; ``None`` is
    "no level"), how many, and their mean leadership and management others-scores."""

    department: str
    levels: tuple[int | None, ...]
    n: int
    leadership: float
    management: float


@dataclass(frozen=True)
class OrganisationCells:
    """The shown cells, how many participants had both scores, and how many are hidden."""

    minimum: int
    n: int
    cells: tuple[OrganisationCell, ...]
    hidden: int


def level_order(level: int | None) -> tuple[bool, int]:
    """Sort key for levels: by number, "no level" (None) last."""
    return (level is None, level if level is not None else 0)


def _bands(levels: list[int | None], unknown: list[bool], minimum: int) -> list[list[int | None]]:
    """Contiguous bands of levels, each holding at least ``minimum`` people the reader does not
    know (given one entry per person), or no band when the department has fewer than that."""
    order = sorted(set(levels), key=level_order)
    count = {level: 0 for level in order}
    for level, is_unknown in zip(levels, unknown, strict=True):
        count[level] += int(is_unknown)
    bands: list[list[int | None]] = []
    run: list[int | None] = []
    size = 0
    for level in order:
        run.append(level)
        size += count[level]
        if size >= minimum:
            bands.append(run)
            run, size = [], 0
    if run and bands:
        bands[-1].extend(run)
    return bands


def organisation_cells(
    department: Sequence[str],
    level: Sequence[int | None],
    leadership: Sequence[float],
    management: Sequence[float],
    *,
    minimum: int,
    known: Sequence[bool] | None = None,
) -> OrganisationCells:
    """Mean leadership and management by department and level band, each participant in one
    shown cell or hidden (see the module docstring for the rule).

    Participants without both scores (NaN) take no part. ``known`` marks the participants whose
    scores the reader can read elsewhere (by default, nobody's); they are placed in cells like
    everyone else but do not count towards the minimum.

    Examples
    --------
    >>> view = organisation_cells(["Eng"] * 5 + ["Ops"] * 2, [3, 3, 3, 4, 4, 2, 2],
    ...                           [3.0, 4.0, 5.0, 2.0, 3.0, 4.0, 4.0], [3.0] * 7, minimum=3)
    >>> [(c.department, c.levels, c.n, c.leadership) for c in view.cells]
    [('Eng', (3, 4), 5, 3.4)]
    >>> view.hidden
    2
    """
    if minimum < 1:
        raise ValueError(f"minimum must be at least 1; got {minimum}")
    lead = np.asarray(leadership, dtype=float)
    manage = np.asarray(management, dtype=float)
    reader_knows = [False] * lead.size if known is None else [bool(k) for k in known]
    if not (len(department) == len(level) == lead.size == manage.size == len(reader_knows)):
        raise ValueError("department, level, leadership, management and known need one entry each")
    scored = [k for k in range(lead.size) if np.isfinite(lead[k]) and np.isfinite(manage[k])]
    by_department: dict[str, list[int]] = {}
    for k in scored:
        by_department.setdefault(str(department[k]), []).append(k)
    cells: list[OrganisationCell] = []
    small: list[int] = []

    def cell(name: str, levels: tuple[int | None, ...], members: list[int]) -> OrganisationCell:
        return OrganisationCell(
            department=name,
            levels=levels,
            n=len(members),
            leadership=float(lead[members].mean()),
            management=float(manage[members].mean()),
        )

    for name in sorted(by_department):
        members = by_department[name]
        bands = _bands([level[k] for k in members], [not reader_knows[k] for k in members], minimum)
        if not bands:
            small.extend(members)
            continue
        for band in bands:
            chosen = [k for k in members if level[k] in band]
            cells.append(cell(name, tuple(band), chosen))
    hidden = 0
    if sum(not reader_knows[k] for k in small) >= minimum:
        levels = tuple(sorted({level[k] for k in small}, key=level_order))
        cells.append(cell(OTHER_DEPARTMENTS, levels, small))
    else:
        hidden = len(small)
    return OrganisationCells(minimum=minimum, n=len(scored), cells=tuple(cells), hidden=hidden)


def placement_counts(
    placements: Sequence[str], *, minimum: int, known: Sequence[bool] | None = None
) -> dict[str, int] | None:
    """How many participants have each placement, or None when that would tell someone's
    (``known`` marks the placements the reader can read elsewhere).

    Examples
    --------
    >>> placement_counts(["leader", "manager", "leader", "emerging"], minimum=3)
    {'emerging': 1, 'leader': 2, 'manager': 1}
    >>> placement_counts(["leader"] * 6, minimum=3) is None  # everyone's placement
    True
    >>> placement_counts(["leader", "manager", "manager", "manager"], minimum=3,
    ...                  known=[True, False, False, False]) is None  # the rest all "manager"
    True
    """
    reader_knows = [False] * len(placements) if known is None else [bool(k) for k in known]
    if len(reader_knows) != len(placements):
        raise ValueError("placements and known need one entry each")
    unknown = [p for p, k in zip(placements, reader_knows, strict=True) if p and not k]
    if len(unknown) < max(minimum, 1) or len(set(unknown)) == 1:
        return None
    given = [p for p in placements if p]
    return {p: given.count(p) for p in sorted(set(given))}
