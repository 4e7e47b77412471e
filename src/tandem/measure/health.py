"""Instrument health: do an instrument's two lenses behave as two related things in these data?

One function, :func:`instrument_health`, reads a table of sheets (one rater's answers about one
person per row) and says, with the numbers behind each verdict:

* whether two lenses (leadership and management) fit clearly better than one, how strongly
  they are related, and how well the two-lens model fits (confirmatory factor analysis,
  :func:`tandem.measure.cfa`);
* how reliable each scale is (alpha and omega) and each lens (omega from the model);
* which questions behave badly (a low loading, a low item-rest correlation, or closer to the
  other lens than to their own);
* whether self-ratings and others' ratings, and managers', peers' and direct reports' ratings,
  measure the same thing (:func:`tandem.measure.measurement_invariance`).

Every cut-off is a module constant with its source; ``docs/instrument-health.md`` explains each
verdict in plain words. Below the sample sizes where a model means anything, nothing is fitted
and the result says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike

from tandem.measure._arrays import FloatArray, as_float_matrix
from tandem.measure.cfa import CFAResult, ChiSquareDifference, FitMeasures, cfa
from tandem.measure.cfa import chi_square_difference as _difference
from tandem.measure.invariance import measurement_invariance
from tandem.measure.reliability import cronbach_alpha, omega_total

__all__ = [
    "GroupComparison",
    "InstrumentHealth",
    "ItemHealth",
    "ScaleHealth",
    "instrument_health",
]

MIN_SHEETS = 200
"""Fewest complete sheets for the lens models (Kline 2016, ch. 9: about 200 is the typical
sample in structural equation modelling; below it estimates and fit indices are unstable)."""
SHEETS_PER_PARAMETER = 5
"""And at least 5 sheets per free parameter of the two-lens model (Bentler & Chou 1987)."""
MIN_GROUP_SHEETS = 100
"""Fewest complete sheets in each rater group compared (Kline 2016: below 100 is a small
sample, where most models are hard to estimate); also at least twice the number of items."""
MIN_RELIABILITY_SHEETS = 30
"""Fewest sheets for a scale's alpha and omega: at 30 a typical alpha of .80 on six items
already has a 95% interval of about .68 to .89 (Feldt, Woodruff & Salih 1987)."""

GOOD_FIT = (0.95, 0.06, 0.08)
"""CFI at least, RMSEA at most, SRMR at most: good fit (Hu & Bentler 1999)."""
ACCEPTABLE_FIT = (0.90, 0.08, 0.10)
"""Acceptable fit (Bentler & Bonett 1980 for CFI; Browne & Cudeck 1993 for RMSEA; Kline
2016, ch. 12 for SRMR)."""
CLEARLY_WORSE_CFI = -0.010
"""One lens fits clearly worse when CFI drops by .010 or more against two lenses (the size of
change Cheung & Rensvold 2002 and Chen 2007 treat as real), with a significant chi-square
difference."""
SIGNIFICANCE = 0.05
HARDLY_DISTINCT_R = 0.85
"""Lenses correlated .85 or more are hard to tell apart (Brown 2015, ch. 5: discriminant
validity)."""
LOOSELY_RELATED_R = 0.30
"""Below .30 the two lenses are largely separate (Cohen 1988: a small correlation)."""
LOW_LOADING = 0.40
"""A standardised loading below .40 is weak (Brown 2015, ch. 4; Stevens 2009)."""
LOW_ITEM_REST = 0.30
"""An item-rest correlation below .30 is weak (Nunnally & Bernstein 1994)."""
GOOD_RELIABILITY = 0.80
ACCEPTABLE_RELIABILITY = 0.70
"""Alpha and omega: .80 good for comparing people, .70 acceptable (Nunnally & Bernstein
1994)."""
CHEN_CFI = -0.010
CHEN_RMSEA = 0.015
"""Invariance fails when CFI drops by .010 or more together with RMSEA rising by .015 or more
(Chen 2007); a drop in CFI alone makes it doubtful."""

SELF = "self"
OBSERVERS = ("manager", "peer", "direct_report")


@dataclass(frozen=True)
class ScaleHealth:
    """One scale's reliability over the sheets that answered all its questions.

    ``alpha`` and ``omega`` are NaN when there were fewer than ``MIN_RELIABILITY_SHEETS``
    sheets (or the value could not be computed); ``verdict`` is ``"good"``,
    ``"acceptable"``, ``"low"`` or ``"unknown"`` (by the lower of the two).
    """

    scale: str
    lens: str
    n_items: int
    n_sheets: int
    alpha: float
    omega: float
    verdict: str


@dataclass(frozen=True)
class ItemHealth:
    """One question: its loading on its own lens, item-rest correlation in its scale, and its
    correlation with each lens's total (its own lens without the question itself).

    ``flags`` names what is wrong: ``"low_loading"``, ``"low_item_rest"``, ``"other_lens"``,
    ``"heywood"`` (a negative residual variance).
    """

    item: str
    scale: str
    lens: str
    loading: float
    item_rest: float
    own_lens_r: float
    other_lens_r: float
    flags: tuple[str, ...]


@dataclass(frozen=True)
class GroupComparison:
    """Measurement invariance across rater groups, or why it was not tested.

    ``status`` is ``"fitted"``, ``"too_few"`` (fewer than two groups of
    ``min_group_sheets``; ``sizes`` says how many each had) or ``"failed"`` (``message`` says
    why). ``metric`` and ``scalar`` are ``"holds"``, ``"doubtful"`` or ``"fails"``; ``level`` is
    the highest step that holds: ``"scalar"`` (scores and means can be compared),
    ``"metric"`` (relations can be compared, means not), ``"configural"`` (the same two lenses,
    weighted differently) or ``"none"`` (the two-lens model does not fit in every group).
    """

    name: str
    groups: tuple[str, ...]
    sizes: tuple[int, ...]
    status: str
    message: str = ""
    configural: FitMeasures | None = None
    configural_verdict: str = ""
    metric_vs_configural: ChiSquareDifference | None = None
    scalar_vs_metric: ChiSquareDifference | None = None
    metric: str = ""
    scalar: str = ""
    level: str = ""


@dataclass(frozen=True)
class InstrumentHealth:
    """Everything :func:`instrument_health` found; see its docstring for each verdict.

    ``status`` is ``"fitted"``, ``"too_few"`` (``n_complete`` is below ``min_sheets``) or
    ``"failed"`` (a model did not converge or the data do not allow it; ``message`` says why).
    ``structure`` is ``"two_related"``, ``"two_separate"``, ``"hardly_distinct"`` or
    ``"one_lens"`` (empty unless fitted); ``fit_verdict`` is ``"good"``, ``"acceptable"`` or
    ``"poor"`` for the two-lens model.
    """

    lenses: tuple[str, str]
    n_sheets: int
    n_complete: int
    min_sheets: int
    status: str
    message: str
    two_lens: FitMeasures | None
    one_lens: FitMeasures | None
    difference: ChiSquareDifference | None
    lens_correlation: float
    lens_omega: tuple[float, float]
    structure: str
    fit_verdict: str
    scales: tuple[ScaleHealth, ...]
    items: tuple[ItemHealth, ...]
    comparisons: tuple[GroupComparison, ...]
    notes: tuple[str, ...]

    @property
    def weak_items(self) -> tuple[ItemHealth, ...]:
        return tuple(item for item in self.items if item.flags)


def fit_verdict(fit: FitMeasures) -> str:
    """``"good"`` (Hu & Bentler 1999), ``"acceptable"`` or ``"poor"`` by CFI, RMSEA and SRMR.

    Examples
    --------
    >>> from tandem.measure.cfa import FitMeasures
    >>> nan = float("nan")
    >>> fit = FitMeasures(chisq=1.0, df=1, pvalue=0.3, cfi=0.96, tli=0.95, rmsea=0.05,
    ...                   rmsea_ci_lower=0.0, rmsea_ci_upper=0.1, srmr=0.04, aic=nan, bic=nan,
    ...                   logl=nan, n_parameters=1, n_obs=300, baseline_chisq=nan,
    ...                   baseline_df=1)
    >>> fit_verdict(fit)
    'good'
    """
    for verdict, (cfi, rmsea, srmr) in (("good", GOOD_FIT), ("acceptable", ACCEPTABLE_FIT)):
        if fit.cfi >= cfi and fit.rmsea <= rmsea and fit.srmr <= srmr:
            return verdict
    return "poor"


def _reliability_verdict(*values: float) -> str:
    finite = [v for v in values if np.isfinite(v)]
    if not finite:
        return "unknown"
    lowest = min(finite)
    if lowest >= GOOD_RELIABILITY:
        return "good"
    return "acceptable" if lowest >= ACCEPTABLE_RELIABILITY else "low"


def _step(test: ChiSquareDifference) -> str:
    """Chen (2007): a CFI drop of .010 with an RMSEA rise of .015 means the step fails."""
    if test.delta_cfi > CHEN_CFI:
        return "holds"
    return "fails" if test.delta_rmsea >= CHEN_RMSEA else "doubtful"


def instrument_health(
    answers: ArrayLike,
    *,
    items: Sequence[str],
    item_scale: Sequence[str],
    scale_lens: dict[str, str],
    lenses: tuple[str, str] = ("leadership", "management"),
    groups: Sequence[str] | None = None,
) -> InstrumentHealth:
    """How an instrument's two lenses and its questions behave in a set of sheets.

    Parameters
    ----------
    answers : array_like, shape (n, k)
        One row per sheet (one rater's answers about one person), one column per rated
        question, already reverse-keyed so that higher is always more; NaN is no answer (or
        "not observed"). Sheets with a missing answer are left out of the models (listwise,
        as lavaan).
    items : sequence of str
        The question ids, one per column.
    item_scale : sequence of str
        Each question's scale.
    scale_lens : dict of str to str
        Each scale's lens (one of ``lenses``); scales not listed are left out.
    lenses : (str, str)
        The two lenses' names, in the order results are given.
    groups : sequence of str, optional
        Each sheet's rater group (``"self"``, ``"manager"``, ``"peer"``, ``"direct_report"``,
        ``"other"``); without it no invariance is tested.

    Returns
    -------
    InstrumentHealth

    Notes
    -----
    The **two-lens model** has each question load on its lens only, the lenses correlated;
    the **one-lens model** puts every question on one factor. ``structure`` is

    * ``"one_lens"`` unless one lens fits clearly worse: a significant chi-square difference
      (p < .05) with a CFI lower by .010 or more (Cheung & Rensvold 2002; Chen 2007);
    * otherwise ``"hardly_distinct"`` when the lenses correlate .85 or more (Brown 2015),
      ``"two_separate"`` below .30, and ``"two_related"`` between.

    ``fit_verdict`` reads CFI, RMSEA and SRMR of the two-lens model against Hu & Bentler's
    (1999) cut-offs (good: CFI >= .95, RMSEA <= .06, SRMR <= .08) and the older, looser ones
    (acceptable: .90, .08, .10). A lens's omega is ``(sum lambda)^2 psi / ((sum lambda)^2 psi
    + sum theta)`` from the two-lens model (McDonald 1999).

    A question is flagged when its standardised loading is below .40, its item-rest
    correlation in its scale below .30, or it correlates more with the other lens's total than
    with its own lens's total without it.

    Invariance is tested across self and others (manager, peers, direct reports and others
    together), and across manager, peers and direct reports, with the groups that have at
    least 100 complete sheets. Each step (equal loadings, then equal intercepts) fails when
    CFI drops by .010 or more with RMSEA rising by .015 or more (Chen 2007), and is doubtful
    when only CFI drops. Sheets about the same person are not independent; the models treat
    them as if they were, so chi-square p-values are optimistic and the verdicts lean on the
    fit indices instead.

    References
    ----------
    Kline, R. B. (2016). Principles and Practice of Structural Equation Modeling (4th ed.).
    Brown, T. A. (2015). Confirmatory Factor Analysis for Applied Research (2nd ed.).
    Hu, L., & Bentler, P. M. (1999). Structural Equation Modeling, 6, 1-55.
    Chen, F. F. (2007). Structural Equation Modeling, 14, 464-504.
    Cheung, G. W., & Rensvold, R. B. (2002). Structural Equation Modeling, 9, 233-255.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> lens = rng.normal(size=(400, 2)) @ np.linalg.cholesky([[1, 0.5], [0.5, 1]]).T
    >>> x = np.repeat(lens, 4, axis=1) * 0.8 + rng.normal(scale=0.6, size=(400, 8))
    >>> names = [f"q{i}" for i in range(8)]
    >>> scales = ["l1", "l1", "l2", "l2", "m1", "m1", "m2", "m2"]
    >>> lenses = {"l1": "leadership", "l2": "leadership", "m1": "management", "m2": "management"}
    >>> health = instrument_health(x, items=names, item_scale=scales, scale_lens=lenses)
    >>> health.status, health.structure, health.fit_verdict
    ('fitted', 'two_related', 'good')
    >>> round(health.lens_correlation, 1)
    0.5
    >>> instrument_health(x[:50], items=names, item_scale=scales, scale_lens=lenses).status
    'too_few'
    """
    x = as_float_matrix(answers, name="answers")
    if len(items) != x.shape[1] or len(item_scale) != x.shape[1]:
        raise ValueError(
            f"items and item_scale need one entry per column ({x.shape[1]}); got "
            f"{len(items)} and {len(item_scale)}"
        )
    if groups is not None and len(groups) != x.shape[0]:
        raise ValueError(f"groups needs one entry per sheet ({x.shape[0]}); got {len(groups)}")
    unknown = sorted(set(scale_lens.values()) - set(lenses))
    if unknown:
        raise ValueError(f"scale_lens names lenses {unknown}; the lenses are {list(lenses)}")
    keep = [j for j, s in enumerate(item_scale) if s in scale_lens]
    names = [str(items[j]) for j in keep]
    scale_of = [str(item_scale[j]) for j in keep]
    lens_of = [scale_lens[s] for s in scale_of]
    x = x[:, keep]
    factors = {
        lens: [n for n, ln in zip(names, lens_of, strict=True) if ln == lens] for lens in lenses
    }
    complete = ~np.isnan(x).any(axis=1)
    rows = x[complete]
    n_complete = int(rows.shape[0])
    p = len(names)
    q = 2 * p + 1  # loadings (less two markers), residuals, two variances and a covariance
    min_sheets = max(MIN_SHEETS, SHEETS_PER_PARAMETER * q)
    scales = _scales(rows, scale_of, lens_of)
    empty = InstrumentHealth(
        lenses=lenses,
        n_sheets=int(x.shape[0]),
        n_complete=n_complete,
        min_sheets=min_sheets,
        status="too_few",
        message="",
        two_lens=None,
        one_lens=None,
        difference=None,
        lens_correlation=float("nan"),
        lens_omega=(float("nan"), float("nan")),
        structure="",
        fit_verdict="",
        scales=scales,
        items=(),
        comparisons=(),
        notes=(),
    )
    if any(len(v) < 2 for v in factors.values()):
        few = [lens for lens, v in factors.items() if len(v) < 2]
        return replace(
            empty, status="failed", message=f"the {few[0]} lens has fewer than 2 questions"
        )
    if n_complete < min_sheets:
        return empty
    try:
        two = cfa(rows, factors=factors, columns=names)
        one = cfa(
            rows, factors={"one lens": [n for f in factors.values() for n in f]}, columns=names
        )
    except ValueError as exc:
        return replace(empty, status="failed", message=str(exc))
    difference = _difference(one.fit, two.fit)
    r = float(two.factor_correlation[0, 1])
    if not (difference.p < SIGNIFICANCE and difference.delta_cfi <= CLEARLY_WORSE_CFI):
        structure = "one_lens"
    elif abs(r) >= HARDLY_DISTINCT_R:
        structure = "hardly_distinct"
    elif abs(r) < LOOSELY_RELATED_R:
        structure = "two_separate"
    else:
        structure = "two_related"
    comparisons: tuple[GroupComparison, ...] = ()
    if groups is not None:
        g = np.asarray([str(v) for v in groups], dtype=object)[complete]
        comparisons = (
            _compare(
                rows,
                np.where(g == SELF, "self", "others"),
                ("self", "others"),
                "self_vs_others",
                factors,
                names,
            ),
            _compare(rows, g, OBSERVERS, "observers", factors, names),
        )
    return replace(
        empty,
        status="fitted",
        two_lens=two.fit,
        one_lens=one.fit,
        difference=difference,
        lens_correlation=r,
        lens_omega=_lens_omega(two),
        structure=structure,
        fit_verdict=fit_verdict(two.fit),
        items=_items(rows, two, names, scale_of, lens_of, lenses),
        comparisons=comparisons,
        notes=two.notes,
    )


def _scales(rows: FloatArray, scale_of: list[str], lens_of: list[str]) -> tuple[ScaleHealth, ...]:
    out = []
    for scale in dict.fromkeys(scale_of):
        cols = [j for j, s in enumerate(scale_of) if s == scale]
        block = rows[:, cols]
        alpha = omega = float("nan")
        if len(cols) >= 2 and block.shape[0] >= MIN_RELIABILITY_SHEETS:
            try:
                alpha = float(cronbach_alpha(block).raw_alpha)
                fitted = omega_total(block)
                omega = float(fitted.omega_total) if fitted.converged else float("nan")
            except ValueError:
                pass
        out.append(
            ScaleHealth(
                scale=scale,
                lens=lens_of[cols[0]],
                n_items=len(cols),
                n_sheets=int(block.shape[0]),
                alpha=alpha,
                omega=omega,
                verdict=_reliability_verdict(alpha, omega),
            )
        )
    return tuple(out)


def _lens_omega(model: CFAResult) -> tuple[float, float]:
    out = []
    for f in range(2):
        mine = model.item_factor == f
        loading_sum = float(model.loadings[mine, f].sum())
        common = loading_sum**2 * float(model.factor_covariance[f, f])
        out.append(common / (common + float(model.residual_variances[mine].sum())))
    return out[0], out[1]


def _corr(a: FloatArray, b: FloatArray) -> float:
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(np.corrcoef(a, b)[0, 1])


def _items(
    rows: FloatArray,
    model: CFAResult,
    names: list[str],
    scale_of: list[str],
    lens_of: list[str],
    lenses: tuple[str, str],
) -> tuple[ItemHealth, ...]:
    position = {name: i for i, name in enumerate(model.item_names)}  # the model's lens order
    totals = {
        lens: rows[:, [j for j, ln in enumerate(lens_of) if ln == lens]].sum(axis=1)
        for lens in lenses
    }
    out = []
    for j, (name, scale, lens) in enumerate(zip(names, scale_of, lens_of, strict=True)):
        i = position[name]
        loading = float(model.standardized_loadings[i, model.item_factor[i]])
        value = rows[:, j]
        mates = [c for c, s in enumerate(scale_of) if s == scale and c != j]
        item_rest = _corr(value, rows[:, mates].sum(axis=1)) if mates else float("nan")
        own = _corr(value, totals[lens] - value)
        other = _corr(value, totals[lenses[1] if lens == lenses[0] else lenses[0]])
        flags = []
        if not loading >= LOW_LOADING:
            flags.append("low_loading")
        if not item_rest >= LOW_ITEM_REST:
            flags.append("low_item_rest")
        if other > own:
            flags.append("other_lens")
        if model.residual_variances[i] < 0:
            flags.append("heywood")
        out.append(
            ItemHealth(
                item=name,
                scale=scale,
                lens=lens,
                loading=loading,
                item_rest=item_rest,
                own_lens_r=own,
                other_lens_r=other,
                flags=tuple(flags),
            )
        )
    return tuple(out)


def _compare(
    rows: FloatArray,
    groups: np.ndarray,
    wanted: Sequence[str],
    name: str,
    factors: dict[str, list[str]],
    names: list[str],
) -> GroupComparison:
    """Invariance across the ``wanted`` groups that are big enough (two at least)."""
    sizes = tuple(int(np.count_nonzero(groups == g)) for g in wanted)
    smallest = max(MIN_GROUP_SHEETS, 2 * len(names))
    chosen = tuple(g for g, size in zip(wanted, sizes, strict=True) if size >= smallest)
    base = GroupComparison(name=name, groups=tuple(wanted), sizes=sizes, status="too_few")
    if len(chosen) < 2:
        return base
    mask = np.isin(groups, chosen)
    labels = np.asarray(groups[mask], dtype=str)
    try:
        steps = measurement_invariance(rows[mask], groups=labels, factors=factors, columns=names)
    except ValueError as exc:
        return replace(base, status="failed", message=str(exc))
    configural = fit_verdict(steps.configural.fit)
    metric = _step(steps.metric_vs_configural)
    scalar = _step(steps.scalar_vs_metric)
    if configural == "poor":
        level = "none"
    elif metric == "fails":
        level = "configural"
    elif scalar == "fails":
        level = "metric"
    else:
        level = "scalar"
    return replace(
        base,
        groups=chosen,
        sizes=tuple(int(np.count_nonzero(labels == g)) for g in chosen),
        status="fitted",
        configural=steps.configural.fit,
        configural_verdict=configural,
        metric_vs_configural=steps.metric_vs_configural,
        scalar_vs_metric=steps.scalar_vs_metric,
        metric=metric,
        scalar=scalar,
        level=level,
    )
