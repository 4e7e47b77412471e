"""The report CSV: the shown aggregates only, the dict's numbers, safe in a spreadsheet."""

from __future__ import annotations

import csv
import dataclasses
import io

from tandem.cycles.reporting.export import CSV_HEADER, report_csv, report_csv_rows
from tandem.cycles.reporting.presentation import build_report
from tests.cycles.test_reporting_presentation import (
    INSTRUMENT,
    report_of,
    score_cycle,
    view_of,
)


def parsed(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))


def test_it_writes_one_row_per_shown_aggregate_with_the_dicts_numbers():
    report = report_of(score_cycle())
    view = view_of(report)
    rows = parsed(report_csv(view))
    assert tuple(rows[0]) == CSV_HEADER
    expected = []
    for scale in INSTRUMENT.scales:
        titles = {r.label: r.title for s in view.scales for r in s.rows}
        for agg in report["scales"][scale.id]:
            pct = report["norms"][scale.id]["percentile"] if agg["label"] == "all_others" else ""
            expected.append(
                [scale.name, titles[agg["label"]], str(agg["n"]), str(agg["mean"]), str(pct)]
            )
    assert rows[1:] == expected


def test_it_hides_peers_below_threshold_in_the_csv():
    text = report_csv(view_of(report_of(score_cycle())))
    assert "peer" not in text.lower()
    shown = report_csv(view_of(report_of(score_cycle(ana_peers=3))))
    assert "Peers" in shown


def test_text_cells_cannot_run_as_formulas():
    scales = list(INSTRUMENT.scales)
    scales[0] = dataclasses.replace(scales[0], name='=HYPERLINK("http://x","y")')
    evil = dataclasses.replace(INSTRUMENT, scales=tuple(scales))
    view = build_report(
        report_of(score_cycle()), evil, comments=[], person_name="A", cycle_name="C"
    )
    rows = list(report_csv_rows(view))
    assert rows[1][0] == '\'=HYPERLINK("http://x","y")'
    assert all(isinstance(r[2], int) for r in rows[1:])


def test_without_bom_for_machines():
    text = report_csv(view_of(report_of(score_cycle())), bom=False)
    assert text.startswith("scale,group,n,mean,percentile\r\n")
