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
        st.booleans(),
    ),
    min_size=0,
    max_size=60,
)


def _members(rows, cell, pooled_departments):  # type: ignore[no-untyped-def]
    if cell.department == OTHER_DEPARTMENTS:
        return [k for k, r in enumerate(rows) if r[0] in pooled_departments]
    return [k for k, r in enumerate(rows) if r[0] == cell.department and r[1] in cell.levels]


@settings(max_examples=200, deadline=None)
@given(rows=people, minimum=st.integers(1, 6), reader_knows_some=st.booleans())
def test_every_participant_is_in_one_shown_cell_or_hidden(rows, minimum, reader_knows_some) -> None:  # type: ignore[no-untyped-def]
    department = [r[0] for r in rows]
    level = [r[1] for r in rows]
    lead = [r[2] / 10 for r in rows]
    manage = [r[3] / 10 for r in rows]
    known = [r[4] and reader_knows_some for r in rows]
    view = organisation_cells(department, level, lead, manage, minimum=minimum, known=known)
    named = {c.department for c in view.cells} - {OTHER_DEPARTMENTS}
    pooled = set(department) - named
    seen: list[int] = []
    for cell in view.cells:
        members = _members(rows, cell, pooled)
        assert cell.n == len(members)
        # Taking away the scores the reader can read leaves at least `minimum` people.
        assert sum(not known[k] for k in members) >= minimum
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


def test_what_the_reader_knows_does_not_count_towards_the_minimum() -> None:
    department, level = ["Eng"] * 4, [1, 1, 2, 2]
    scores = [3.0, 4.0, 2.0, 5.0]
    alone = organisation_cells(department, level, scores, scores, minimum=2)
    assert [c.levels for c in alone.cells] == [(1,), (2,)]
    # Reading the first person's report, a level-1 cell of two would give away the other's.
    knowing = organisation_cells(
        department, level, scores, scores, minimum=2, known=[True, False, False, False]
    )
    assert [(c.levels, c.n) for c in knowing.cells] == [((1, 2), 4)]
    everyone = organisation_cells(department, level, scores, scores, minimum=2, known=[True] * 4)
    assert everyone.cells == () and everyone.hidden == 4


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
    with pytest.raises(ValueError, match="one entry each"):
        organisation_cells(["Eng"], [1], [3.0], [3.0], minimum=3, known=[])
    with pytest.raises(ValueError, match="one entry each"):
        placement_counts(["leader"], minimum=1, known=[True, False])


def test_placements_are_counted_only_when_no_one_is_told_theirs() -> None:
    assert placement_counts(["leader", "leader"], minimum=3) is None  # too few
    assert placement_counts(["manager"] * 10, minimum=3) is None  # everyone in one
    assert placement_counts(["manager"] * 9 + ["leader", ""], minimum=3) == {
        "leader": 1,
        "manager": 9,
    }


def test_placements_the_reader_knows_do_not_count() -> None:
    placements = ["leader", "manager", "manager", "manager"]
    assert placement_counts(placements, minimum=3) == {"leader": 1, "manager": 3}
    # Knowing the one leader's report, the counts would tell the other three theirs.
    assert placement_counts(placements, minimum=3, known=[True, False, False, False]) is None
    # Knowing one of the managers leaves three unknown people with two placements: shown.
    assert placement_counts(placements, minimum=3, known=[False, True, False, False]) == {
        "leader": 1,
        "manager": 3,
    }
