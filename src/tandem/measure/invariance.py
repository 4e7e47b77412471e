"""The same factor model in several groups, and measurement invariance across them.

Does the instrument measure the same thing in every group (departments, countries, raters
from different levels)? Fit the model in each group at once, then with loadings equal across
groups (metric invariance: a point on a scale means the same amount of the factor), then with
intercepts equal too (scalar invariance: group means can be compared), and test each step, as
``lavaan::cfa(model, data, group = ..., group.equal = ...)``. Checked against lavaan 0.6-14 in
``tests/measure/test_cfa_reference.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from tandem.measure._arrays import FloatArray, IntArray, as_float_matrix
from tandem.measure._cfa_fit import (
    FitMeasures,
    Moments,
    check_covariance,
    fit_measures,
    implied,
    layout,
    matrices,
    moments_of,
    optimise,
)
from tandem.measure.cfa import (
    ChiSquareDifference,
    ModelSpec,
    check_identified,
    chi_square_difference,
    column_names,
    correlations_by_pair,
    loadings_by_factor,
    model_spec,
    parameter_se,
    solution_notes,
    standardize,
)

__all__ = ["GroupCFAResult", "InvarianceResult", "measurement_invariance", "multigroup_cfa"]

EQUAL_CHOICES = ("loadings", "intercepts")


@dataclass(frozen=True)
class GroupCFAResult:
    """A factor model fitted in several groups at once (one fit, one set of fit measures).

    Arrays have the groups first, in ``group_labels`` order (the order in which each group
    first appears in the data, as lavaan). ``equal`` names what is held equal across groups.
    Per group: ``loadings`` (items x factors), ``intercepts``, ``residual_variances``,
    ``factor_covariance``, ``factor_means`` (0 in every group unless the intercepts are equal;
    then 0 in the first group and free in the others); ``standardized_*`` use each group's own
    implied variances (lavaan's ``std.all``); standard errors come from the expected
    information (NaN for fixed values).
    """

    group_labels: tuple[str, ...]
    group_sizes: IntArray
    equal: tuple[str, ...]
    factor_names: tuple[str, ...]
    item_names: tuple[str, ...]
    item_factor: IntArray
    n_obs: int
    n_dropped: int
    loadings: FloatArray
    loadings_se: FloatArray
    standardized_loadings: FloatArray
    intercepts: FloatArray
    intercepts_se: FloatArray
    residual_variances: FloatArray
    standardized_residual_variances: FloatArray
    factor_covariance: FloatArray
    factor_correlation: FloatArray
    factor_means: FloatArray
    fit: FitMeasures
    iterations: int
    notes: tuple[str, ...]

    def standardized_loadings_by_factor(self, group: int = 0) -> dict[str, dict[str, float]]:
        """``{factor: {item: standardised loading}}`` in one group (by position)."""
        return loadings_by_factor(
            self.factor_names, self.item_names, self.item_factor, self.standardized_loadings[group]
        )

    def factor_correlations_by_pair(self, group: int = 0) -> dict[str, float]:
        """``{"A~~B": r}`` in one group (by position)."""
        return correlations_by_pair(self.factor_names, self.factor_correlation[group])


@dataclass(frozen=True)
class InvarianceResult:
    """Configural, metric and scalar invariance, and the test of each step against the last."""

    configural: GroupCFAResult
    metric: GroupCFAResult
    scalar: GroupCFAResult
    metric_vs_configural: ChiSquareDifference
    scalar_vs_metric: ChiSquareDifference


@dataclass(frozen=True)
class _GroupData:
    spec: ModelSpec
    labels: tuple[str, ...]
    moments: Moments
    dropped: int


def _label(value: object) -> str:
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _group_codes(groups: ArrayLike, n: int) -> tuple[tuple[str, ...], IntArray]:
    """Group labels in order of first appearance, and each row's group (-1: no group)."""
    arr = np.asarray(groups)
    if arr.ndim != 1 or arr.shape[0] != n:
        raise ValueError(f"groups must give one label per row ({n}); got shape {arr.shape}")
    if arr.dtype.kind == "f":
        missing = np.isnan(arr)
    elif arr.dtype.kind in "biu":
        missing = np.zeros(n, dtype=bool)
    else:
        arr = np.array(
            ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in arr]
        ).astype(str)
        arr = np.char.strip(arr)
        missing = arr == ""
    present = arr[~missing]
    uniq, first, inverse = np.unique(present, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    codes = np.full(n, -1, dtype=np.intp)
    codes[~missing] = rank[inverse.ravel()]
    return tuple(_label(uniq[o]) for o in order), codes


def _group_data(
    data: ArrayLike,
    groups: ArrayLike,
    factors: Mapping[str, Sequence[str]],
    columns: Sequence[str] | None,
) -> _GroupData:
    x = as_float_matrix(data, name="data")
    spec = model_spec(factors, column_names(columns, x.shape[1]))
    labels, codes = _group_codes(groups, x.shape[0])
    items = x[:, spec.item_columns]
    keep = (codes >= 0) & ~np.isnan(items).any(axis=1)
    dropped = int(x.shape[0] - np.count_nonzero(keep))
    items, codes = items[keep], codes[keep]
    present = np.unique(codes)
    labels = tuple(labels[int(c)] for c in present)
    if len(labels) < 2:
        raise ValueError(
            f"comparing groups needs at least 2 groups with complete rows; found {len(labels)}"
            + (f" ({labels[0]!r})" if labels else "")
        )
    p = len(spec.item_names)
    sizes, means, covs = [], [], []
    for code, label in zip(present, labels, strict=True):
        rows = items[codes == code]
        if rows.shape[0] <= p:
            raise ValueError(
                f"group {label!r} has {rows.shape[0]} complete rows; a factor model of {p} "
                "items needs more rows than items in every group"
            )
        mean, cov = moments_of(rows)
        check_covariance(cov, spec.item_names, f" in group {label!r}")
        sizes.append(rows.shape[0])
        means.append(mean)
        covs.append(cov)
    moments = Moments(np.array(sizes, dtype=np.intp), np.array(means), np.array(covs))
    return _GroupData(spec, labels, moments, dropped)


def _fit_groups(gd: _GroupData, equal: tuple[str, ...]) -> GroupCFAResult:
    spec, mom = gd.spec, gd.moments
    n_groups = len(gd.labels)
    p = len(spec.item_names)
    lay = layout(
        spec.item_factor,
        n_groups,
        means=True,
        equal_loadings="loadings" in equal,
        equal_intercepts="intercepts" in equal,
    )
    check_identified(n_groups * (p * (p + 1) // 2 + p), lay.n_free, len(spec.factor_names))
    solution = optimise(lay, mom, items=spec.item_names, groups=gd.labels)
    se = parameter_se(solution.information, int(mom.n.sum()))
    keys = ("lam", "lam_se", "nu", "nu_se", "theta", "std_lam", "std_theta", "psi", "corr")
    parts: dict[str, list[FloatArray]] = {key: [] for key in (*keys, "alpha")}
    notes: list[str] = []
    rows = np.arange(p)
    missing = np.full(p, np.nan)
    for g in range(n_groups):
        lam, psi, theta, nu, alpha = matrices(solution.x, lay, g)
        sigma = implied(solution.x, lay, g)[0]
        std_lam, std_theta, corr = standardize(lam, psi, theta, sigma)
        lam_se = np.zeros_like(lam)
        lam_se[rows, spec.item_factor] = np.where(lay.lam[g] >= 0, se[lay.lam[g]], np.nan)
        nu_se = se[lay.nu[g]] if lay.nu is not None else missing
        values = (
            lam,
            lam_se,
            missing if nu is None else nu,
            nu_se,
            theta,
            std_lam,
            std_theta,
            psi,
            corr,
        )
        for key, value in zip(keys, values, strict=True):
            parts[key].append(value)
        parts["alpha"].append(alpha)
        notes += [f"group {gd.labels[g]!r}: {note}" for note in solution_notes(spec, theta, psi)]
    return GroupCFAResult(
        group_labels=gd.labels,
        group_sizes=mom.n,
        equal=equal,
        factor_names=spec.factor_names,
        item_names=spec.item_names,
        item_factor=spec.item_factor,
        n_obs=int(mom.n.sum()),
        n_dropped=gd.dropped,
        loadings=np.array(parts["lam"]),
        loadings_se=np.array(parts["lam_se"]),
        standardized_loadings=np.array(parts["std_lam"]),
        intercepts=np.array(parts["nu"]),
        intercepts_se=np.array(parts["nu_se"]),
        residual_variances=np.array(parts["theta"]),
        standardized_residual_variances=np.array(parts["std_theta"]),
        factor_covariance=np.array(parts["psi"]),
        factor_correlation=np.array(parts["corr"]),
        factor_means=np.array(parts["alpha"]),
        fit=fit_measures(solution.x, lay, mom),
        iterations=solution.iterations,
        notes=tuple(notes),
    )


def multigroup_cfa(
    data: ArrayLike,
    *,
    groups: ArrayLike,
    factors: Mapping[str, Sequence[str]],
    columns: Sequence[str] | None = None,
    equal: Sequence[str] = (),
) -> GroupCFAResult:
    """One factor model in several groups, as ``lavaan::cfa(model, data, group, group.equal)``.

    Parameters
    ----------
    data : array_like, shape (n, k)
        Rows are respondents, columns are items; NaN marks a missing answer. Rows with a
        missing answer in the model's items, or without a group, are left out (listwise).
    groups : array_like, shape (n,)
        Each row's group label; None, NaN or an empty string means no group.
    factors, columns
        As in :func:`tandem.measure.cfa`.
    equal : sequence of str
        What is held equal across groups: ``()`` (configural), ``("loadings",)`` (metric),
        ``("loadings", "intercepts")`` (scalar).

    Returns
    -------
    GroupCFAResult

    Notes
    -----
    Each group has its own means and divide-by-n covariance, and the model a mean structure
    ``mu_g = nu_g + Lambda_g alpha_g``. The estimates minimise
    ``F = sum_g (n_g / N) F_g``, ``F_g = log|Sigma_g| + tr(S_g Sigma_g^-1) +
    (m_g - mu_g)' Sigma_g^-1 (m_g - mu_g) - log|S_g| - p``; ``chisq = N F`` (each group's
    contribution weighted by its size), ``df = G (p (p + 3) / 2) - q``. Factor means are 0,
    except with equal intercepts, where they are free in every group but the first. RMSEA is
    ``sqrt(G) sqrt(max(chisq / df - 1, 0) / N)``; SRMR (Bentler, mean residuals included) and
    the independence baseline of CFI and TLI (free means and variances in each group) are per
    group, SRMR averaged with weights ``n_g / N``, as lavaan.

    References
    ----------
    Kline (2016), ch. 16. Meredith, W. (1993). Measurement invariance, factor analysis and
    factorial invariance. Psychometrika, 58, 525-543.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(3)
    >>> f = rng.normal(size=(600, 1))
    >>> x = 3 + f * [0.9, 0.8, 0.7, 0.6] + rng.normal(scale=0.6, size=(600, 4))
    >>> team = np.repeat(["north", "south"], 300)
    >>> fit = multigroup_cfa(x, groups=team, factors={"F": ["a", "b", "c", "d"]},
    ...                      columns=["a", "b", "c", "d"], equal=["loadings"])
    >>> fit.group_labels, fit.fit.df, bool(fit.loadings[0, 1, 0] == fit.loadings[1, 1, 0])
    (('north', 'south'), 7, True)
    """
    chosen = tuple(equal)
    unknown = [e for e in chosen if e not in EQUAL_CHOICES]
    if unknown or isinstance(equal, str):
        raise ValueError(f"equal takes a list of {', '.join(EQUAL_CHOICES)}; got {equal!r}")
    return _fit_groups(_group_data(data, groups, factors, columns), chosen)


def measurement_invariance(
    data: ArrayLike,
    *,
    groups: ArrayLike,
    factors: Mapping[str, Sequence[str]],
    columns: Sequence[str] | None = None,
) -> InvarianceResult:
    """Configural, metric and scalar invariance across groups, each step tested against the last.

    The three fits of :func:`multigroup_cfa` (nothing equal; equal loadings; equal loadings
    and intercepts) on the same rows, with :func:`tandem.measure.chi_square_difference` between
    metric and configural and between scalar and metric (with Chen's Delta-CFI and
    Delta-RMSEA).

    Parameters
    ----------
    data, groups, factors, columns
        As in :func:`multigroup_cfa`.

    Returns
    -------
    InvarianceResult

    Notes
    -----
    Read the steps in order. Metric invariance holds when equal loadings cost little fit (a
    chi-square difference that is not significant, or in large samples a drop in CFI below
    0.010 and a rise in RMSEA below 0.015, Chen 2007): then relations between scores can be
    compared across groups. Scalar invariance, judged the same way against the metric model,
    is what comparing group means needs.

    References
    ----------
    Chen, F. F. (2007). Structural Equation Modeling, 14, 464-504. Vandenberg, R. J., &
    Lance, C. E. (2000). A review and synthesis of the measurement invariance literature.
    Organizational Research Methods, 3, 4-70. Kline (2016), ch. 16.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(4)
    >>> f = rng.normal(size=(800, 1))
    >>> x = 3 + f * [0.9, 0.8, 0.7, 0.6] + rng.normal(scale=0.6, size=(800, 4))
    >>> x[400:, 3] += 0.5  # item d reads higher in the second group: not scalar invariant
    >>> steps = measurement_invariance(x, groups=np.repeat([1, 2], 400),
    ...                                factors={"F": ["a", "b", "c", "d"]},
    ...                                columns=["a", "b", "c", "d"])
    >>> steps.metric_vs_configural.p > 0.05, steps.scalar_vs_metric.p < 0.001
    (True, True)
    """
    gd = _group_data(data, groups, factors, columns)
    configural = _fit_groups(gd, ())
    metric = _fit_groups(gd, ("loadings",))
    scalar = _fit_groups(gd, ("loadings", "intercepts"))
    return InvarianceResult(
        configural=configural,
        metric=metric,
        scalar=scalar,
        metric_vs_configural=chi_square_difference(metric.fit, configural.fit),
        scalar_vs_metric=chi_square_difference(scalar.fit, metric.fit),
    )
