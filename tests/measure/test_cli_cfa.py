"""``tandem stats cfa`` through Click's CliRunner: the JSON contract, the readable output, the
rows it leaves out, and its errors. Numbers come from lavaan 0.6-14 (see test_cfa_reference)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tandem.measure.cli import main
from tests.measure.refdata import REFERENCE, reference

TOL = 1e-6
FIT_KEYS = {"chisq", "df", "pvalue", "cfi", "tli", "rmsea", "srmr", "aic", "bic", "logl"}
AC = str(REFERENCE / "bfi_AC_listwise.csv")
HS = str(REFERENCE / "HolzingerSwineford1939.csv")
AC_FACTORS = ["--factor", "A=A1,A2,A3,A4,A5", "--factor", "C=C1,C2,C3,C4,C5"]
HS_FACTORS = [
    "--factor",
    "visual=x1,x2,x3",
    "--factor",
    "textual=x4,x5,x6",
    "--factor",
    "speed=x7,x8,x9",
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["stats", "cfa", *args])
    return result.exit_code, result.stdout, result.stderr


def assert_fit(fit: dict, expected: dict) -> None:
    assert set(fit) >= FIT_KEYS
    for key, value in expected.items():
        ours = fit[key.replace(".", "_")]
        assert ours == pytest.approx(
            value, abs=TOL, rel=1e-9 if key in ("aic", "bic", "logl", "chisq") else 0
        ), key


def test_two_factors_print_the_json_contract_with_lavaans_numbers() -> None:
    # R: lavaan::cfa('A =~ A1 + ... + A5; C =~ C1 + ... + C5', data = bfc) and the one-factor
    # model, anova(f1c, f2) (tests/reference/reference.R, ac_cfa)
    code, out, err = run(AC, *AC_FACTORS, "--json")
    assert code == 0, out + err
    data = json.loads(out)
    ref = reference()["ac_cfa"]
    assert {
        "n",
        "fit",
        "standardized_loadings",
        "factor_correlations",
        "one_factor",
        "difference",
    } <= set(data)
    assert data["n"] == ref["n"]
    assert data["n_dropped"] == 0
    assert_fit(data["fit"], ref["two"])
    assert_fit(data["one_factor"]["fit"], ref["one"])
    assert list(data["standardized_loadings"]) == ["A", "C"]
    assert list(data["standardized_loadings"]["C"]) == ["C1", "C2", "C3", "C4", "C5"]
    assert data["factor_correlations"] == {"A~~C": pytest.approx(ref["r_AC"], abs=1e-4)}
    difference = data["difference"]
    assert {"chisq", "df", "p"} <= set(difference)
    assert difference["df"] == 1
    assert difference["chisq"] == pytest.approx(ref["one"]["chisq"] - ref["two"]["chisq"], abs=TOL)
    assert difference["p"] == pytest.approx(0.0, abs=1e-12)


def test_standardized_loadings_match_lavaans_standardized_solution() -> None:
    # R: standardizedSolution(lavaan::cfa(HS.model, data = HolzingerSwineford1939))
    code, out, _ = run(HS, *HS_FACTORS, "--json")
    assert code == 0
    data = json.loads(out)
    assert_fit(data["fit"], reference()["hs_cfa"]["fit"])
    for row in reference()["hs_cfa"]["std"]:
        if row["op"] == "=~":
            ours = data["standardized_loadings"][row["lhs"]][row["rhs"]]
            assert ours == pytest.approx(row["est.std"], abs=TOL)
        elif row["op"] == "~~" and row["lhs"] != row["rhs"]:
            ours = data["factor_correlations"][f"{row['lhs']}~~{row['rhs']}"]
            assert ours == pytest.approx(row["est.std"], abs=TOL)


def test_invariance_across_groups_matches_lavaan() -> None:
    # R: lavaan::cfa(m, data = hs, group = "school", group.equal = ...) (ref_invariance.R)
    code, out, _ = run(HS, *HS_FACTORS, "--group", "school", "--invariance", "--json")
    assert code == 0
    data = json.loads(out)
    expected = json.loads((REFERENCE / "ref_invariance.json").read_text())
    assert set(data["invariance"]) == {"configural", "metric", "scalar"}
    for step in ("configural", "metric", "scalar"):
        assert_fit(data["invariance"][step], expected[step])
    assert data["groups"] == {"Pasteur": 156, "Grant-White": 145}
    test = data["invariance_tests"]["metric_vs_configural"]
    assert test["chisq"] == pytest.approx(expected["metric_vs_configural"]["chisq_diff"], abs=TOL)
    assert test["df"] == 6
    assert "one_factor" in data and "difference" in data


def test_a_one_factor_model_that_fails_leaves_the_model_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # the module itself: the package's attribute ``cfa`` is the function
    module = importlib.import_module("tandem.measure.cfa")

    def fail(*args: object, **kwargs: object) -> None:
        raise ValueError("the model did not converge (after 500 iterations ...)")

    monkeypatch.setattr(module, "cfa_from_covariance", fail)
    code, out, _ = run(AC, *AC_FACTORS, "--json")
    assert code == 0
    data = json.loads(out)
    assert "one_factor" not in data and "difference" not in data
    assert data["notes"] == [
        "the one-factor model to compare with could not be fitted: the model did not converge "
        "(after 500 iterations ...)"
    ]
    code, out, _ = run(AC, *AC_FACTORS)
    assert "Note: the one-factor model to compare with could not be fitted" in out


def test_one_factor_has_no_comparison_and_no_correlations() -> None:
    code, out, _ = run(HS, "--factor", "g=x1,x2,x3,x4", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["factor_correlations"] == {}
    assert "one_factor" not in data and "difference" not in data


def test_rows_with_a_missing_answer_are_left_out_and_counted(tmp_path: Path) -> None:
    lines = (REFERENCE / "bfi_AC_listwise.csv").read_text().splitlines()
    lines[1] = ",".join(["", *lines[1].split(",")[1:]])  # an empty cell
    lines[2] = ",".join(["NA", *lines[2].split(",")[1:]])  # R's NA
    lines[3] = ",".join([*lines[3].split(",")[:9], ""])  # the last column
    path = tmp_path / "gaps.csv"
    path.write_text("\n".join(lines) + "\n")
    code, out, err = run(str(path), *AC_FACTORS, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["n"] == 2632 - 3
    assert data["n_dropped"] == 3
    assert "3 of 2632 rows left out" in err and "listwise" in err


def test_rows_without_a_group_are_left_out_and_counted(tmp_path: Path) -> None:
    text = (REFERENCE / "HolzingerSwineford1939.csv").read_text().replace('"Pasteur"', '""', 2)
    path = tmp_path / "hs.csv"
    path.write_text(text)
    code, out, err = run(str(path), *HS_FACTORS, "--group", "school", "--invariance", "--json")
    assert code == 0, out + err
    data = json.loads(out)
    assert data["n"] == 299
    assert data["n_dropped"] == 2
    assert data["groups"] == {"Pasteur": 154, "Grant-White": 145}
    assert "(2 without a group)" in err


def test_the_readable_output_tells_the_story() -> None:
    code, out, _ = run(HS, *HS_FACTORS, "--group", "school", "--invariance")
    assert code == 0
    assert "of 301 rows" in out
    assert "Fit: chi-square 85.31 on 24 df (p < 0.001); CFI 0.931, TLI 0.896" in out
    assert "RMSEA 0.092 [0.071, 0.114], SRMR 0.065" in out
    assert "visual         x1              0.772" in out
    assert "visual~~textual" in out
    assert "3 factors fit better than one" in out
    assert "Measurement invariance across school (Pasteur 156, Grant-White 145)" in out
    assert "against configural: chi-square difference 8.19 on 6 df, p = 0.224" in out
    assert "Chen 2007" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--factor", "A"], "write NAME=COL1,COL2"),
        (["--factor", "A=x1,x2,x3", "--factor", "A=x4,x5,x6"], "given twice"),
        (["--factor", "A=x1,x2,x3", "--factor", "B=x3,x4,x5"], "'x3' is used by factors"),
        (["--factor", "A=x1,x2,nope"], "no column 'nope'"),
        (["--factor", "A=x1,x2"], "not identified"),
        (["--factor", "A=x1,x2,x3", "--invariance"], "--invariance needs --group"),
        (["--factor", "A=x1,x2,x3", "--group", "school"], "add --invariance"),
        (["--factor", "A=x1,x2,x3", "--group", "nope", "--invariance"], "no column 'nope'"),
    ],
)
def test_mistakes_are_explained(args: list[str], message: str) -> None:
    code, out, err = run(HS, *args)
    assert code != 0
    assert message in out + err


def test_a_factor_option_is_required() -> None:
    code, out, err = run(HS)
    assert code != 0
    assert "--factor" in out + err
