"""crossed_reml reproduces lme4: ``lmer(y ~ 1 + (1 | ratee) + (1 | rater), REML = TRUE)``.

Two reference files, both lme4 1.1-31 on R 4.2.2 (see tests/reference/README.md):

* ``ref_crossed.json`` (the project's shared references, made by ``ref_crossed.R``): lmer with
  its default optimiser on lme4's Penicillin and on a simulated 360. The issue's targets:
  variances, intercept and REML criterion to 1e-4 relative, every random effect to 1e-4.
* ``ref_crossed_tandem.json`` (made by ``ref_crossed_tandem.R``): the same fits with lmer's
  default and with a tight optimiser (bobyqa, ``rhoend = 1e-12``), plus the intercept's standard
  error and every effect's conditional SD (``ranef(fit, condVar = TRUE)``), also on lme4's
  InstEval (73,421 ratings of 1,128 lecturers by 2,972 students) and the docstring example.

lme4's default optimiser stops about 6e-5 (relative) short of the optimum on the two shared
data sets; against the tight fits Tandem agrees to 1e-6 or better.
"""

from __future__ import annotations

import csv
import gzip
import json
from functools import cache
from typing import Any

import numpy as np
import pytest

from tandem.measure import CrossedFit, crossed_reml
from tests.measure.refdata import REFERENCE

ISSUE_TOL = 1e-4
TIGHT_TOL = 1e-6

# data set: (file, ratee column, rater column, value column)
DATA = {
    "penicillin": ("penicillin.csv", "plate", "sample", "diameter"),
    "sim360": ("sim360_crossed.csv", "ratee", "rater", "score"),
    "insteval": ("insteval.csv.gz", "d", "s", "y"),
}
TOY = (
    [4.9, 4.1, 3.4, 3.1, 2.6, 2.9, 2.1, 2.6, 3.2, 4.6, 5.0, 4.4],
    ["ana"] * 3 + ["ben"] * 3 + ["cy"] * 3 + ["dee"] * 3,
    ["r1", "r2", "r3", "r2", "r3", "r4", "r3", "r4", "r1", "r4", "r1", "r2"],
)


@cache
def shared() -> dict[str, Any]:
    return json.loads((REFERENCE / "ref_crossed.json").read_text())


@cache
def tandem_refs() -> dict[str, Any]:
    return json.loads((REFERENCE / "ref_crossed_tandem.json").read_text())


@cache
def fitted(name: str) -> CrossedFit:
    if name == "toy":
        values, ratee, rater = TOY
        return crossed_reml(values, ratee=ratee, rater=rater)
    path, ratee_col, rater_col, value_col = DATA[name]
    opener = gzip.open if path.endswith(".gz") else open
    with opener(REFERENCE / path, "rt", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return crossed_reml(
        [float(r[value_col]) for r in rows],
        ratee=[r[ratee_col] for r in rows],
        rater=[r[rater_col] for r in rows],
    )


def columns(name: str) -> tuple[str, str]:
    """lme4's names of the ratee and rater grouping factors in a data set."""
    return ("ratee", "rater") if name == "toy" else DATA[name][1:3]


def by_id(ids: np.ndarray, values: np.ndarray) -> dict[str, float]:
    return dict(zip([str(i) for i in ids.tolist()], values.tolist(), strict=True))


def check_scalars(fit: CrossedFit, ref: dict[str, Any], name: str, tol: float) -> None:
    ratee, rater = columns(name)
    assert fit.n == ref["n"]
    assert fit.converged and fit.separable and fit.boundary == ()
    assert fit.intercept == pytest.approx(ref["fixef"], rel=tol)
    assert fit.reml_criterion == pytest.approx(ref["reml_criterion"], rel=tol)
    assert fit.var_ratee == pytest.approx(ref["variance"][ratee], rel=tol)
    assert fit.var_rater == pytest.approx(ref["variance"][rater], rel=tol)
    assert fit.var_residual == pytest.approx(ref["variance"]["Residual"], rel=tol)


def check_effects(fit: CrossedFit, effects: dict[str, Any], name: str, tol: float) -> None:
    ratee, rater = columns(name)
    for got, expected in (
        (by_id(fit.ratee_ids, fit.ratee_effects), effects[ratee]),
        (by_id(fit.rater_ids, fit.rater_effects), effects[rater]),
    ):
        assert got.keys() == expected.keys()
        worst = max(abs(got[k] - v) for k, v in expected.items())
        assert worst < tol


@pytest.mark.parametrize("name", ["penicillin", "sim360"])
def test_variances_intercept_and_criterion_match_lme4(name: str) -> None:
    """R: lme4::lmer(diameter ~ 1 + (1 | plate) + (1 | sample), Penicillin, REML = TRUE) and
    lme4::lmer(score ~ 1 + (1 | ratee) + (1 | rater), sim360_crossed, REML = TRUE): VarCorr,
    fixef, REMLcrit (ref_crossed.json, lme4 1.1-31), to 1e-4 relative."""
    check_scalars(fitted(name), shared()[name], name, ISSUE_TOL)


@pytest.mark.parametrize("name", ["penicillin", "sim360"])
def test_every_random_effect_matches_lme4(name: str) -> None:
    """R: ranef(lmer(...)) of the same two fits (ref_crossed.json): every conditional mode of
    24 plates, 6 samples, 300 ratees and 794 raters, to 1e-4."""
    check_effects(fitted(name), shared()[name]["effects"], name, ISSUE_TOL)


@pytest.mark.parametrize("name", ["penicillin", "sim360", "toy"])
def test_the_optimum_matches_lme4_with_a_tight_optimiser(name: str) -> None:
    """R: lmer(..., control = lmerControl(optimizer = "bobyqa", optCtrl = list(rhoend =
    1e-12))): VarCorr, fixef, REMLcrit, getME(fit, "theta"), sqrt(diag(vcov(fit))) and ranef
    (ref_crossed_tandem.json, "tight"), to 1e-6."""
    fit = fitted(name)
    ref = tandem_refs()[name]["tight"]
    check_scalars(fit, ref, name, TIGHT_TOL)
    ratee, rater = columns(name)
    assert fit.theta[0] == pytest.approx(ref["theta"][f"{ratee}.(Intercept)"], rel=TIGHT_TOL)
    assert fit.theta[1] == pytest.approx(ref["theta"][f"{rater}.(Intercept)"], rel=TIGHT_TOL)
    assert fit.intercept_se == pytest.approx(ref["fixef_se"], rel=TIGHT_TOL)
    check_effects(fit, ref["effects"], name, TIGHT_TOL)


@pytest.mark.parametrize("name", ["penicillin", "sim360", "toy", "insteval"])
def test_conditional_sds_match_lme4_condvar(name: str) -> None:
    """R: sqrt(attr(ranef(fit, condVar = TRUE)[[g]], "postVar")) of the tight fits
    (ref_crossed_tandem.json): sigma^2 theta^2 diag(A^-1) per level, to 1e-6 relative."""
    fit = fitted(name)
    cond_sd = tandem_refs()[name]["tight"]["cond_sd"]
    ratee, rater = columns(name)
    for got, expected in (
        (by_id(fit.ratee_ids, fit.ratee_effect_sd), cond_sd[ratee]),
        (by_id(fit.rater_ids, fit.rater_effect_sd), cond_sd[rater]),
    ):
        worst = max(abs(got[k] / v - 1) for k, v in expected.items())
        assert worst < TIGHT_TOL


def test_insteval_a_real_rater_data_set_matches_lme4() -> None:
    """R: lme4::lmer(y ~ 1 + (1 | d) + (1 | s), InstEval, REML = TRUE), lecturers (d) as ratees
    and students (s) as raters (ref_crossed_tandem.json, "default" to 1e-4 as the issue asks,
    and "tight" with ranef to 1e-6)."""
    fit = fitted("insteval")
    assert (len(fit.ratee_ids), len(fit.rater_ids)) == (1128, 2972)
    refs = tandem_refs()["insteval"]
    check_scalars(fit, refs["default"], "insteval", ISSUE_TOL)
    check_scalars(fit, refs["tight"], "insteval", TIGHT_TOL)
    check_effects(fit, refs["tight"]["effects"], "insteval", TIGHT_TOL)


def test_lme4_default_optimiser_stops_short_and_tandem_does_not() -> None:
    """R: REMLcrit of the default and the tight lmer fits on Penicillin and the simulated 360
    (ref_crossed_tandem.json): Tandem's criterion is never above either (it is the minimum)."""
    for name in ("penicillin", "sim360", "toy", "insteval"):
        refs = tandem_refs()[name]
        best = min(refs["default"]["reml_criterion"], refs["tight"]["reml_criterion"])
        assert fitted(name).reml_criterion <= best + 1e-9 * abs(best)
