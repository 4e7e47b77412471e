"""Scoring a whole 360 at once agrees with the one-measure entry point, and hides what it must."""

from __future__ import annotations

import json

import numpy as np
import pytest

from tandem.measure import (
    GROUPS,
    SLOTS,
    NormTable,
    long_to_wide,
    ratee_dicts,
    score_360,
)
from tandem.measure.answers import DuplicateAnswerError
from tandem.measure.disclosure import person_figures
from tests.measure.builders import TEAM, instrument, team_rows


def wide_team(rows: list[list[str]] | None = None):
    inst = instrument()
    rows = team_rows(inst) if rows is None else rows
    ratees = sorted({r[0] for r in rows})
    pairs: dict[tuple[str, str], int] = {}
    pair_group: list[str] = []
    items = [it.id for it in inst.all_items]
    p, i, v = [], [], []
    for ratee, rater, group, item, value in rows:
        if (ratee, rater) not in pairs:
            pairs[(ratee, rater)] = len(pairs)
            pair_group.append(group)
        p.append(pairs[(ratee, rater)])
        i.append(items.index(item))
        v.append(int(value) if value else -1)
    wide = long_to_wide(p, i, v, n_pairs=len(pairs), n_items=len(items))
    pair_ratee = np.array([ratees.index(r) for r, _ in pairs])
    return inst, ratees, wide, pair_ratee, pair_group, list(pairs)


def scored_team(**options):
    inst, ratees, wide, pair_ratee, pair_group, _ = wide_team()
    return score_360(
        wide,
        ratee=pair_ratee,
        group=pair_group,
        instrument=inst,
        ratee_ids=ratees,
        profile_cuts=(3.0, 3.0),
        **options,
    )


def test_batch_figures_equal_the_one_person_form() -> None:
    inst, ratees, wide, pair_ratee, pair_group, _ = wide_team()
    scored = scored_team()
    rated = wide[:, : len(inst.items)].astype(float)
    rated[rated < 0] = np.nan
    keyed = np.where(inst.reverse_mask(), 6 - rated, rated)
    item_scale = inst.scale_matrix().argmax(axis=1)
    for r, _ratee in enumerate(ratees):
        mine = pair_ratee == r
        one = person_figures(
            keyed[mine],
            [g for g, m in zip(pair_group, mine, strict=True) if m],
            item_scale=item_scale,
            n_scales=len(inst.scale_ids),
        )
        for j in range(len(inst.scale_ids)):
            shown = [
                (
                    SLOTS[k],
                    int(scored.scale_n[r, j, k]),
                    round(float(scored.scale_mean[r, j, k]), 9),
                )
                for k in range(len(SLOTS))
                if scored.scale_n[r, j, k] > 0
            ]
            assert shown == [(a.label, a.n, round(a.mean, 9)) for a in one.scales[j]]
        for i in range(len(inst.items)):
            assert [int(n) for n in scored.item_n[r, i] if n] == [a.n for a in one.items[i]]


def test_small_groups_are_pooled_or_appear_nowhere() -> None:
    reports = {d["ratee"]: d for d in ratee_dicts(scored_team())}
    ana = {a["label"]: a for a in reports["ana"]["scales"]["setting_direction"]}
    assert ana["others"]["groups"] == ("direct_report", "other") and ana["others"]["n"] == 3
    assert "direct_report" not in ana
    ben = reports["ben"]
    text = json.dumps({k: v for k, v in ben.items() if k != "minimums"})
    assert '"peer"' not in text  # two peers: below the minimum, nothing to pool them with
    for aggregates in list(ben["scales"].values()) + list(ben["items"].values()):
        assert all("peer" not in a["groups"] for a in aggregates)


def test_not_observed_answers_can_hide_an_item_for_a_group() -> None:
    reports = {d["ratee"]: d for d in ratee_dicts(scored_team())}
    # Peer 'paz' said "not observed" to pb1, leaving 2 peer answers: the peers' figure for pb1
    # is hidden, and their two answers are not moved into another figure there (the pool or
    # everyone-except-you), where the scale figures would let a reader take them back out.
    pb1 = {a["label"]: a for a in reports["ana"]["items"]["pb1"]}
    assert "peer" not in pb1
    assert pb1["others"]["groups"] == ("direct_report", "other")
    assert pb1["all_others"]["groups"] == ("manager", "direct_report", "other")
    assert pb1["all_others"]["n"] == 4
    pb2 = {a["label"] for a in reports["ana"]["items"]["pb2"]}
    assert "peer" in pb2


def test_reordering_raters_changes_nothing() -> None:
    rows = team_rows()
    rng = np.random.default_rng(5)
    shuffled = [rows[i] for i in rng.permutation(len(rows))]
    a = list(ratee_dicts(scored_team()))
    inst, ratees, wide, pair_ratee, pair_group, _ = wide_team(shuffled)
    b = list(
        ratee_dicts(
            score_360(
                wide,
                ratee=pair_ratee,
                group=pair_group,
                instrument=inst,
                ratee_ids=ratees,
                profile_cuts=(3.0, 3.0),
            )
        )
    )
    assert a == b


def test_self_other_profile_and_self_sections_are_reported() -> None:
    report = next(ratee_dicts(scored_team()))
    assert set(report) >= {
        "scales",
        "items",
        "profile",
        "self_other",
        "norms",
        "self_sections",
        "others_estimate",
    }
    so = report["self_other"]["scales"]["planning_budgeting"]
    assert so["difference"] == pytest.approx(so["self"] - so["others"], abs=1e-3)
    plain, reverse = report["self_other"]["items"]["pb1"], report["self_other"]["items"]["pb5"]
    assert plain["difference"] == pytest.approx(plain["self"] - plain["others"], abs=1e-3)
    assert reverse["difference"] == pytest.approx(reverse["others"] - reverse["self"], abs=1e-3)
    assert report["profile"]["placement"] in {
        "leader-manager",
        "leader",
        "manager",
        "emerging",
        "borderline",
    }
    assert set(report["self_sections"]["motivation_to_manage"]) == {
        "developing_people",
        "advancement_status",
    }


def test_a_stored_norm_table_is_used() -> None:
    first = scored_team()
    again = scored_team(norms=NormTable.from_dict(first.norms.to_dict()))
    np.testing.assert_allclose(first.percentile, again.percentile)


def test_self_only_items_from_others_are_refused() -> None:
    inst, ratees, wide, pair_ratee, pair_group, _ = wide_team()
    wide[1, len(inst.items)] = 3  # max (manager) answers a self-only item
    with pytest.raises(ValueError, match="rater 2 is not 'self' but answered self-only items"):
        score_360(wide, ratee=pair_ratee, group=pair_group, instrument=inst, ratee_ids=ratees)


def test_answers_out_of_range_are_refused() -> None:
    inst, ratees, wide, pair_ratee, pair_group, _ = wide_team()
    wide[0, 0] = 7
    with pytest.raises(ValueError, match=r"answer 7 of rater 1 to item 'pb1' is outside 1\.\.5"):
        score_360(wide, ratee=pair_ratee, group=pair_group, instrument=inst, ratee_ids=ratees)


def test_unknown_groups_are_refused() -> None:
    inst, ratees, wide, pair_ratee, pair_group, _ = wide_team()
    pair_group[0] = "boss"
    with pytest.raises(ValueError, match="unknown rater group 'boss'"):
        score_360(wide, ratee=pair_ratee, group=pair_group, instrument=inst, ratee_ids=ratees)


def test_long_to_wide_finds_duplicates() -> None:
    with pytest.raises(DuplicateAnswerError) as info:
        long_to_wide([0, 1, 0], [2, 2, 2], [1, 2, 3], n_pairs=2, n_items=3)
    assert info.value.rows == (0, 2)


def test_team_fixture_is_what_the_docs_say() -> None:
    assert [g for _r, g in TEAM["ben"]] == ["self", "manager", "peer", "peer"]
    assert set(GROUPS) >= {g for raters in TEAM.values() for _r, g in raters}
