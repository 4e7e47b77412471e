"""The SVG charts: well-formed, accessible, escaped, and drawing only the aggregates given."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tandem.cycles.reporting.charts import Axis, Bar, placement_svg, scale_bars_svg
from tandem.cycles.reporting.presentation import ReportView
from tests.cycles.test_reporting_presentation import report_of, score_cycle, view_of

SVG = "{http://www.w3.org/2000/svg}"


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter(f"{SVG}text")]


def assert_accessible(svg: str) -> ET.Element:
    root = ET.fromstring(svg)  # noqa: S314 - our own markup, parsed to check it
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    chart_id = root.get("id")
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text and title.get("id") == f"{chart_id}-title"
    assert desc is not None and desc.text and desc.get("id") == f"{chart_id}-desc"
    # The page runs under a strict CSP: no style attributes, no style or script elements.
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    return root


def hidden_view() -> ReportView:
    return view_of(report_of(score_cycle()))


def test_every_chart_of_a_report_is_well_formed_and_accessible():
    view = hidden_view()
    assert view.placement is not None
    charts = [view.placement.chart_svg, *(s.chart_svg for s in view.scales)]
    ids = [assert_accessible(svg).get("id") for svg in charts]
    assert len(set(ids)) == len(ids)  # unique ids on one page


def test_scale_chart_has_one_bar_per_shown_group_with_its_numbers():
    view = hidden_view()
    for scale in view.scales:
        root = assert_accessible(scale.chart_svg)
        labels = texts(root)
        for row in scale.rows:
            assert f"{row.title} (n = {row.n})" in labels
            assert row.mean_text in labels
        assert len(root.findall(f"{SVG}rect")) == len(scale.rows)
        assert f"{scale.percentile_text} percentile" in labels
        assert not any("peer" in t.lower() for t in labels)
        assert "peer" not in scale.chart_svg.lower()


def test_placement_chart_draws_cuts_interval_cross_and_both_views():
    view = hidden_view()
    assert view.placement is not None
    root = assert_accessible(view.placement.chart_svg)
    labels = texts(root)
    assert {"Leader and manager", "Leader", "Manager", "Emerging"} <= set(labels)
    assert {"Others' view", "Your view", "Leadership", "Management"} <= set(labels)
    dashed = [el for el in root.iter(f"{SVG}line") if el.get("stroke-dasharray")]
    assert len(dashed) == 2  # one cut per index
    desc = root.find(f"{SVG}desc")
    assert desc is not None and desc.text is not None
    assert view.placement.leadership.score_text in desc.text


def test_chart_text_is_escaped():
    svg = scale_bars_svg(
        chart_id="c",
        bars=[Bar('<b>"Team" & co</b>', 3, 3.5)],
        percentile=None,
        scale_min=1,
        scale_max=5,
        title="A < B",
        description="x & y",
    )
    root = assert_accessible(svg)
    assert '<b>"Team" & co</b> (n = 3)' in texts(root)
    assert "<b>" not in svg


def test_placement_chart_survives_missing_numbers():
    empty = Axis("Leadership", None, None, None, None, None)
    svg = placement_svg(
        chart_id="p",
        leadership=empty,
        management=Axis("Management", None, None, None, None, None),
        scale_min=1,
        scale_max=5,
        title="t",
        description="d",
    )
    root = assert_accessible(svg)
    assert root.find(f"{SVG}circle") is None
