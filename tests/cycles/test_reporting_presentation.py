"""build_report: real report dicts from score_360 in, a view that shows exactly what they hold.

The story: eight people were rated in one cycle. Ana had her manager, only two peers (the
minimum is three), three direct reports and three others. Her peers must not appear anywhere.
She rates herself high on "talks about changes coming" (others do not see it: a blind spot)
and low on "recognises good work" (others see it clearly: a hidden strength).
"""

from __future__ import annotations

import dataclasses
import doctest
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from tandem.cycles.reporting import charts, numbers, presentation, wording
from tandem.cycles.reporting.numbers import format_percentile, format_score
from tandem.cycles.reporting.presentation import Comment, ReportView, build_report
from tandem.measure import CATEGORIES, PLACEMENTS, Scored360, load_instrument, score_360

INSTRUMENT = load_instrument("tandem-lm-1")
N_RATED = len(INSTRUMENT.items)
N_ALL = len(INSTRUMENT.all_items)
COLUMN = {iid: k for k, iid in enumerate(INSTRUMENT.item_ids)}
RATEES = ("ana", "ben", "cai", "dee", "eli", "fay", "gus", "hal")
BLIND_ITEM = "sd3"  # "They talk about changes coming in our field beyond the current year."
HIDDEN_ITEM = "mi2"  # "They recognise good work specifically and soon after it happens."
COMMENTS = (
    Comment("start", "Share the roadmap a little earlier."),
    Comment("keep", "The Friday notes to the team."),
    Comment("keep", "Staying calm when the release slipped."),
)


def score_cycle(
    *, ana_peers: int = 2, profile_cuts: tuple[float, float] | None = None
) -> Scored360:
    """One cycle's answers, seeded; Ana's peer group has ``ana_peers`` raters."""
    rng = np.random.default_rng(7)
    rows: list[np.ndarray] = []
    ratee: list[int] = []
    groups: list[str] = []
    for r, rid in enumerate(RATEES):
        peers = ana_peers if rid == "ana" else 3
        raters = ["self", "manager", *["peer"] * peers, *["direct_report"] * 3, *["other"] * 3]
        for g in raters:
            answers = rng.integers(2, 5, size=N_ALL)
            if g != "self":
                answers[N_RATED:] = -1
            if rid == "ana":
                own = g == "self"
                answers[COLUMN[BLIND_ITEM]] = 5 if own else 1
                answers[COLUMN[HIDDEN_ITEM]] = 1 if own else 5
            rows.append(answers)
            ratee.append(r)
            groups.append(g)
    return score_360(
        np.array(rows),
        ratee=np.array(ratee),
        group=groups,
        instrument=INSTRUMENT,
        ratee_ids=RATEES,
        profile_cuts=profile_cuts,
    )


def report_of(scored: Scored360, ratee: str = "ana") -> dict[str, Any]:
    return next(d for d in scored.ratee_dicts() if d["ratee"] == ratee)


def view_of(report: dict[str, Any], comments: tuple[Comment, ...] = COMMENTS) -> ReportView:
    return build_report(
        report, INSTRUMENT, comments=comments, person_name="Ana Lima", cycle_name="Spring 2026"
    )


def strings(value: Any) -> Iterator[str]:
    """Every string inside a view (dataclasses, tuples, dicts), chart markup included."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            yield from strings(getattr(value, field.name))
    elif isinstance(value, str):
        yield value
    elif isinstance(value, (tuple, list)):
        for v in value:
            yield from strings(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(k)
            yield from strings(v)


@pytest.fixture(scope="module")
def hidden_peers_report() -> dict[str, Any]:
    return report_of(score_cycle())


@pytest.fixture(scope="module")
def view(hidden_peers_report: dict[str, Any]) -> ReportView:
    return view_of(hidden_peers_report)


def test_the_story_really_has_a_peer_group_below_its_minimum(hidden_peers_report):
    labels = {a["label"] for aggs in hidden_peers_report["scales"].values() for a in aggs}
    assert "peer" not in labels
    assert {"self", "manager", "direct_report", "others", "all_others"} <= labels


def test_it_hides_peers_below_threshold_everywhere_in_the_view(view):
    assert not [s for s in strings(view) if "peer" in s.lower()]
    assert all(row.label != "peer" for scale in view.scales for row in scale.rows)


def test_it_shows_peers_when_enough_answered():
    shown = view_of(report_of(score_cycle(ana_peers=3)))
    assert any(row.title == "Peers" for scale in shown.scales for row in scale.rows)
    assert "at least 3 for peers" in shown.hidden_groups_note


def test_it_shows_exactly_the_aggregates_of_the_dict_with_their_numbers(hidden_peers_report, view):
    for scale in view.scales:
        stored = hidden_peers_report["scales"][scale.id]
        assert [(r.label, r.n, r.mean) for r in scale.rows] == [
            (a["label"], a["n"], a["mean"]) for a in stored
        ]
        assert [r.mean_text for r in scale.rows] == [f"{a['mean']:.2f}" for a in stored]
        stored_pct = hidden_peers_report["norms"][scale.id]["percentile"]
        assert scale.percentile == stored_pct
        assert scale.percentile_text == format_percentile(stored_pct)


def test_scales_carry_their_names_and_roles(view):
    by_id = {s.id: s for s in view.scales}
    assert by_id["setting_direction"].name == "Setting direction"
    assert by_id["setting_direction"].role_title == "Leadership"
    assert by_id["planning_budgeting"].role_title == "Management"
    assert [r.role for r in view.roles] == ["leadership", "management"]
    assert sum(len(r.scales) for r in view.roles) == 6


def test_it_says_in_plain_words_that_small_groups_are_not_shown(view):
    note = view.hidden_groups_note
    assert "Groups below their minimum are not shown" in note
    assert "at least 1 for your manager" in note
    assert "at least 3 for direct reports" in note


def test_placement_numbers_match_the_profile(hidden_peers_report, view):
    profile = hidden_peers_report["profile"]
    assert view.placement is not None
    assert view.placement.code == profile["placement"]
    for ix in view.placement.indices:
        stored = profile[ix.key]
        assert ix.score_text == format_score(stored["score"])
        assert ix.range_text == f"{stored['lower']:.2f} to {stored['upper']:.2f}"
        assert ix.cut_text == f"{stored['cut']:.2f}"
        assert ix.self_text == format_score(stored["self"])
    # Eight people are too few for norm-referenced cuts: the fallback, named as one, and why.
    assert "fallback, not chosen by anyone" in view.placement.cut_text
    assert "only 8 people were rated by others" in view.placement.cut_text
    assert "95% confidence" in view.placement.interval_text


def test_borderline_is_explained_when_the_interval_crosses_a_cut():
    plain = report_of(score_cycle())["profile"]
    # Cuts at the person's own scores: both intervals cross them.
    cuts = (plain["leadership"]["score"], plain["management"]["score"])
    report = report_of(score_cycle(profile_cuts=cuts))
    assert report["profile"]["borderline"] is True
    placement = view_of(report).placement
    assert placement is not None and placement.borderline
    assert placement.title == "Borderline"
    assert placement.borderline_text is not None
    assert "crosses its cut" in placement.borderline_text
    assert placement.leaning_title == wording.PLACEMENT_TITLES[report["profile"]["leaning"]]
    assert "fixed values" in placement.cut_text


def test_a_clear_placement_is_not_called_borderline():
    report = report_of(score_cycle(profile_cuts=(1.0, 1.0)))
    assert report["profile"]["borderline"] is False
    placement = view_of(report).placement
    assert placement is not None
    assert placement.title == "Leader and manager"
    assert not placement.borderline and placement.borderline_text is None


def test_blind_spots_and_hidden_strengths_show_the_right_items(hidden_peers_report, view):
    so = hidden_peers_report["self_other"]
    assert [f.item_id for f in view.blind_spots] == [e["item"] for e in so["blind_spots"][:5]]
    assert [f.item_id for f in view.hidden_strengths] == [
        e["item"] for e in so["hidden_strengths"][:5]
    ]
    blind = {f.item_id: f for f in view.blind_spots}
    hidden = {f.item_id: f for f in view.hidden_strengths}
    assert BLIND_ITEM in blind and BLIND_ITEM not in hidden
    assert HIDDEN_ITEM in hidden and HIDDEN_ITEM not in blind
    observer = {it.id: it.observer_text for it in INSTRUMENT.items}
    assert blind[BLIND_ITEM].text == observer[BLIND_ITEM]
    assert (blind[BLIND_ITEM].self_text, blind[BLIND_ITEM].others_text) == ("5.00", "1.00")
    assert hidden[HIDDEN_ITEM].text == observer[HIDDEN_ITEM]
    assert (hidden[HIDDEN_ITEM].self_text, hidden[HIDDEN_ITEM].others_text) == ("1.00", "5.00")
    assert blind[BLIND_ITEM].scale_name == "Setting direction"


def test_each_scale_gets_its_agreement_category_in_plain_words(hidden_peers_report, view):
    stored = hidden_peers_report["self_other"]["scales"]
    for a in view.agreement:
        category = stored[a.scale_id]["category"]
        assert a.category == category
        assert a.explanation == wording.CATEGORY_EXPLANATIONS[category]
        assert a.self_text == format_score(stored[a.scale_id]["self"])
        assert a.others_text == format_score(stored[a.scale_id]["others"])


def test_every_category_and_placement_has_our_own_wording():
    assert set(wording.CATEGORY_TITLES) == set(CATEGORIES) == set(wording.CATEGORY_EXPLANATIONS)
    assert set(wording.PLACEMENT_TITLES) == set(PLACEMENTS) == set(wording.PLACEMENT_SUMMARIES)


def test_motivation_and_track_interests_come_from_self_sections(hidden_peers_report, view):
    stored = hidden_peers_report["self_sections"]
    assert [s.id for s in view.self_sections] == ["motivation_to_manage", "track_interests"]
    for section in view.self_sections:
        assert {r.id: r.value for r in section.rows} == stored[section.id]
        assert section.summary


def test_comments_are_grouped_by_question_in_instrument_order_keeping_their_order(view):
    assert [g.question_id for g in view.comment_groups] == ["keep", "start"]
    keep = view.comment_groups[0]
    assert keep.question == "What should this person keep doing?"
    assert keep.comments == (
        "The Friday notes to the team.",
        "Staying calm when the release slipped.",
    )


def test_next_steps_come_from_the_data(hidden_peers_report, view):
    titles = [s.title for s in view.next_steps]
    texts = " ".join(s.text for s in view.next_steps)
    assert "Check your biggest blind spot" in titles
    assert "Use a strength others see in you" in titles
    assert view.blind_spots[0].text in texts and view.hidden_strengths[0].text in texts
    weakest = min(view.scales, key=lambda s: s.all_others.mean if s.all_others else 99)
    assert f"Grow in {weakest.name.lower()}" in titles


def test_a_report_without_profile_or_ratings_still_reads_well():
    view = build_report({}, INSTRUMENT, comments=[], person_name="Ana", cycle_name="Spring")
    assert view.placement is None and "not enough ratings" in view.placement_note
    assert all(not s.rows for s in view.scales)
    assert view.comment_groups == ()
    assert view.next_steps[-1].title == "Share what you take from this"


def test_a_report_stored_as_json_gives_the_same_view(hidden_peers_report, view):
    stored = json.loads(json.dumps(hidden_peers_report))
    assert view_of(stored) == view


def test_the_expected_column_is_left_out_when_no_one_answered_it(hidden_peers_report, view):
    assert view.has_estimates
    without = dict(hidden_peers_report, others_estimate={})
    assert not view_of(without).has_estimates


def test_the_view_is_json_serialisable_plain_data(view):
    json.dumps(dataclasses.asdict(view))


@pytest.mark.parametrize("module", [numbers, charts, presentation])
def test_doctests_pass(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_low_scores_on_both_motivations_are_not_called_equal() -> None:
    report = {
        "self_sections": {
            "motivation_to_manage": {"developing_people": 1.3, "advancement_status": 1.0}
        }
    }
    view = build_report(report, INSTRUMENT, comments=[], person_name="Ana", cycle_name="Spring")
    summary = view.self_sections[0].summary or ""
    assert "about equally" not in summary and summary.startswith("Neither")


def test_a_quoted_behaviour_ends_with_one_full_stop() -> None:
    # Everyone except Ana rated planning lowest; its lowest item ends with its own full stop.
    scales = {
        s.id: [{"label": "all_others", "groups": ["peer"], "n": 3, "mean": 2.0 if k == 0 else 4.0}]
        for k, s in enumerate(INSTRUMENT.scales)
    }
    items = {it.id: {"others": 2.0, "self": 3.0} for it in INSTRUMENT.items}
    report = {"scales": scales, "self_other": {"items": items}}
    view = build_report(report, INSTRUMENT, comments=[], person_name="Ana", cycle_name="Spring")
    texts = " ".join(step.text for step in view.next_steps)
    assert "One behaviour to start with" in texts
    assert ".”." not in texts and "?”." not in texts


def test_the_question_view_shows_exactly_the_item_figures_of_the_dict(hidden_peers_report, view):
    for scale in view.scales:
        table = scale.questions
        assert table is not None and "Peers" not in table.columns  # two peers: never shown
        assert len(table.rows) == len([it for it in INSTRUMENT.items if it.scale == scale.id])
        for row in table.rows:
            shown = {
                wording.AGGREGATE_TITLES[a["label"]]: format_score(a["mean"])
                for a in hidden_peers_report["items"][row.item_id]
            }
            for column, cell in zip(table.columns, row.cells, strict=True):
                assert cell == shown.get(column, numbers.DASH)


def test_the_participants_own_comments_are_shown_back_to_them() -> None:
    report = {"self_comments": {"keep": "Friday notes", "start": "  "}}
    view = build_report(report, INSTRUMENT, comments=[], person_name="Ana", cycle_name="Spring")
    assert [(g.question_id, g.comments) for g in view.own_comments] == [("keep", ("Friday notes",))]


def test_each_category_is_explained_once(view):
    titles = [note.title for note in view.category_notes]
    assert len(titles) == len(set(titles))
    assert {a.title for a in view.agreement} <= set(titles)
