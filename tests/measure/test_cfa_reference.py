"""Confirmatory factor analysis reproduced from R's lavaan 0.6-14 (R 4.2.2).

Each test names the lavaan call behind its numbers:

* tests/reference/reference.json (``hs_cfa``, ``ac_cfa``), made by reference.R;
* tests/reference/ref_invariance.json, made by ref_invariance.R;
* tests/reference/ref_cfa.json, made by ref_cfa.R here with Debian's r-cran-lavaan 0.6-14:
  further data sets (bfi with missing answers, lq2002, PoliticalDemocracy) and groupings.

Tolerances: every fit measure to 1e-6 (chi-square, AIC, BIC and log-likelihood, which run
to tens of thousands, also within 1e-9 relative); estimates to 1e-4, and to 1e-6 for the
Holzinger-Swineford model of reference.json. lavaan's optimiser (nlminb) stops once F changes
by less than about 1e-10, which leaves its estimates up to 7e-5 from the exact optimum on bfi;
Tandem's chi-square is never above lavaan's, so the difference is lavaan stopping early.
"""

from __future__ import annotations

import csv
import json
import math
from functools import cache
from typing import Any

import numpy as np
import pytest

from tandem.measure.cfa import CFAResult, FitMeasures, cfa, chi_square_difference
from tandem.measure.invariance import GroupCFAResult, measurement_invariance
from tests.measure.refdata import REFERENCE, reference

FIT_TOL = 1e-6
LARGE_REL = 1e-9
EST_TOL = 1e-4
HS_EST_TOL = 1e-6
LARGE = {"chisq", "aic", "bic", "logl", "baseline.chisq"}
HS_FACTORS = {
    "visual": ["x1", "x2", "x3"],
    "textual": ["x4", "x5", "x6"],
    "speed": ["x7", "x8", "x9"],
}


@cache
def data_file(name: str) -> tuple[tuple[str, ...], np.ndarray, tuple[tuple[str, ...], ...]]:
    """A CSV from tests/reference: header, numbers (NaN for NA, empty or text), raw rows."""
    with (REFERENCE / name).open(newline="") as handle:
        rows = list(csv.reader(handle))

    def number(cell: str) -> float:
        try:
            return float(cell)
        except ValueError:
            return math.nan

    return (
        tuple(rows[0]),
        np.array([[number(c) for c in row] for row in rows[1:]]),
        tuple(tuple(row) for row in rows[1:]),
    )


def group_column(name: str, column: str) -> list[str | None]:
    header, _x, rows = data_file(name)
    at = header.index(column)
    return [row[at] if row[at] not in ("", "NA") else None for row in rows]


@cache
def more() -> dict[str, Any]:
    return dict(json.loads((REFERENCE / "ref_cfa.json").read_text()))


def fit_value(fit: FitMeasures, key: str) -> float:
    names = {
        "npar": "n_parameters",
        "ntotal": "n_obs",
        "baseline.chisq": "baseline_chisq",
        "baseline.df": "baseline_df",
    }
    return float(getattr(fit, names.get(key, key.replace(".", "_"))))


def assert_fit(fit: FitMeasures, expected: dict[str, float]) -> None:
    for key, value in expected.items():
        rel = LARGE_REL if key in LARGE else 0.0
        assert fit_value(fit, key) == pytest.approx(value, abs=FIT_TOL, rel=rel), key
    # lavaan stops a little early: the exact minimum is never above its chi-square
    assert fit.chisq <= expected["chisq"] + 1e-9


def lookup(result: CFAResult | GroupCFAResult, row: dict[str, Any], what: str) -> float | None:
    """The estimate (``est``), standard error (``se``) or ``std.all`` value (``std``) behind
    one row of lavaan's parameterEstimates / standardizedSolution; None if not reported."""
    items = list(result.item_names)
    factors = list(result.factor_names)
    lhs, op, rhs = row["lhs"], row["op"], row["rhs"]
    grouped = isinstance(result, GroupCFAResult)
    g = int(row.get("group", 1)) - 1

    def pick(array: np.ndarray) -> np.ndarray:
        return array[g] if grouped else array

    if op == "=~":
        table = {
            "est": result.loadings,
            "se": result.loadings_se,
            "std": result.standardized_loadings,
        }[what]
        return float(pick(table)[items.index(rhs), factors.index(lhs)])
    if op == "~~" and lhs in items:
        if what == "se" and grouped:
            return None
        table = {
            "est": result.residual_variances,
            "se": getattr(result, "residual_variances_se", None),
            "std": result.standardized_residual_variances,
        }[what]
        return float(pick(table)[items.index(lhs)])
    if op == "~~":
        a, b = factors.index(lhs), factors.index(rhs)
        if what == "std":
            return float(pick(result.factor_correlation)[a, b])
        if what == "se":
            return None if grouped else float(result.factor_covariance_se[a, b])
        return float(pick(result.factor_covariance)[a, b])
    if op == "~1" and isinstance(result, GroupCFAResult) and what == "est":
        if lhs in items:
            return float(result.intercepts[g, items.index(lhs)])
        return float(result.factor_means[g, factors.index(lhs)])
    if op == "~1" and isinstance(result, GroupCFAResult) and what == "se" and lhs in items:
        return float(result.intercepts_se[g, items.index(lhs)])
    return None


def assert_estimates(
    result: CFAResult | GroupCFAResult,
    est: list[dict[str, Any]],
    std: list[dict[str, Any]],
    tol: float = EST_TOL,
) -> None:
    checked = 0
    for row in est:
        value = lookup(result, row, "est")
        if value is not None:
            assert value == pytest.approx(row["est"], abs=tol), row
            checked += 1
        se = lookup(result, row, "se")
        if se is not None and row.get("se"):
            assert se == pytest.approx(row["se"], abs=tol), row
    for row in std:
        value = lookup(result, row, "std")
        if value is not None:
            assert value == pytest.approx(row["est.std"], abs=tol), row
    assert checked == len(est) or isinstance(result, GroupCFAResult)


def hs_model() -> CFAResult:
    header, x, _rows = data_file("HolzingerSwineford1939.csv")
    return cfa(x, factors=HS_FACTORS, columns=header)


def ac_data() -> tuple[tuple[str, ...], np.ndarray]:
    header, x, _rows = data_file("bfi_AC_listwise.csv")
    return header, x


# --- reference.json (reference.R) -----------------------------------------------------------


def test_holzinger_swineford_fit_matches_lavaan() -> None:
    # R: fit <- lavaan::cfa(HS.model, data = HolzingerSwineford1939); fitMeasures(fit, ...)
    result = hs_model()
    assert result.n_obs == 301
    assert result.n_dropped == 0
    assert_fit(result.fit, reference()["hs_cfa"]["fit"])


def test_holzinger_swineford_estimates_match_lavaan() -> None:
    # R: parameterEstimates(fit) and standardizedSolution(fit) for the same lavaan::cfa call
    ref = reference()["hs_cfa"]
    assert_estimates(hs_model(), ref["est"], ref["std"], tol=HS_EST_TOL)


def test_agreeableness_conscientiousness_two_factors_match_lavaan() -> None:
    # R: lavaan::cfa('A =~ A1 + ... + A5; C =~ C1 + ... + C5', data = bfc, std.lv = TRUE),
    # bfc = na.omit(bfi[, A1:A5, C1:C5]); fitMeasures(...) and the A~~C correlation
    ref = reference()["ac_cfa"]
    header, x = ac_data()
    two = cfa(x, factors={"A": list(header[:5]), "C": list(header[5:])}, columns=header)
    assert two.n_obs == ref["n"]
    assert_fit(two.fit, ref["two"])
    assert two.factor_correlations_by_pair()["A~~C"] == pytest.approx(ref["r_AC"], abs=EST_TOL)


def test_agreeableness_conscientiousness_one_factor_matches_lavaan() -> None:
    # R: lavaan::cfa('G =~ A1 + ... + C5', data = bfc, std.lv = TRUE); anova(f1c, f2)
    ref = reference()["ac_cfa"]
    header, x = ac_data()
    one = cfa(x, factors={"G": list(header)}, columns=header)
    two = cfa(x, factors={"A": list(header[:5]), "C": list(header[5:])}, columns=header)
    assert_fit(one.fit, ref["one"])
    test = chi_square_difference(one.fit, two.fit)
    assert test.df == 1
    assert test.chisq == pytest.approx(ref["one"]["chisq"] - ref["two"]["chisq"], abs=1e-6)
    assert test.delta_cfi == pytest.approx(ref["one"]["cfi"] - ref["two"]["cfi"], abs=FIT_TOL)


# --- ref_invariance.json (ref_invariance.R) -------------------------------------------------


@pytest.fixture(scope="module")
def hs_schools() -> Any:
    header, x, _rows = data_file("HolzingerSwineford1939.csv")
    groups = group_column("HolzingerSwineford1939.csv", "school")
    return measurement_invariance(x, groups=groups, factors=HS_FACTORS, columns=header)


@pytest.mark.parametrize("step", ["configural", "metric", "scalar"])
def test_invariance_across_schools_matches_lavaan(hs_schools: Any, step: str) -> None:
    # R: lavaan::cfa(m, data = hs, group = "school", group.equal = "none" | "loadings" |
    #    c("loadings", "intercepts")); fitMeasures(...)
    expected = json.loads((REFERENCE / "ref_invariance.json").read_text())[step]
    assert_fit(getattr(hs_schools, step).fit, expected)


def test_metric_against_configural_matches_lavaan_anova(hs_schools: Any) -> None:
    # R: anova(conf, met)[2, c("Chisq diff", "Df diff", "Pr(>Chisq)")]
    expected = json.loads((REFERENCE / "ref_invariance.json").read_text())["metric_vs_configural"]
    test = hs_schools.metric_vs_configural
    assert test.chisq == pytest.approx(expected["chisq_diff"], abs=FIT_TOL)
    assert test.df == expected["df_diff"]
    assert test.p == pytest.approx(expected["p"], abs=FIT_TOL)


def test_groups_come_in_order_of_appearance_as_lavaan(hs_schools: Any) -> None:
    # R: lavInspect(fit, "group.label"); lavInspect(fit, "nobs")
    assert hs_schools.configural.group_labels == ("Pasteur", "Grant-White")
    assert hs_schools.configural.group_sizes.tolist() == [156, 145]


# --- ref_cfa.json (ref_cfa.R) ---------------------------------------------------------------

ONE_GROUP = ["hs_three", "hs_one", "bfi_five", "bfi_one", "lq2002_three", "political_democracy"]
GROUPED = ["hs_sex", "hs_school", "bfi_nc_gender", "bfi_n_education"]


@pytest.mark.parametrize("key", ONE_GROUP)
def test_one_group_models_match_lavaan(key: str) -> None:
    # R: the lavaan::cfa call stored with the numbers (more()[key]["call"]), e.g.
    #    lavaan::cfa(big5, data = psychTools::bfi) with listwise deletion (n = 2436 of 2800)
    ref = more()[key]
    header, x, _rows = data_file(ref["file"])
    result = cfa(x, factors=ref["factors"], columns=header)
    assert result.n_obs == ref["nobs"], ref["call"]
    assert result.n_obs + result.n_dropped == x.shape[0]
    assert_fit(result.fit, ref["fit"])
    assert_estimates(result, ref["est"], ref["std"])


@pytest.mark.parametrize("key", GROUPED)
def test_invariance_steps_match_lavaan(key: str) -> None:
    # R: lavaan::cfa(model, data, group = GROUP, group.equal = ...) three times, and
    #    anova() between the steps (more()[key]["call"])
    ref = more()[key]
    header, x, _rows = data_file(ref["file"])
    groups = group_column(ref["file"], ref["group"])
    steps = measurement_invariance(x, groups=groups, factors=ref["factors"], columns=header)
    assert steps.configural.group_labels == tuple(ref["group_labels"]), ref["call"]
    assert steps.configural.group_sizes.tolist() == ref["nobs"]
    for step in ("configural", "metric", "scalar"):
        result = getattr(steps, step)
        assert_fit(result.fit, ref[step]["fit"])
        assert_estimates(result, ref[step]["est"], ref[step]["std"])
    for name in ("metric_vs_configural", "scalar_vs_metric"):
        test = getattr(steps, name)
        assert test.chisq == pytest.approx(ref[name]["chisq"], abs=FIT_TOL)
        assert test.df == ref[name]["df"]
        assert test.p == pytest.approx(ref[name]["p"], abs=FIT_TOL)


def test_one_against_three_factors_matches_lavaan_anova() -> None:
    # R: anova(cfa('g =~ x1 + ... + x9', data = hs), cfa(HS.model, data = hs))
    ref = more()["hs_one_vs_three"]
    header, x, _rows = data_file("HolzingerSwineford1939.csv")
    three = cfa(x, factors=HS_FACTORS, columns=header)
    one = cfa(x, factors={"g": [f"x{i}" for i in range(1, 10)]}, columns=header)
    test = chi_square_difference(one.fit, three.fit)
    assert test.chisq == pytest.approx(ref["chisq"], abs=FIT_TOL)
    assert test.df == ref["df"]
    assert test.p == pytest.approx(ref["p"], abs=FIT_TOL)
