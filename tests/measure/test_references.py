"""The reference values a small cycle falls back on are what the lq2002 data say.

lq2002 (R package multilevel, Bliese 2013): 2,042 soldiers rating their leaders on eleven
1-5 questions in 49 companies; LEAD is the mean of the eleven. One-way random-effects ANOVA:
within mean square, and the between variance of company means less the within part.
"""

from __future__ import annotations

import numpy as np

from tandem.measure.references import LQ2002
from tests.measure.refdata import REFERENCE as REFERENCE_DIR


def _components(values: np.ndarray, groups: np.ndarray) -> tuple[float, float]:
    labels, codes = np.unique(groups, return_inverse=True)
    count = np.bincount(codes)
    means = np.bincount(codes, weights=values) / count
    within = float(((values - means[codes]) ** 2).sum() / (values.size - labels.size))
    between = float(np.var(means, ddof=1) - within / (values.size / labels.size))
    return max(between, 0.0), within


def _lq2002() -> tuple[np.ndarray, list[str], np.ndarray]:
    path = REFERENCE_DIR / "lq2002.csv"
    header = path.read_text().splitlines()[0].replace('"', "").split(",")
    data = np.genfromtxt(path, delimiter=",", skip_header=1)
    return data, header, data[:, header.index("COMPID")]


def test_the_scale_values_come_from_lq2002() -> None:
    data, header, company = _lq2002()
    lead = data[:, header.index("LEAD")]
    keep = ~np.isnan(lead)
    between, within = _components(lead[keep], company[keep])
    assert round(float(np.sqrt(within)), 2) == LQ2002.rater_sd
    assert round(float(np.sqrt(between + within / 8)), 2) == LQ2002.people_sd


def test_the_question_value_comes_from_lq2002() -> None:
    data, header, company = _lq2002()
    sds = []
    for k in range(1, 12):
        item = data[:, header.index(f"LEAD{k:02d}")]
        keep = ~np.isnan(item)
        between, within = _components(item[keep], company[keep])
        sds.append(np.sqrt(between + within / 8))
    assert round(float(np.mean(sds)), 2) == LQ2002.people_item_sd
