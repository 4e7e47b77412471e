"""The anonymity rule, proved over random rater mixes (hypothesis).

The promise: from everything shown about one measure, nobody can work out the ratings of a
set of raters smaller than that set's minimum. Shown aggregates are sums over rater sets; what
can be computed from them is any union of the "cells" those sets cut the raters into. So we
check that every pair of shown sets is nested or disjoint, that every difference of nested
sets is made of whole shown atoms, and that every cell meets the largest minimum of the groups
in it, including the "all raters except self" figure.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.measure import (
    DEFAULT_MINIMUMS,
    GROUPS,
    SLOTS,
    anonymity_plan,
    visibility_masks,
    visible_aggregates,
)

counts_strategy = st.lists(st.integers(0, 7), min_size=5, max_size=5)
minimums_strategy = st.fixed_dictionaries({g: st.integers(1, 5) for g in GROUPS}) | st.just(
    dict(DEFAULT_MINIMUMS)
)


def raters_for(counts: list[int]) -> list[tuple[str, str]]:
    """(rater id, group) for every rater, e.g. ('peer-2', 'peer')."""
    return [(f"{g}-{k}", g) for g, n in zip(GROUPS, counts, strict=True) for k in range(n)]


def shown_sets(counts: list[int], minimums: dict[str, int]) -> dict[str, frozenset[str]]:
    plan = anonymity_plan([g for _r, g in raters_for(counts)], minimums=minimums)
    raters = raters_for(counts)
    return {
        label: frozenset(r for r, g in raters if g in groups) for label, groups, _n in plan.shown
    }


@given(counts_strategy, minimums_strategy)
def test_shown_aggregates_are_nested_or_disjoint(
    counts: list[int], minimums: dict[str, int]
) -> None:
    sets = list(shown_sets(counts, minimums).values())
    for a in sets:
        for b in sets:
            assert a <= b or b <= a or not (a & b)


@given(counts_strategy, minimums_strategy)
def test_every_computable_cell_meets_its_minimum(
    counts: list[int], minimums: dict[str, int]
) -> None:
    sets = shown_sets(counts, minimums)
    raters = dict(raters_for(counts))
    signature: dict[tuple[str, ...], set[str]] = {}
    for rater in raters:
        member_of = tuple(sorted(label for label, s in sets.items() if rater in s))
        if member_of:
            signature.setdefault(member_of, set()).add(rater)
    for cell in signature.values():
        needed = max(minimums[raters[r]] for r in cell)
        assert len(cell) >= needed, (counts, minimums, cell)


@given(counts_strategy, minimums_strategy)
def test_no_difference_of_fewer_than_the_minimum(
    counts: list[int], minimums: dict[str, int]
) -> None:
    sets = shown_sets(counts, minimums)
    raters = dict(raters_for(counts))
    for a in sets.values():
        for b in sets.values():
            if a < b:
                difference = b - a
                needed = max(minimums[raters[r]] for r in difference)
                # The difference is itself a union of shown atoms, each at its minimum.
                assert len(difference) >= needed
                atoms = [s for label, s in sets.items() if label not in ("all_others",)]
                covered = set().union(*(s for s in atoms if s <= difference))
                assert covered == difference


@given(counts_strategy, minimums_strategy)
def test_a_group_below_its_minimum_is_pooled_or_nowhere(
    counts: list[int], minimums: dict[str, int]
) -> None:
    sets = shown_sets(counts, minimums)
    raters = raters_for(counts)
    for g, n in zip(GROUPS, counts, strict=True):
        if 0 < n < minimums[g]:
            members = {r for r, group in raters if group == g}
            holders = [label for label, s in sets.items() if members & s]
            assert set(holders) <= {"others", "all_others"}
            if holders:
                pool = sets["others"]
                assert members <= pool
                assert len(pool) >= max(minimums[dict(raters)[r]] for r in pool)


@given(counts_strategy, minimums_strategy)
def test_all_except_self_is_exactly_the_shown_others(
    counts: list[int], minimums: dict[str, int]
) -> None:
    sets = shown_sets(counts, minimums)
    others = set().union(*(s for label, s in sets.items() if label not in ("self", "all_others")))
    assert sets.get("all_others", frozenset()) == others
    assert not any(r.startswith("self-") for r in sets.get("all_others", frozenset()))


@given(counts_strategy, minimums_strategy)
def test_every_shown_aggregate_meets_its_minimum(
    counts: list[int], minimums: dict[str, int]
) -> None:
    plan = anonymity_plan([g for _r, g in raters_for(counts)], minimums=minimums)
    for label, groups, n in plan.shown:
        if label != "all_others":
            assert n >= max(minimums[g] for g in groups)


@given(counts_strategy, minimums_strategy, st.randoms(use_true_random=False))
def test_order_of_raters_changes_nothing(
    counts: list[int], minimums: dict[str, int], rnd: object
) -> None:
    raters = raters_for(counts)
    values = np.arange(len(raters), dtype=float)
    before = visible_aggregates(values, [g for _r, g in raters], minimums=minimums)
    order = list(range(len(raters)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    after = visible_aggregates(values[order], [raters[i][1] for i in order], minimums=minimums)
    assert [(a.label, a.groups, a.n) for a in before] == [(a.label, a.groups, a.n) for a in after]
    np.testing.assert_allclose([a.mean for a in before], [a.mean for a in after])


@settings(max_examples=50)
@given(st.lists(counts_strategy, min_size=1, max_size=20), minimums_strategy)
def test_vectorised_rule_equals_the_single_call(
    batch: list[list[int]], minimums: dict[str, int]
) -> None:
    masks = visibility_masks(np.array(batch, dtype=np.int64), minimums=minimums)
    for counts, mask in zip(batch, masks, strict=True):
        plan = anonymity_plan([g for _r, g in raters_for(counts)], minimums=minimums)
        from_masks = [
            (SLOTS[s], tuple(GROUPS[g] for g in range(5) if mask[s, g]))
            for s in range(6)
            if mask[s].any()
        ]
        assert from_masks == [(label, groups) for label, groups, _n in plan.shown]


@given(st.lists(st.sampled_from(GROUPS), max_size=25), st.data())
def test_means_are_over_exactly_the_shown_raters(groups: list[str], data: st.DataObject) -> None:
    values = np.array(
        data.draw(
            st.lists(
                st.one_of(st.none(), st.integers(1, 5)), min_size=len(groups), max_size=len(groups)
            )
        ),
        dtype=float,
    )
    for aggregate in visible_aggregates(values, groups):
        chosen = [
            v for v, g in zip(values, groups, strict=True) if g in aggregate.groups and v == v
        ]
        assert aggregate.n == len(chosen)
        assert aggregate.mean == pytest.approx(float(np.mean(chosen)))


def test_not_observed_answers_do_not_count_towards_a_group() -> None:
    # Three peers, but one said "not observed": two answers cannot be shown as "peer".
    groups = ["manager", "peer", "peer", "peer"]
    shown = visible_aggregates([4, 5, 3, np.nan], groups)
    assert [a.label for a in shown] == ["manager", "all_others"]
    assert shown[-1].n == 1


def test_the_pool_needs_the_largest_minimum_of_its_groups() -> None:
    plan = anonymity_plan(["peer"] * 3 + ["other"], minimums={"peer": 5})
    assert plan.shown == ()
    assert plan.left_out == ("peer", "other")


def test_unknown_group_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown rater group 'boss'"):
        visible_aggregates([1.0], ["boss"])
    with pytest.raises(ValueError, match="at least 1"):
        anonymity_plan(["peer"], minimums={"peer": 0})
