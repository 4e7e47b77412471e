"""Every label carries its uncertainty from one participant up (the pilot of the issue)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from tandem.measure import load_instrument, ratee_dicts, score_360
from tandem.measure.cli import main
from tandem.measure.references import LQ2002
from tests.measure.builders import write_rows

INSTRUMENT = load_instrument("tandem-lm-1")
PILOT = ["self", "manager", "peer", "peer", "peer", "peer"] + ["direct_report"] * 3


def _pilot_answers(seed: int = 11) -> np.ndarray:
    rng = np.random.default_rng(seed)
    answers = rng.integers(2, 6, size=(len(PILOT), len(INSTRUMENT.all_items)))
    answers[1:, len(INSTRUMENT.items) :] = -1
    return answers


def test_a_one_person_pilot_gets_verdicts_intervals_and_an_honest_placement() -> None:
    scored = score_360(
        _pilot_answers(), ratee=np.zeros(len(PILOT), int), group=PILOT, instrument=INSTRUMENT
    )
    report = next(ratee_dicts(scored))
    so = report["self_other"]
    assert all(row["category"] for row in so["scales"].values()), "a verdict on every scale"
    assert "Bliese 2013" in so["reference"]["basis"], "the reference SD is named"
    assert so["reference"]["sd"]["setting_direction"] == LQ2002.people_sd
    profile = report["profile"]
    for index in ("leadership", "management"):
        ix = profile[index]
        assert ix["lower"] < ix["score"] < ix["upper"], "an interval on both indices"
        assert ix["cut"] == 3.5
    assert profile["cut_basis"].startswith("fallback"), "the fallback is named as one"
    crosses = any(
        profile[i]["lower"] < profile[i]["cut"] < profile[i]["upper"]
        for i in ("leadership", "management")
    )
    assert profile["borderline"] is crosses, "never confident when a range crosses its cut"


def test_one_rater_gives_no_verdict_and_says_why() -> None:
    groups = ["self", "manager"]
    answers = _pilot_answers()[:2]
    scored = score_360(answers, ratee=np.zeros(2, int), group=groups, instrument=INSTRUMENT)
    report = next(ratee_dicts(scored))
    assert all(row["category"] is None for row in report["self_other"]["scales"].values())
    assert report["self_other"]["blind_spots"] == []
    assert report["profile"]["placement"] is None
    assert report["profile"]["leadership"]["lower"] is None


def test_the_same_pilot_through_tandem_score_without_norms(tmp_path: Path) -> None:
    answers = _pilot_answers()
    rows = []
    for k, group in enumerate(PILOT):
        items = INSTRUMENT.all_items if group == "self" else INSTRUMENT.items
        for item in items:
            column = [it.id for it in INSTRUMENT.all_items].index(item.id)
            rows.append(["ana", f"r{k}", group, item.id, str(int(answers[k, column]))])
    path = write_rows(tmp_path / "pilot.csv", rows)
    result = CliRunner().invoke(
        main, ["score", str(path), "--instrument", "tandem-lm-1", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "o" / "ana--ana" / "ana.json").read_text())
    assert all(row["category"] for row in report["self_other"]["scales"].values())
    assert report["profile"]["cut_basis"].startswith("fallback")
    assert report["profile"]["leadership"]["cut"] == 3.5, "not her own score"
    assert report["profile"]["leadership"]["upper"] is not None


def test_enough_people_use_their_own_spread_and_norms() -> None:
    rng = np.random.default_rng(3)
    people = 40
    answers = rng.integers(1, 6, size=(people * len(PILOT), len(INSTRUMENT.all_items)))
    for p in range(people):
        answers[p * len(PILOT) + 1 : (p + 1) * len(PILOT), len(INSTRUMENT.items) :] = -1
    scored = score_360(
        answers,
        ratee=np.repeat(np.arange(people), len(PILOT)),
        group=PILOT * people,
        instrument=INSTRUMENT,
    )
    report = next(ratee_dicts(scored))
    assert report["profile"]["cut_basis"].startswith("norm-referenced")
    assert "in this data" in report["profile"]["interval_basis"]
    assert report["self_other"]["reference"]["basis"].startswith("the 40 people")
