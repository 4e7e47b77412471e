"""``tandem stats raters`` through Click's CliRunner: the JSON contract with lme4's numbers, the
readable output, declined designs, and errors that name file, row and column."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tandem.measure.cli import main
from tests.measure.refdata import REFERENCE

PENICILLIN = str(REFERENCE / "penicillin.csv")
CONTRACT = {"n", "intercept", "variance", "reml_criterion", "ratee_effects", "rater_effects"}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["stats", "raters", *args])
    return result.exit_code, result.stdout, result.stderr


def lme4() -> dict:
    return json.loads((REFERENCE / "ref_crossed.json").read_text())["penicillin"]


def test_the_json_contract_carries_lme4s_numbers() -> None:
    # R: lmer(diameter ~ 1 + (1 | plate) + (1 | sample), Penicillin, REML = TRUE):
    # VarCorr, fixef, REMLcrit, ranef (tests/reference/ref_crossed.R); plates as the ratees.
    code, out, err = run(
        PENICILLIN, "--ratee", "plate", "--rater", "sample", "--value", "diameter", "--json"
    )
    assert code == 0, out + err
    data = json.loads(out)
    assert set(data) >= CONTRACT and set(data["variance"]) == {"ratee", "rater", "residual"}
    ref = lme4()
    assert data["n"] == ref["n"] == 144
    assert data["intercept"] == pytest.approx(ref["fixef"], rel=1e-4)
    assert data["reml_criterion"] == pytest.approx(ref["reml_criterion"], rel=1e-4)
    for ours, theirs in (("ratee", "plate"), ("rater", "sample"), ("residual", "Residual")):
        assert data["variance"][ours] == pytest.approx(ref["variance"][theirs], rel=1e-4)
    for ours, theirs in (("ratee_effects", "plate"), ("rater_effects", "sample")):
        assert data[ours].keys() == ref["effects"][theirs].keys()
        for level, value in ref["effects"][theirs].items():
            assert data[ours][level] == pytest.approx(value, abs=1e-4)
    adjusted = data["adjusted"]["a"]
    assert adjusted["lower"] < adjusted["score"] < adjusted["upper"] and adjusted["n_raters"] == 6


def test_the_text_output_gives_the_split_and_each_ratees_scores() -> None:
    code, out, _ = run(PENICILLIN, "--ratee", "plate", "--rater", "sample", "--value", "diameter")
    assert code == 0
    assert "Ratings: 144 from 24 ratees and 6 raters" in out
    assert "Variance: ratee 0.7169" in out and "95% interval" in out
    assert out.count("\n") >= 24 + 4


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "ratings.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_raters_who_rate_one_person_each_are_declined_with_the_plain_means(tmp_path: Path) -> None:
    rows = "".join(f"p{i},r{i},{3 + i % 3}\n" for i in range(6))
    path = write(tmp_path, "who,by,score\n" + rows)
    code, out, _ = run(path, "--ratee", "who", "--rater", "by", "--value", "score")
    assert code == 0
    assert "Not adjusted: cannot separate rater from ratee" in out
    code, out, _ = run(path, "--ratee", "who", "--rater", "by", "--value", "score", "--json")
    data = json.loads(out)
    assert data["separable"] is False and data["intercept"] is None
    assert data["adjusted"]["p1"]["score"] == data["adjusted"]["p1"]["raw_mean"] == 4.0


def test_missing_values_are_left_out_and_counted(tmp_path: Path) -> None:
    lines = Path(PENICILLIN).read_text().splitlines()
    lines[1] = lines[1].replace("27,", "NA,", 1)
    lines[2] = lines[2].replace("23,", ",", 1)
    path = write(tmp_path, "\n".join(lines) + "\n")
    code, out, _ = run(
        path, "--ratee", "plate", "--rater", "sample", "--value", "diameter", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["n"] == 142 and data["n_dropped"] == 2


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        ("who,by,score\np1,r1,3\n,r2,4\n", ("who", "by", "score"), "row 3, column 'who': empty id"),
        (
            "who,by,score\np1,r1,3\np2,r2,four\n",
            ("who", "by", "score"),
            "row 3, column 'score': 'four' is not a number",
        ),
        ("who,by,score\np1,r1,3\n", ("who", "rater", "score"), "no column 'rater'"),
        (
            "who,by,score\np1,r1,3\np2,r1\n",
            ("who", "by", "score"),
            "row 3: expected 3 columns, found 2",
        ),
    ],
)
def test_bad_files_stop_with_file_row_and_column(
    tmp_path: Path, text: str, args: tuple[str, str, str], message: str
) -> None:
    path = write(tmp_path, text)
    code, out, err = run(path, "--ratee", args[0], "--rater", args[1], "--value", args[2])
    assert code != 0
    assert message in out + err and path in out + err
    assert "Traceback" not in out + err


def test_the_same_column_twice_is_a_usage_error(tmp_path: Path) -> None:
    path = write(tmp_path, "who,by,score\np1,r1,3\n")
    code, out, err = run(path, "--ratee", "who", "--rater", "who", "--value", "score")
    assert code == 2 and "three different columns" in out + err
