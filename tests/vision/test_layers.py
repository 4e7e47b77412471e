"""Teams layer by layer, and the organisation's next step: pure functions over plain ids."""

from __future__ import annotations

import doctest

from hypothesis import given
from hypothesis import strategies as st

from tandem.vision import health
from tandem.vision.health import Health, Step, next_step, team_places

U, OK = Health.UNTRANSLATED, Health.OK

# Cora leads Dan and Dee; Dan leads Mo and Al; Dee leads Zed.
TREE: dict[int, int | None] = {1: None, 2: 1, 3: 1, 4: 2, 5: 2, 6: 3}
NAMES = {1: "Cora", 2: "Dan", 3: "Dee", 4: "Mo", 5: "Al", 6: "Zed"}


def _places(translated: set[int], *, has_vision: bool = True) -> list[health.TeamPlace]:
    return team_places(
        team_above=TREE,
        health={t: OK if t in translated else U for t in TREE},
        has_vision=has_vision,
        names=NAMES,
    )


def test_the_doctests_hold() -> None:
    assert doctest.testmod(health).failed == 0


def test_teams_come_layer_by_layer_with_each_teams_teams_together() -> None:
    places = _places(set())
    assert [(p.team_id, p.layer) for p in places] == [
        (1, 1),
        (2, 2),
        (3, 2),
        (5, 3),  # Al and Mo under Dan (first in layer 2), by name ...
        (4, 3),
        (6, 3),  # ... then Zed under Dee
    ]


def test_in_a_new_organisation_everyone_waits_for_the_vision() -> None:
    places = _places(set(), has_vision=False)
    assert all(p.waiting and not p.next for p in places)
    step = next_step(has_vision=False, places=places, goals={})
    assert step.step == Step.VISION and step.team_ids == (1,)


def test_once_the_vision_is_written_the_top_team_is_next_and_the_rest_wait() -> None:
    places = _places(set())
    assert [p.team_id for p in places if p.next] == [1]
    assert [p.team_id for p in places if p.waiting] == [2, 3, 5, 4, 6]
    step = next_step(has_vision=True, places=places, goals={})
    assert (step.step, step.team_ids, step.layer) == (Step.TRANSLATE, (1,), 1)


def test_a_gap_is_a_team_whose_team_above_translated_and_it_did_not() -> None:
    places = {p.team_id: p for p in _places({1, 2, 4})}
    assert places[3].next  # Dee: Cora translated, Dee has not
    assert places[5].next  # Al: Dan translated, Al has not
    assert places[6].waiting  # Zed: Dee has not translated yet, so there is nothing to take
    step = next_step(has_vision=True, places=places.values(), goals={})
    # The shallowest gap first: Dee in layer 2, before Al in layer 3.
    assert (step.step, step.team_ids, step.layer) == (Step.TRANSLATE, (3,), 2)


def test_a_team_can_translate_ahead_of_the_team_above() -> None:
    # Mo linked straight to the vision before Dan wrote anything: Mo is translated, Dan next.
    places = {p.team_id: p for p in _places({1, 4})}
    assert places[4].health == OK and not places[4].waiting
    assert places[2].next and places[5].waiting


def test_when_every_team_has_translated_stale_then_unlinked_goals_come_next() -> None:
    places = _places(set(TREE))
    assert next_step(has_vision=True, places=places, goals={1: OK}).step == Step.DONE
    goals = {1: OK, 2: Health.STALE, 3: Health.UNLINKED, 4: Health.STALE}
    step = next_step(has_vision=True, places=places, goals=goals)
    assert (step.step, step.count) == (Step.CONFIRM, 2)
    step = next_step(has_vision=True, places=places, goals={1: OK, 3: Health.UNLINKED})
    assert (step.step, step.count) == (Step.LINK, 1)


def test_a_loop_in_the_reporting_lines_does_not_hang() -> None:
    places = team_places(team_above={1: 2, 2: 1, 3: 2}, health={}, has_vision=True)
    assert sorted(p.team_id for p in places) == [1, 2, 3]
    layer = {p.team_id: p.layer for p in places}
    assert [p.above for p in places if p.layer == 1] == [None]  # the loop is cut once
    assert all(layer[p.above] == p.layer - 1 for p in places if p.above is not None)


def test_a_manager_outside_the_teams_counts_as_the_top() -> None:
    # Team 2's manager (9) leads no team (archived, or has no active reports of their own).
    (place,) = team_places(team_above={2: 9}, health={2: U}, has_vision=True)
    assert (place.layer, place.above, place.next) == (1, None, True)


@st.composite
def forests(draw: st.DrawFn) -> dict[int, int | None]:
    """Reporting lines without loops: each team's manager is an earlier team or nobody."""
    n = draw(st.integers(min_value=1, max_value=30))
    tree: dict[int, int | None] = {1: None}
    for team in range(2, n + 1):
        tree[team] = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=team - 1)))
    return tree


@given(forests(), st.sets(st.integers(min_value=1, max_value=30)), st.booleans())
def test_layers_are_consistent_and_ordered(
    tree: dict[int, int | None], translated: set[int], has_vision: bool
) -> None:
    places = team_places(
        team_above=tree,
        health={t: OK if t in translated else U for t in tree},
        has_vision=has_vision,
    )
    assert sorted(p.team_id for p in places) == sorted(tree)
    layer = {p.team_id: p.layer for p in places}
    assert [p.layer for p in places] == sorted(p.layer for p in places)
    position = {p.team_id: i for i, p in enumerate(places)}
    for place in places:
        if place.above is None:
            assert place.layer == 1
        else:
            assert place.layer == layer[place.above] + 1
            assert position[place.above] < position[place.team_id]
        # Every untranslated team is exactly one of next or waiting.
        if place.health == U:
            assert place.next != place.waiting
        else:
            assert not place.next and not place.waiting
