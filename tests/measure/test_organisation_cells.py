"""tandem.measure.organisation: the organisation view's cells never let a figure be undone."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.measure.organisation import (
    OTHER_DEPARTMENTS,
    organisation_cells,
    placement_counts,
)

people = st.lists(
    st.tuples(
        st.sampled_from(["Eng", "Ops", "Sales", "Legal", "HR"]),
        st.sampled_from([1, 2, 3, 4, None]),
        st.integers(10, 50),
        st.integers(10, 50),
    ),
    min_size=0,
    max_size=60,
)


def _members(rows, cell, pooled_departments):  # type: ignore[no-untyped-def]
    if cell.department == OTHER_DEPARTMENTS:
        return [k for k, r in enumerate(rows) if r[0] in pooled_departments]
    return [k for k, r in enumerate(rows) if r[0] == cell.department and r[1] in cell.levels]


@settings(max_examples=200, deadline=None)
@given(rows=people, minimum=st.integers(1, 6))
def test_every_participant_is_in_one_shown_cell_or_hidden(rows, minimum) -> None:  # type: ignore[no-untyped-def]
    department = [r[0] for r in rows]
    level = [r[1] for r in rows]
    lead = [r[2] / 10 for r in rows]
    manage = [r[3] / 10 for r in rows]
    view = organisation_cells(department, level, lead, manage, minimum=minimum)
    named = {c.department for c in view.cells} - {OTHER_DEPARTMENTS}
    pooled = set(department) - named
    seen: list[int] = []
    for cell in view.cells:
        members = _members(rows, cell, pooled)
        assert cell.n == len(members) >= minimum
        # Exact: the shown mean is these people's mean, so the figure's support is this set.
        assert cell.leadership == pytest.approx(np.mean([lead[k] for k in members]))
        assert cell.management == pytest.approx(np.mean([manage[k] for k in members]))
        seen.extend(members)
    assert len(seen) == len(set(seen)), "cells are disjoint: no subtraction isolates anyone"
    assert len(seen) + view.hidden == view.n == len(rows)
    # Bands are contiguous runs of the department's levels.
    for cell in view.cells:
        if cell.department != OTHER_DEPARTMENTS:
            present = sorted(
                {r[1] for r in rows if r[0] == cell.department}, key=lambda v: (v is None, v or 0)
            )
            positions = [present.index(v) for v in cell.levels]
            assert positions == list(range(positions[0], positions[0] + len(positions)))


def test_people_without_both_scores_take_no_part() -> None:
    view = organisation_cells(
        ["Eng"] * 4, [1, 1, 1, 1], [3.0, 3.0, float("nan"), 4.0], [3.0] * 4, minimum=3
    )
    assert view.n == 3 and view.cells[0].n == 3
    assert view.cells[0].leadership == pytest.approx(10 / 3)


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        organisation_cells([], [], [], [], minimum=0)
    with pytest.raises(ValueError, match="one entry each"):
        organisation_cells(["Eng"], [], [3.0], [3.0], minimum=3)


def test_placements_are_counted_only_when_no_one_is_told_theirs() -> None:
    assert placement_counts(["leader", "leader"], minimum=3) is None  # too few
    assert placement_counts(["manager"] * 10, minimum=3) is None  # everyone in one
    assert placement_counts(["manager"] * 9 + ["leader", ""], minimum=3) == {
        "leader": 1,
        "manager": 9,
    }
