"""tandem score's fast report writer says exactly what ratee_dicts and render_html say.

The CLI writes ReportText's text; the web app and the anonymity tests read ratee_dicts. Every
byte of both files must be the same as json.dumps(ratee_dicts(...)) and render_html(...).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from bench.simulate import bench_instrument, simulate
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.measure import load_instrument, long_to_wide, score_360
from tandem.measure._report_text import ReportText
from tandem.measure.batch import Scored360
from tandem.measure.htmlreport import render_html
from tandem.measure.report import ratee_dicts

SHIPPED = load_instrument("tandem-lm-1")


def reference(scored: Scored360) -> list[tuple[str, str, str]]:
    return [
        (
            r["ratee"],
            json.dumps(r, ensure_ascii=False, allow_nan=False),
            render_html(r, scored.instrument),
        )
        for r in ratee_dicts(scored)
    ]


def fast(scored: Scored360, step: int = 7) -> list[tuple[str, str, str]]:
    text = ReportText(scored)
    n = len(scored.ratee_ids)
    return [t for a in range(0, n, step) for t in text.texts(a, min(a + step, n))]


def assert_same(scored: Scored360) -> None:
    for want, got in zip(reference(scored), fast(scored), strict=True):
        assert got[0] == want[0]
        assert got[1] == want[1], want[0]
        assert got[2] == want[2], want[0]


@pytest.mark.parametrize("minimums", [None, {"peer": 2, "direct_report": 5}])
def test_a_simulated_organisation_gets_the_same_bytes(minimums: dict[str, int] | None) -> None:
    instrument = bench_instrument()
    org = simulate(60, raters=10, instrument=instrument, seed=5)
    wide = long_to_wide(
        org.pair, org.item, org.value, n_pairs=org.pair_ratee.size, n_items=len(instrument.items)
    )
    scored = score_360(
        wide,
        ratee=org.pair_ratee,
        group=org.pair_group,
        instrument=instrument,
        ratee_ids=[f"p{k}" for k in range(60)],
        minimums=minimums,
    )
    assert_same(scored)


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    people=st.integers(1, 4),
    cut=st.sampled_from([None, (3.0, 3.5)]),
    missing=st.floats(0, 0.6),
)
def test_the_shipped_instrument_gets_the_same_bytes_for_any_mix(
    seed: int, people: int, cut: tuple[float, float] | None, missing: float
) -> None:
    # Self-only estimates and sections, open questions, small groups, answers left out,
    # placements with and without norms: the text must follow ratee_dicts everywhere.
    rng = np.random.default_rng(seed)
    groups, ratee = [], []
    for person in range(people):
        mix = ["self"] * int(rng.integers(0, 2)) + list(
            rng.choice(["manager", "peer", "direct_report", "other"], size=rng.integers(0, 9))
        )
        groups += mix
        ratee += [person] * len(mix)
    if not groups:
        groups, ratee = ["peer"], [0]
    answers = rng.integers(1, 6, size=(len(groups), len(SHIPPED.all_items)))
    answers[rng.random(answers.shape) < missing] = -1
    not_self = np.array(groups) != "self"
    answers[not_self, len(SHIPPED.items) :] = -1
    scored = score_360(
        answers,
        ratee=np.array(ratee),
        group=groups,
        instrument=SHIPPED,
        ratee_ids=[f"<p{k}>&" for k in range(max(ratee) + 1)],
        profile_cuts=cut,
    )
    assert_same(scored)


def test_figures_are_rounded_as_python_rounds_them() -> None:
    from tandem.measure._report_text import _figure_texts, _rounded_texts

    rng = np.random.default_rng(3)
    values = np.concatenate(
        [
            rng.normal(0, 2, 5000),
            np.round(rng.normal(0, 2, 2000), 5),  # many halves at the 4th decimal
            np.arange(-64, 64) / 32,  # exact binary halves: ties to even
            [0.03125, -0.03125, 2.675, -4e-16, 4e-16, -0.0, 0.0, -0.00004, 1e17, -3.5e20],
            [np.nan, np.inf, -np.inf],
        ]
    )
    for places in (1, 4):
        for fn in (float.__repr__, "{:.2f}".format, "{:.0f}".format):
            want = [fn(round(v, places)) if np.isfinite(v) else "-" for v in values.tolist()]
            assert _figure_texts(values, places, fn, "-").tolist() == want
    rounded = np.round(np.array([-4e-16, 4e-16, 1.23456, np.nan]), 4)
    assert _rounded_texts(rounded, lambda v: "n" if v != v else float.__repr__(v)).tolist() == [
        "-0.0",
        "0.0",
        "1.2346",
        "n",
    ]
