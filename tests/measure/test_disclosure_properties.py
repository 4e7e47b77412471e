"""Anonymity against every combination of figures: proved on random rater mixes (hypothesis).

The careful reader (``tests/measure/careful_reader.py``) takes every number a report shows
about one person, learns exactly how each depends on every answer, and checks with exact
arithmetic in two prime fields that no single answer, and no combination of the answers of a
set of raters below its minimum, can be worked out by the participant or by their manager.
``bench/bench_anonymity.py`` runs the same check on 100,000 mixes; here a smaller sample runs
every time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.measure import (
    DEFAULT_MINIMUMS,
    GROUPS,
    SLOTS,
    ratee_dicts,
    score_360,
)
from tandem.measure.disclosure import disclose, person_figures
from tests.measure import disclosure_reference as reference
from tests.measure.careful_reader import (
    Mix,
    figures,
    find_leaks,
    keyed,
    linear_forms,
    per_figure_reports,
    random_mix,
    stored_norms,
    tiny_instrument,
)

INSTRUMENT = tiny_instrument()
ITEM_SCALE = [0, 0, 0, 1, 1, 1]


def slow(examples: int) -> settings:
    return settings(
        deadline=None, max_examples=examples, suppress_health_check=[HealthCheck.too_slow]
    )


@st.composite
def mixes(draw: Any) -> Mix:
    """Self 0-1 (a second self sheet is refused), 0-8 raters in every other group, random
    minimums or the defaults, a random share to answer and random "not observed" answers."""
    counts = [draw(st.integers(0, 1))] + [draw(st.integers(0, 8)) for _ in GROUPS[1:]]
    groups = tuple(g for g, k in zip(GROUPS, counts, strict=True) for _ in range(k))
    minimums = draw(
        st.just(dict(DEFAULT_MINIMUMS))
        | st.fixed_dictionaries({g: st.integers(1, 5) for g in GROUPS})
    )
    min_answered = draw(st.sampled_from([0.2, 1 / 3, 0.5, 2 / 3, 1.0]))
    missing = draw(st.sampled_from([0.0, 0.15, 0.4, 0.7]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    answers = rng.integers(1, 6, size=(len(groups), 6))
    answers[rng.random(answers.shape) < missing] = -1
    return Mix(groups, answers, minimums, min_answered)


@slow(60)
@given(mixes())
def test_no_combination_of_shown_figures_isolates_a_protected_set(mix: Mix) -> None:
    leaks = find_leaks(mix, INSTRUMENT, np.random.default_rng(0))
    assert not leaks, f"{leaks[:3]}\n{mix.describe()}"


def test_the_careful_reader_catches_the_rule_as_it_was() -> None:
    rng = np.random.default_rng(13)
    caught = 0
    for _ in range(40):
        mix = random_mix(rng)
        caught += bool(find_leaks(mix, INSTRUMENT, np.random.default_rng(0), per_figure_reports))
    assert caught >= 10  # measured: 19 of these 40 mixes leak under the per-measure rule


def test_the_quick_feedback_attack_from_the_issue_is_caught_then_closed() -> None:
    # Four colleagues; three answer the whole scale, the fourth only its first item.
    answers = np.array(
        [[4, 5, 3, 4, 4, 4], [3, 4, 4, 3, 5, 4], [5, 4, 2, 4, 3, 5], [2, -1, -1, 4, 4, 4]]
    )
    mix = Mix(("other",) * 4, answers, dict(DEFAULT_MINIMUMS), 0.5)
    old = find_leaks(mix, INSTRUMENT, np.random.default_rng(0), per_figure_reports)
    assert old and all(3 in leak.raters for leak in old)  # every leaking set holds the fourth
    assert find_leaks(mix, INSTRUMENT, np.random.default_rng(0)) == []


@slow(15)
@given(mixes())
def test_the_batched_check_agrees_with_one_rank_per_set(mix: Mix) -> None:
    for score in (None, per_figure_reports):
        batched = find_leaks(mix, INSTRUMENT, np.random.default_rng(1), score)
        plain = find_leaks(mix, INSTRUMENT, np.random.default_rng(1), score, plain=True)
        assert set(batched) == set(plain), mix.describe()


@slow(150)
@given(mixes())
def test_the_kernel_gives_the_figures_of_the_rule_written_plainly(mix: Mix) -> None:
    answers = keyed(mix.answers)
    present = answers >= 1
    shown = disclose(
        np.where(present, answers, 0),
        present,
        ratee=np.zeros(len(mix.groups), dtype=np.int64),
        group=np.array([GROUPS.index(g) for g in mix.groups], dtype=np.int64),
        item_scale=ITEM_SCALE,
        n_ratees=1,
        n_scales=2,
        minimums=mix.minimums,
        min_answered=mix.min_answered,
    )
    plain = [[int(v) if v >= 1 else None for v in row] for row in answers.tolist()]
    scales, items = reference.person(
        plain, mix.groups, ITEM_SCALE, 2, mix.minimums, mix.min_answered
    )
    ours_scales = {
        (s, SLOTS[k]): (int(shown.scale_n[0, s, k]), float(shown.scale_mean[0, s, k]))
        for s in range(2)
        for k in range(len(SLOTS))
        if shown.scale_n[0, s, k] > 0
    }
    ours_items = {
        (i, SLOTS[k]): (int(shown.item_n[0, i, k]), float(shown.item_mean[0, i, k]))
        for i in range(6)
        for k in range(len(SLOTS))
        if shown.item_n[0, i, k] > 0
    }
    assert ours_scales.keys() == scales.keys()
    assert ours_items.keys() == items.keys()
    for key, (n, mean) in scales.items():
        assert ours_scales[key][0] == n and ours_scales[key][1] == pytest.approx(mean, abs=1e-12)
    for key, (n, mean) in items.items():
        assert ours_items[key][0] == n and ours_items[key][1] == pytest.approx(mean, abs=1e-12)


@slow(40)
@given(mixes())
def test_counted_marks_exactly_the_answers_some_figure_rests_on(mix: Mix) -> None:
    forms = linear_forms(mix, INSTRUMENT)
    used = {forms.cells[u] for row in forms.rows for u, c in enumerate(row) if c}
    scored = score_360(
        mix.answers,
        ratee=np.zeros(len(mix.groups), dtype=np.int64),
        group=list(mix.groups),
        instrument=INSTRUMENT,
        minimums=mix.minimums,
        min_answered=mix.min_answered,
        profile_cuts=(3.0, 3.0),
    )
    counted = {(int(r), int(j)) for r, j in np.argwhere(scored.counted)}
    assert counted == used


@st.composite
def cycles(draw: Any) -> list[Mix]:
    """Several people scored together, sharing settings (as one cycle is)."""
    people = draw(st.lists(mixes(), min_size=3, max_size=5))
    first = people[0]
    return [Mix(p.groups, p.answers, first.minimums, first.min_answered) for p in people]


@slow(30)
@given(cycles(), st.integers(0, 2**32 - 1))
def test_answers_outside_every_shown_figure_change_nothing_anyone_sees(
    people: list[Mix], seed: int
) -> None:
    """With the cycle's own norms, cuts and rater ICC (everything fitted from the answers)."""
    answers = np.vstack([p.answers for p in people])
    ratee = np.repeat(np.arange(len(people)), [len(p.groups) for p in people])
    groups = [g for p in people for g in p.groups]

    def score(table: np.ndarray) -> Any:
        return score_360(
            table,
            ratee=ratee,
            group=groups,
            instrument=INSTRUMENT,
            minimums=people[0].minimums,
            min_answered=people[0].min_answered,
        )

    before = score(answers)
    outside = (answers >= 1) & ~before.counted
    rng = np.random.default_rng(seed)
    moved = answers.copy()
    moved[outside] = rng.integers(1, 6, size=int(outside.sum()))
    after = score(moved)
    assert (after.counted == before.counted).all()
    assert list(ratee_dicts(after, digits=None)) == list(ratee_dicts(before, digits=None))


def test_a_colleague_who_answered_too_little_is_in_no_figure() -> None:
    nan = float("nan")
    values = [[4, 4, 5, 3, 2], [3, 5, 4, 4, 4], [5, 3, 3, 4, 3], [1, nan, nan, nan, nan]]
    shown = person_figures(values, ["other"] * 4, item_scale=[0] * 5, n_scales=1)
    assert [a.n for a in shown.scales[0]] == [3, 3]
    assert all(a.n == 3 for item in shown.items for a in item)
    assert shown.counted == (True, True, True, False)
    # The first item's figure is the mean of the three who count, not of all four.
    assert shown.items[0][0].mean == pytest.approx(4.0)


def test_a_group_that_drops_below_its_minimum_on_an_item_is_not_moved_into_the_pool() -> None:
    # Three peers and three others; one peer did not observe item 2: the peers' cell there has
    # two answers, so it is closed, and "everyone except you" on item 2 holds the others only.
    nan = float("nan")
    values = [[4, 5, 4], [3, 4, 4], [5, nan, 3], [2, 3, 4], [3, 3, 3], [4, 2, 5]]
    groups = ["peer"] * 3 + ["other"] * 3
    shown = person_figures(values, groups, item_scale=[0, 0, 0], n_scales=1)
    item_two = {a.label: a for a in shown.items[1]}
    assert "peer" not in item_two
    assert item_two["others"].groups == ("other",) and item_two["others"].n == 3
    assert item_two["all_others"].n == 3
    scale = {a.label: a for a in shown.scales[0]}
    assert scale["peer"].mean == pytest.approx(((4 + 3 + 5) / 3 + (4 + 4 + 3) / 3) / 2)


def test_the_manager_is_never_pooled_and_needs_one_more_when_protected() -> None:
    values = [[4, 4], [3, 3], [5, 5], [2, 2], [4, 4]]
    two_managers = ["manager", "manager", "peer", "peer", "peer"]
    shown = person_figures(
        values, two_managers, item_scale=[0, 0], n_scales=1, minimums={"manager": 2}
    )
    labels = {a.label: a.groups for a in shown.scales[0]}
    assert "manager" not in labels  # two managers, one of whom may read the report
    assert labels["all_others"] == ("peer",)
    one_manager = ["manager", "peer", "peer", "other", "other"]
    pooled = person_figures(
        values, one_manager, item_scale=[0, 0], n_scales=1, minimums={"manager": 2}
    )
    assert all("manager" not in a.groups for a in pooled.scales[0])


def test_a_sheet_with_no_rated_answer_is_not_a_rater() -> None:
    nan = float("nan")
    values = [[4, 4], [3, 3], [nan, nan]]
    shown = person_figures(values, ["peer"] * 3, item_scale=[0, 0], n_scales=1)
    assert shown.scales[0] == () and shown.counted == (False, False, False)


def test_reliability_is_clipped_to_its_range() -> None:
    # Raters of the same person disagree more than raters of different people: ICC(1) < 0.
    rng = np.random.default_rng(3)
    people = 12
    answers = np.vstack(
        [np.tile([[1], [5], [1], [5], [3]], (1, 6)) for _ in range(people)]
    ) + rng.integers(0, 1, size=(people * 5, 6))
    groups = ["peer"] * 5 * people
    scored = score_360(
        answers,
        ratee=np.repeat(np.arange(people), 5),
        group=groups,
        instrument=INSTRUMENT,
        profile_cuts=(3.0, 3.0),
    )
    assert all(0.0 <= v <= 1.0 for v in scored.index_icc1)
    assert np.nanmin(scored.index_reliability) >= 0.0
    assert np.nanmax(scored.index_reliability) <= 1.0
    report = next(ratee_dicts(scored))
    assert report["profile"]["leadership"]["reliability"] == 0.0


def test_figures_reads_every_number_a_report_shows() -> None:
    mix = Mix(("self", "peer", "peer", "peer"), np.full((4, 6), 4), dict(DEFAULT_MINIMUMS), 0.5)
    report = next(
        ratee_dicts(
            score_360(
                mix.answers,
                ratee=np.zeros(4, dtype=np.int64),
                group=list(mix.groups),
                instrument=INSTRUMENT,
                profile_cuts=(3.0, 3.0),
                index_icc1=(0.4, 0.4),
                norms=stored_norms(INSTRUMENT),
            ),
            digits=None,
        )
    )
    names = {"/".join(k) for k in figures(report)}
    assert "scales/lead/peer/mean" in names
    assert "items/l3/all_others/mean" in names
    assert "self_other/scales/manage/difference" in names
    assert "profile/leadership/upper" in names
    assert not any("percentile" in n or "minimums" in n for n in names)
