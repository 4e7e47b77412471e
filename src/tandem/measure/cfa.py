"""Confirmatory factor analysis by maximum likelihood, as R's lavaan computes it.

Each item loads on one factor, the first item of each factor is its marker (loading fixed to 1,
lavaan's default), residuals are uncorrelated and the factors correlate freely. The data are
reduced to means and a covariance matrix first, so the fit works on small matrices whatever the
number of rows. Several groups and measurement invariance are in
``tandem.measure.invariance``; the ML engine is ``tandem.measure._cfa_fit``. Every number is
checked against lavaan 0.6-14 in ``tests/measure/test_cfa_reference.py``.
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
    complete_rows,
    fit_measures,
    implied,
    layout,
    matrices,
    moments_of,
    optimise,
)

__all__ = [
    "CFAResult",
    "ChiSquareDifference",
    "FitMeasures",
    "cfa",
    "cfa_from_covariance",
    "chi_square_difference",
]


@dataclass(frozen=True)
class ChiSquareDifference:
    """A likelihood-ratio (chi-square difference) test of a restricted against a general model.

    ``delta_cfi`` and ``delta_rmsea`` are the restricted model's value minus the general one's
    (Chen 2007: a drop in CFI of 0.010 or more, with a rise in RMSEA of 0.015 or more, points
    to a real loss of fit).
    """

    chisq: float
    df: int
    p: float
    delta_cfi: float
    delta_rmsea: float


@dataclass(frozen=True)
class CFAResult:
    """A one-group confirmatory factor model fitted by maximum likelihood.

    Items are in model order (factor by factor, as given); ``item_factor`` is each item's
    factor (an index into ``factor_names``). ``loadings`` and ``standardized_loadings`` are
    items x factors with zeros where an item does not load; ``standardized_*`` is lavaan's
    ``std.all``. Standard errors come from the expected information, as lavaan's default; a
    fixed parameter (each factor's marker loading) has NaN. ``intercepts`` are the item means
    (what a mean structure would estimate; like lavaan without ``meanstructure`` they are not
    counted as parameters). ``sample_covariance`` divides by ``n - 1``; the fit uses
    ``(n - 1) / n`` times it, as lavaan does. ``notes`` says plainly what looks wrong in a
    solution that converged (for example a negative residual variance).
    """

    factor_names: tuple[str, ...]
    item_names: tuple[str, ...]
    item_factor: IntArray
    n_obs: int
    n_dropped: int
    loadings: FloatArray
    loadings_se: FloatArray
    standardized_loadings: FloatArray
    residual_variances: FloatArray
    residual_variances_se: FloatArray
    standardized_residual_variances: FloatArray
    factor_covariance: FloatArray
    factor_covariance_se: FloatArray
    factor_correlation: FloatArray
    intercepts: FloatArray
    sample_covariance: FloatArray
    implied_covariance: FloatArray
    fit: FitMeasures
    iterations: int
    notes: tuple[str, ...]

    def standardized_loadings_by_factor(self) -> dict[str, dict[str, float]]:
        """``{factor: {item: standardised loading}}`` in model order."""
        return loadings_by_factor(
            self.factor_names, self.item_names, self.item_factor, self.standardized_loadings
        )

    def factor_correlations_by_pair(self) -> dict[str, float]:
        """``{"A~~B": r}`` for every pair of factors, in lavaan's notation and order."""
        return correlations_by_pair(self.factor_names, self.factor_correlation)


def loadings_by_factor(
    factors: Sequence[str], items: Sequence[str], item_factor: IntArray, matrix: FloatArray
) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {name: {} for name in factors}
    for i, (item, f) in enumerate(zip(items, item_factor, strict=True)):
        out[factors[int(f)]][item] = float(matrix[i, int(f)])
    return out


def correlations_by_pair(factors: Sequence[str], corr: FloatArray) -> dict[str, float]:
    return {
        f"{factors[a]}~~{factors[b]}": float(corr[a, b])
        for a in range(len(factors))
        for b in range(a + 1, len(factors))
    }


# ---------------------------------------------------------------------------------------------
# Model specification


@dataclass(frozen=True)
class ModelSpec:
    """Which data column each item is, and which factor it loads on (in model order)."""

    factor_names: tuple[str, ...]
    item_names: tuple[str, ...]
    item_columns: IntArray
    item_factor: IntArray


def model_spec(factors: Mapping[str, Sequence[str]], columns: Sequence[str]) -> ModelSpec:
    """Check a ``{factor: [items]}`` mapping against the data's column names."""
    if not isinstance(factors, Mapping) or not factors:
        raise ValueError('factors must map each factor name to its items, e.g. {"A": ["a1", "a2"]}')
    position = {str(c): i for i, c in enumerate(columns)}
    if len(position) != len(columns):
        raise ValueError("columns names the same column twice")
    names: list[str] = []
    cols: list[int] = []
    owner: list[int] = []
    seen: dict[str, str] = {}
    for f, (factor, items) in enumerate(factors.items()):
        if isinstance(items, str) or not isinstance(items, Sequence):
            raise ValueError(f"factor {factor!r}: give its items as a list of column names")
        if len(items) < 2:
            raise ValueError(
                f"factor {factor!r} has {len(items)} item(s); a factor needs at least 2"
            )
        for item in map(str, items):
            if item in seen:
                where = (
                    f"twice in factor {factor!r}"
                    if seen[item] == factor
                    else f"by factors {seen[item]!r} and {factor!r}"
                )
                raise ValueError(f"item {item!r} is used {where}; each item loads on one factor")
            if item not in position:
                raise ValueError(
                    f"factor {factor!r}: no column {item!r} (columns: {', '.join(position)})"
                )
            seen[item] = str(factor)
            names.append(item)
            cols.append(position[item])
            owner.append(f)
    return ModelSpec(
        factor_names=tuple(str(f) for f in factors),
        item_names=tuple(names),
        item_columns=np.asarray(cols, dtype=np.intp),
        item_factor=np.asarray(owner, dtype=np.intp),
    )


def column_names(columns: Sequence[str] | None, k: int) -> tuple[str, ...]:
    """The data's column names; ``"1"``, ``"2"``, ... when none are given."""
    if columns is None:
        return tuple(str(i + 1) for i in range(k))
    names = tuple(str(c) for c in columns)
    if len(names) != k:
        raise ValueError(f"columns has {len(names)} names for {k} data columns")
    return names


def check_identified(n_moments: int, n_parameters: int, n_factors: int) -> None:
    if n_parameters > n_moments:
        hint = "; a single factor needs at least 3 items" if n_factors == 1 else ""
        raise ValueError(
            f"the model is not identified: it has {n_parameters} free parameters but the data "
            f"give only {n_moments} variances and covariances{hint}"
        )


# ---------------------------------------------------------------------------------------------
# The one-group model


def cfa(
    data: ArrayLike,
    *,
    factors: Mapping[str, Sequence[str]],
    columns: Sequence[str] | None = None,
) -> CFAResult:
    """Confirmatory factor analysis by maximum likelihood, as ``lavaan::cfa(model, data)``.

    Parameters
    ----------
    data : array_like, shape (n, k)
        Rows are respondents, columns are items; NaN marks a missing answer. Rows with a
        missing value in any item of the model are left out (listwise, lavaan's default);
        ``n_dropped`` says how many. Columns not in the model are ignored.
    factors : mapping of str to sequence of str
        Each factor's items by column name, in order; the first item is the factor's marker
        (its loading is fixed to 1). Each item loads on one factor; a factor needs 2 items.
    columns : sequence of str, optional
        The names of the data's columns (default ``"1"``, ``"2"``, ...).

    Returns
    -------
    CFAResult

    Notes
    -----
    With ``S`` the covariance of the complete rows divided by ``n`` and the model's
    ``Sigma = Lambda Psi Lambda' + Theta`` (loadings, factor covariances, diagonal residual
    variances), the estimates minimise the ML discrepancy
    ``F = log|Sigma| + tr(S Sigma^-1) - log|S| - p`` (Newton's method with analytic derivatives,
    to machine precision). Then (Kline 2016, ch. 12; lavaan's ``fitMeasures``):

    * ``chisq = n F`` on ``df = p (p + 1) / 2 - q`` (``q`` free parameters);
    * CFI ``= 1 - max(chisq - df, 0) / max(chisq - df, chisq_b - df_b, 0)`` and
      TLI ``= (chisq_b / df_b - chisq / df) / (chisq_b / df_b - 1)``, against the
      independence model (``chisq_b = n (sum log S_ii - log|S|)``, ``df_b = p (p - 1) / 2``);
    * RMSEA ``= sqrt(max(chisq / df - 1, 0) / n)`` (divided by ``n``, as lavaan), with the
      90% interval from the non-central chi-square (Browne & Cudeck 1993);
    * SRMR ``= sqrt(mean over i <= j of ((S_ij - Sigma_ij) / sqrt(S_ii S_jj))^2)`` (Bentler);
    * ``logl = -n/2 (p log 2 pi + log|Sigma| + tr(S Sigma^-1))``, AIC ``= -2 logl + 2 q``,
      BIC ``= -2 logl + q log n``.

    Standardised loadings are ``lambda_i sqrt(psi_ff) / sqrt(Sigma_ii)``.

    References
    ----------
    Kline, R. B. (2016). Principles and Practice of Structural Equation Modeling (4th ed.).
    Guilford. Rosseel, Y. (2012). lavaan: An R package for structural equation modeling.
    Journal of Statistical Software, 48(2), 1-36 (version 0.6-14).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(5)
    >>> f = rng.normal(size=(2000, 2)) @ np.linalg.cholesky([[1.0, 0.4], [0.4, 1.0]]).T
    >>> x = np.repeat(f, 3, axis=1) * 0.8 + rng.normal(scale=0.6, size=(2000, 6))
    >>> result = cfa(x, factors={"A": ["a1", "a2", "a3"], "B": ["b1", "b2", "b3"]},
    ...              columns=["a1", "a2", "a3", "b1", "b2", "b3"])
    >>> result.fit.df, round(result.fit.cfi, 3)
    (8, 1.0)
    >>> round(result.standardized_loadings_by_factor()["A"]["a1"], 2)
    0.78
    >>> round(result.factor_correlations_by_pair()["A~~B"], 2)
    0.4
    """
    x = as_float_matrix(data, name="data")
    names = column_names(columns, x.shape[1])
    spec = model_spec(factors, names)
    items, dropped = complete_rows(x[:, spec.item_columns])
    n = items.shape[0]
    p = len(spec.item_names)
    if n <= p:
        raise ValueError(
            f"a factor model of {p} items needs more complete rows than items; got {n}"
            + (f" ({dropped} rows had a missing answer)" if dropped else "")
        )
    means, cov = moments_of(items)
    return _fit_one(spec, n, dropped, means, cov)


def cfa_from_covariance(
    covariance: ArrayLike,
    *,
    n_obs: int,
    factors: Mapping[str, Sequence[str]],
    columns: Sequence[str],
    means: ArrayLike | None = None,
) -> CFAResult:
    """The same fit from a covariance matrix, as ``lavaan::cfa(model, sample.cov, sample.nobs)``.

    Parameters
    ----------
    covariance : array_like, shape (k, k)
        The sample covariance, divided by ``n - 1`` (R's ``cov``); it is rescaled by
        ``(n - 1) / n`` for the ML fit, as lavaan does.
    n_obs : int
        The number of rows behind it.
    factors, columns
        As in :func:`cfa`; ``columns`` names the covariance matrix's rows.
    means : array_like, shape (k,), optional
        Item means, reported as the intercepts (NaN without them).

    Returns
    -------
    CFAResult

    Examples
    --------
    >>> import numpy as np
    >>> s = np.array([[1.0, 0.5, 0.4], [0.5, 1.0, 0.45], [0.4, 0.45, 1.0]])
    >>> result = cfa_from_covariance(s, n_obs=200, factors={"F": ["x", "y", "z"]},
    ...                              columns=["x", "y", "z"])
    >>> result.fit.df, round(result.fit.chisq, 6)
    (0, 0.0)
    >>> result.standardized_loadings[:, 0].round(3).tolist()
    [0.667, 0.75, 0.6]
    """
    s = as_float_matrix(covariance, name="covariance")
    k = s.shape[0]
    if s.shape != (k, k) or not np.allclose(s, s.T, rtol=1e-10, atol=1e-12):
        raise ValueError(f"covariance must be a square symmetric matrix; got shape {s.shape}")
    if np.isnan(s).any():
        raise ValueError("covariance contains missing values")
    if isinstance(n_obs, bool) or int(n_obs) != n_obs:
        raise ValueError(f"n_obs must be a whole number; got {n_obs!r}")
    spec = model_spec(factors, column_names(columns, k))
    n = int(n_obs)
    p = len(spec.item_names)
    if n <= p:
        raise ValueError(f"a factor model of {p} items needs more rows than items; n_obs is {n}")
    idx = spec.item_columns
    mu = np.full(p, np.nan)
    if means is not None:
        given = np.asarray(means, dtype=np.float64)
        if given.shape != (k,):
            raise ValueError(f"means must have one value per column ({k}); got {given.shape}")
        mu = given[idx]
    cov = (s[np.ix_(idx, idx)] + s[np.ix_(idx, idx)].T) / 2 * (n - 1) / n
    return _fit_one(spec, n, 0, mu, cov)


def _fit_one(
    spec: ModelSpec, n: int, dropped: int, means: FloatArray, cov: FloatArray
) -> CFAResult:
    check_covariance(cov, spec.item_names, "")
    lay = layout(spec.item_factor, 1, means=False)
    p = len(spec.item_names)
    check_identified(p * (p + 1) // 2, lay.n_free, len(spec.factor_names))
    mom = Moments(np.array([n], dtype=np.intp), np.nan_to_num(means)[None], cov[None])
    solution = optimise(lay, mom, items=spec.item_names)
    fit = fit_measures(solution.x, lay, mom)
    lam, psi, theta, _, _ = matrices(solution.x, lay, 0)
    sigma = implied(solution.x, lay, 0)[0]
    se = parameter_se(solution.information, n)
    rows = np.arange(p)
    lam_se = np.zeros_like(lam)
    free = lay.lam[0] >= 0
    lam_se[rows, spec.item_factor] = np.where(free, se[lay.lam[0]], np.nan)
    std_lam, std_theta, corr = standardize(lam, psi, theta, sigma)
    return CFAResult(
        factor_names=spec.factor_names,
        item_names=spec.item_names,
        item_factor=spec.item_factor,
        n_obs=n,
        n_dropped=dropped,
        loadings=lam,
        loadings_se=lam_se,
        standardized_loadings=std_lam,
        residual_variances=theta,
        residual_variances_se=se[lay.theta[0]],
        standardized_residual_variances=std_theta,
        factor_covariance=psi,
        factor_covariance_se=se[lay.psi[0]],
        factor_correlation=corr,
        intercepts=np.asarray(means, dtype=np.float64),
        sample_covariance=cov * n / (n - 1),
        implied_covariance=sigma,
        fit=fit,
        iterations=solution.iterations,
        notes=solution_notes(spec, theta, psi),
    )


def parameter_se(information: FloatArray, n: int) -> FloatArray:
    """Standard errors from the expected information: ``sqrt(diag((n/2 I)^-1))``."""
    try:
        cov = np.linalg.inv(information * (n / 2.0))
    except np.linalg.LinAlgError:
        return np.full(information.shape[0], np.nan)
    with np.errstate(invalid="ignore"):
        return np.asarray(np.sqrt(np.diag(cov)), dtype=np.float64)


def standardize(
    lam: FloatArray, psi: FloatArray, theta: FloatArray, sigma: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """lavaan's ``std.all``: loadings, residual variances and factor correlations."""
    with np.errstate(invalid="ignore", divide="ignore"):
        factor_sd = np.sqrt(np.diag(psi))
        item_var = np.diag(sigma)
        std_lam = lam * factor_sd[None, :] / np.sqrt(item_var)[:, None]
        corr = psi / np.outer(factor_sd, factor_sd)
    return std_lam, theta / item_var, corr


def solution_notes(spec: ModelSpec, theta: FloatArray, psi: FloatArray) -> tuple[str, ...]:
    notes = [
        f"item {spec.item_names[i]!r} has a negative residual variance "
        f"({theta[i]:.3g}), an impossible value (a Heywood case): the model does not suit "
        "this item"
        for i in np.flatnonzero(theta < 0)
    ]
    if np.linalg.eigvalsh(psi)[0] <= 0:
        notes.append(
            "the factors' covariance matrix is not positive definite (a variance below zero or "
            "a correlation beyond 1): some factors may not be distinct"
        )
    return tuple(notes)


def chi_square_difference(restricted: FitMeasures, general: FitMeasures) -> ChiSquareDifference:
    """Chi-square difference test of nested models, as lavaan's ``anova(restricted, general)``.

    Parameters
    ----------
    restricted : FitMeasures
        The fit of the model with more constraints (more degrees of freedom), for example the
        one-factor model or the metric invariance model.
    general : FitMeasures
        The fit of the model it is nested in, on the same rows.

    Returns
    -------
    ChiSquareDifference

    Notes
    -----
    ``chisq = chisq_r - chisq_g`` on ``df = df_r - df_g``; ``p`` is its upper chi-square tail.
    ``delta_cfi = cfi_r - cfi_g`` and ``delta_rmsea = rmsea_r - rmsea_g``: Chen (2007)
    suggests that a drop in CFI of 0.010 or more, supported by a rise in RMSEA of 0.015 or
    more, shows the constraints do not hold (for samples above 300).

    References
    ----------
    Chen, F. F. (2007). Sensitivity of goodness of fit indexes to lack of measurement
    invariance. Structural Equation Modeling, 14, 464-504. Kline (2016), ch. 12.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(2)
    >>> f = rng.normal(size=(400, 2))
    >>> x = np.repeat(f, 3, axis=1) + rng.normal(scale=0.7, size=(400, 6))
    >>> names = ["a1", "a2", "a3", "b1", "b2", "b3"]
    >>> two = cfa(x, factors={"A": names[:3], "B": names[3:]}, columns=names)
    >>> one = cfa(x, factors={"G": names}, columns=names)
    >>> test = chi_square_difference(one.fit, two.fit)
    >>> test.df, test.p < 0.001, test.delta_cfi < -0.01
    (1, True, True)
    """
    if restricted.n_obs != general.n_obs:
        raise ValueError(
            f"the two models were fitted on different rows (n = {restricted.n_obs} and "
            f"{general.n_obs}); fit both on the same data"
        )
    df = restricted.df - general.df
    if df <= 0:
        raise ValueError(
            f"the restricted model must have more degrees of freedom than the general one; got "
            f"{restricted.df} and {general.df} (are they given in the right order?)"
        )
    from scipy.special import chdtrc  # here: importing tandem.measure stays free of scipy

    chisq = restricted.chisq - general.chisq
    return ChiSquareDifference(
        chisq=chisq,
        df=df,
        p=float(chdtrc(df, chisq)) if chisq > 0 else 1.0,
        delta_cfi=restricted.cfi - general.cfi,
        delta_rmsea=restricted.rmsea - general.rmsea,
    )
