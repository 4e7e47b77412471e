"""Every number in reference.json that tandem.measure computes, reproduced from R.

Each test names the R call behind its numbers (see tests/reference/reference.R, R 4.2.2,
psych 2.2.9, multilevel 2.7). Tolerance 1e-6, and 1e-5 for omega (psych's optimiser stops
short of the exact minres solution).
"""

from __future__ import annotations

import csv

import numpy as np
import pytest

from tandem.measure import ad_m, bliese_icc, cronbach_alpha, icc, omega_total, rwg, rwg_j
from tests.measure.refdata import REFERENCE, bfi_keys, columns, reference, table

TOL = 1e-6
OMEGA_TOL = 1e-5
BFI_SCALES = ["agree", "conscientious", "extraversion", "neuroticism", "openness"]


def bfi_alpha(scale: str):
    keys = bfi_keys()[scale]
    items = [k.lstrip("-") for k in keys]
    data = columns("bfi.csv", items)
    return cronbach_alpha(data, reverse=[k.startswith("-") for k in keys], item_names=items)


@pytest.mark.parametrize("scale", BFI_SCALES)
def test_alpha_totals_match_psych_alpha(scale: str) -> None:
    # R: psych::alpha(bfi[, items], keys = reversed, check.keys = FALSE)$total
    expected = reference()["alpha"][scale]["total"]
    result = bfi_alpha(scale)
    assert result.raw_alpha == pytest.approx(expected["raw_alpha"], abs=TOL)
    assert result.std_alpha == pytest.approx(expected["std.alpha"], abs=TOL)
    assert result.g6 == pytest.approx(expected["G6(smc)"], abs=TOL)
    assert result.average_r == pytest.approx(expected["average_r"], abs=TOL)
    assert result.mean == pytest.approx(expected["mean"], abs=TOL)
    assert result.sd == pytest.approx(expected["sd"], abs=TOL)


@pytest.mark.parametrize("scale", BFI_SCALES)
def test_item_statistics_match_psych_alpha(scale: str) -> None:
    # R: psych::alpha(bfi[, items], keys = reversed, check.keys = FALSE)$item.stats
    rows = reference()["alpha"][scale]["item.stats"]
    result = bfi_alpha(scale)
    for i, row in enumerate(rows):
        assert result.item_n[i] == row["n"]
        assert result.raw_r[i] == pytest.approx(row["raw.r"], abs=TOL)
        assert result.std_r[i] == pytest.approx(row["std.r"], abs=TOL)
        assert result.r_drop[i] == pytest.approx(row["r.drop"], abs=TOL)
        assert result.item_mean[i] == pytest.approx(row["mean"], abs=TOL)
        assert result.item_sd[i] == pytest.approx(row["sd"], abs=TOL)


@pytest.mark.parametrize("scale", BFI_SCALES)
def test_alpha_if_dropped_matches_psych_alpha(scale: str) -> None:
    # R: psych::alpha(bfi[, items], keys = reversed, check.keys = FALSE)$alpha.drop
    rows = reference()["alpha"][scale]["alpha.drop"]
    result = bfi_alpha(scale)
    for i, row in enumerate(rows):
        assert result.alpha_if_dropped[i] == pytest.approx(row["raw_alpha"], abs=TOL)
        assert result.std_alpha_if_dropped[i] == pytest.approx(row["std.alpha"], abs=TOL)


def test_alpha_matches_psych_score_items() -> None:
    # R: psych::scoreItems(psychTools::bfi.keys, bfi[, 1:25], totals = FALSE, impute = "none")$alpha
    expected = reference()["scoreItems_alpha"][0]
    for scale, value in zip(BFI_SCALES, expected, strict=True):
        assert bfi_alpha(scale).raw_alpha == pytest.approx(value, abs=TOL)


def test_omega_total_matches_psych_omega() -> None:
    # R: psych::omega(bfi[, paste0("N", 1:5)], nfactors = 1, plot = FALSE)$omega.tot
    result = omega_total(columns("bfi.csv", [f"N{i}" for i in range(1, 6)]))
    assert result.converged
    assert result.omega_total == pytest.approx(
        reference()["omega"]["N_nf1_omega_tot"], abs=OMEGA_TOL
    )


def test_minres_loadings_match_psych_fa() -> None:
    # R: psych::fa(bfi[, paste0("N", 1:5)], 1, fm = "minres")$loadings
    result = omega_total(columns("bfi.csv", [f"N{i}" for i in range(1, 6)]))
    expected = reference()["omega"]["N_minres_loadings"]
    np.testing.assert_allclose(result.loadings, expected, atol=OMEGA_TOL)


FORMS = ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]


@pytest.mark.parametrize("position", range(6), ids=FORMS)
def test_icc_forms_match_psych_icc(position: int) -> None:
    # R: psych::ICC(sf, lmer = FALSE)$results  (Shrout & Fleiss 1979, 6 targets x 4 judges)
    _header, sf = table("shrout_fleiss_1979.csv")
    row = reference()["icc_sf"][position]
    form = icc(sf).forms[position]
    assert form.name == row["type"]
    assert form.value == pytest.approx(row["ICC"], abs=TOL)
    assert form.f == pytest.approx(row["F"], abs=TOL)
    assert form.df1 == pytest.approx(row["df1"], abs=TOL)
    assert form.df2 == pytest.approx(row["df2"], abs=TOL)
    assert form.p == pytest.approx(row["p"], abs=TOL)
    assert form.lower == pytest.approx(row["lower bound"], abs=TOL)
    assert form.upper == pytest.approx(row["upper bound"], abs=TOL)


def lq2002_lead_items() -> tuple[np.ndarray, np.ndarray]:
    items = columns("lq2002.csv", [f"LEAD{i:02d}" for i in range(1, 12)])
    return items, columns("lq2002.csv", ["COMPID"])[:, 0].astype(int)


def test_bliese_icc_matches_multilevel() -> None:
    # R: a2 <- aov(LEAD ~ as.factor(COMPID), data = lq2002); multilevel::ICC1(a2); ICC2(a2)
    lead = columns("lq2002.csv", ["LEAD"])[:, 0]
    _items, company = lq2002_lead_items()
    result = bliese_icc(lead, company)
    icc1, icc2 = reference()["bliese"]["lq2002_LEAD_ICC1_ICC2"]
    assert result.icc1 == pytest.approx(icc1, abs=TOL)
    assert result.icc2 == pytest.approx(icc2, abs=TOL)
    assert result.n_groups == 49


def test_rwg_j_mean_and_median_match_multilevel() -> None:
    # R: rj <- multilevel::rwg.j(lq2002[, LEAD01..LEAD11], lq2002$COMPID, ranvar = 2)
    #    mean(rj$rwg.j); median(rj$rwg.j)
    items, company = lq2002_lead_items()
    result = rwg_j(items, company, scale_points=5)
    assert result.mean == pytest.approx(reference()["bliese"]["lq2002_rwgj_mean"], abs=TOL)
    assert result.median == pytest.approx(reference()["bliese"]["lq2002_rwgj_median"], abs=TOL)


def test_rwg_j_per_company_matches_multilevel() -> None:
    # R: multilevel::rwg.j(lq2002[, LEAD01..LEAD11], lq2002$COMPID, ranvar = 2), written to
    #    ref_rwgj_lq2002.csv by reference.R
    items, company = lq2002_lead_items()
    result = rwg_j(items, company, scale_points=5)
    with (REFERENCE / "ref_rwgj_lq2002.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [str(v) for v in result.labels] == [row["grpid"] for row in rows]
    np.testing.assert_allclose(result.values, [float(r["rwg.j"]) for r in rows], atol=TOL)
    assert result.sizes.tolist() == [int(r["gsize"]) for r in rows]


def test_rwg_of_the_lead_scale_matches_multilevel() -> None:
    # R: mean(multilevel::rwg(lq2002$LEAD, lq2002$COMPID, ranvar = 2)$rwg)
    lead = columns("lq2002.csv", ["LEAD"])[:, 0]
    _items, company = lq2002_lead_items()
    result = rwg(lead, company, scale_points=5)
    assert result.mean == pytest.approx(reference()["bliese"]["lq2002_rwg_LEAD_mean"], abs=TOL)


def test_ad_m_matches_multilevel() -> None:
    # R: mean(multilevel::ad.m(lq2002[, LEAD01..LEAD11], lq2002$COMPID)$AD.M)
    items, company = lq2002_lead_items()
    result = ad_m(items, company)
    assert result.mean == pytest.approx(reference()["bliese"]["lq2002_adm_mean"], abs=TOL)
