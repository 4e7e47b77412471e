"""Reliability: Cronbach's alpha and McDonald's omega as R's psych computes them, SEM and CIs.

Every number here is checked against R (psych 2.2.9) in ``tests/measure/test_reference.py``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from tandem.measure._arrays import FloatArray, IntArray, as_float_array, check_level
from tandem.measure.correlation import pairwise_correlation, pairwise_covariance

__all__ = [
    "AlphaResult",
    "OmegaResult",
    "ScoreInterval",
    "cronbach_alpha",
    "omega_from_correlation",
    "omega_total",
    "score_interval",
    "standard_error_of_measurement",
]


@dataclass(frozen=True)
class AlphaResult:
    """Cronbach's alpha for one scale, with the item statistics psych::alpha reports.

    Arrays are in the order of the input columns.
    """

    raw_alpha: float
    std_alpha: float
    g6: float
    average_r: float
    mean: float
    sd: float
    n_obs: int
    n_items: int
    item_names: tuple[str, ...]
    reversed: tuple[bool, ...]
    item_n: IntArray
    item_mean: FloatArray
    item_sd: FloatArray
    raw_r: FloatArray
    std_r: FloatArray
    r_drop: FloatArray
    alpha_if_dropped: FloatArray
    std_alpha_if_dropped: FloatArray
    covariance: FloatArray


@dataclass(frozen=True)
class OmegaResult:
    """McDonald's omega total from a one-factor minimum-residual (minres) factor analysis."""

    omega_total: float
    loadings: FloatArray
    uniquenesses: FloatArray
    n_items: int
    iterations: int
    converged: bool


@dataclass(frozen=True)
class ScoreInterval:
    """A confidence interval around observed scores: ``score -/+ z * sem``."""

    lower: FloatArray
    upper: FloatArray
    sem: FloatArray
    level: float
    z: float


def _smc(r: FloatArray) -> FloatArray:
    """Squared multiple correlations, 1 - 1 / diag(R^-1) (psych::smc)."""
    try:
        inv = np.linalg.inv(r)
    except np.linalg.LinAlgError:
        inv = np.linalg.pinv(r)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(1.0 - 1.0 / np.diag(inv), dtype=np.float64)


def _alpha_parts(c: FloatArray, r: FloatArray) -> tuple[float, float, float, float]:
    """psych's ``alpha.1``: raw alpha, standardised alpha, Guttman's lambda 6, average r.

    NaN where the summed score has no variance (the formulas divide by it).
    """
    k = c.shape[0]
    sum_c = float(c.sum())
    sum_r = float(r.sum())
    tiny = 1e-12 * float(np.trace(c))
    raw = (1.0 - float(np.trace(c)) / sum_c) * k / (k - 1) if sum_c > tiny else float("nan")
    if sum_r > 1e-12 * k:
        std = (1.0 - k / sum_r) * k / (k - 1)
        g6 = 1.0 - (k - float(_smc(r).sum())) / sum_r
    else:
        std = g6 = float("nan")
    average_r = (sum_r - k) / (k * (k - 1))
    return raw, std, g6, average_r


def _complete_covariance(x: np.ndarray) -> tuple[FloatArray, FloatArray]:
    """Column means and covariance of a table with no missing values.

    Integer tables use exact one-pass sums in float64; float tables are centred first.
    """
    n = x.shape[0]
    if x.dtype.kind in "biu" and x.size and int(np.abs(x).max()) < 2**20:
        xf = x.astype(np.float64)
        sums = xf.sum(axis=0)
        cross = xf.T @ xf
        means = sums / n
        cov = (cross - np.outer(sums, sums) / n) / (n - 1)
    else:
        xf = np.asarray(x, dtype=np.float64)
        means = xf.mean(axis=0)
        centred = xf - means
        cov = centred.T @ centred / (n - 1)
    return np.asarray(means, dtype=np.float64), np.asarray((cov + cov.T) / 2, dtype=np.float64)


def cronbach_alpha(
    items: ArrayLike,
    *,
    reverse: Sequence[bool] | None = None,
    scale_min: float | None = None,
    scale_max: float | None = None,
    item_names: Sequence[str] | None = None,
) -> AlphaResult:
    """Cronbach's alpha, raw and standardised, with item statistics, exactly as psych::alpha.

    Parameters
    ----------
    items : array_like, shape (n, k)
        Rows are respondents, columns are the scale's items; NaN marks a missing answer.
        Integer arrays (for example int8) are accepted as they are, without copying to float
        first.
    reverse : sequence of bool, optional
        Which items are reverse-keyed. A reversed item is scored ``max + min - x``.
    scale_min, scale_max : float, optional
        The response range used for reverse keying. By default the observed minimum and
        maximum of all the items, as psych does.
    item_names : sequence of str, optional
        Names reported back in the result (default ``"1"``, ``"2"``, ...).

    Returns
    -------
    AlphaResult

    Notes
    -----
    With ``C`` the pairwise-complete covariance matrix of the keyed items (reverse-keyed items
    flip the sign of their row and column) and ``R = cov2cor(C)``:

    * raw alpha ``= k / (k - 1) * (1 - tr(C) / sum(C))``
    * standardised alpha ``= k / (k - 1) * (1 - k / sum(R))``
    * Guttman's lambda 6 ``= 1 - (k - sum(smc(R))) / sum(R)``
    * r.drop (item-rest correlation) ``= (sum(C[:, i]) - C[i, i]) / sqrt(C[i, i] * sum(C_-i))``
    * alpha if dropped: the same formulas on ``C`` and ``R`` without item ``i``
    * raw.r: the pairwise correlation of each item with the respondent's mean of answered
      items; std.r ``= colSums(R) / sqrt(sum(R))``
    * mean and sd: of the respondents' mean of answered (keyed) items.

    Standardised alpha comes from ``cov2cor`` of the pairwise covariance, not from pairwise
    correlations, as in psych. With two items psych reports ``C[0, 1] / C[1, 1]`` as the raw
    alpha if item 0 is dropped; this function does the same.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    Psychometrika, 16, 297-334.
    Revelle, W. psych: Procedures for Psychological, Psychometric, and Personality Research,
    ``psych::alpha`` (version 2.2.9).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1, 2, 2], [2, 3, 3], [3, 3, 4], [4, 5, 4], [5, 4, 5]])
    >>> result = cronbach_alpha(x)
    >>> round(result.raw_alpha, 4), round(result.std_alpha, 4)
    (0.9333, 0.9422)
    >>> result.r_drop.round(3).tolist()
    [0.969, 0.795, 0.908]
    """
    raw = np.asarray(items)
    if raw.dtype == object or raw.dtype.kind not in "biuf":
        raise ValueError(f"items must be numeric; got values of type {raw.dtype}")
    if raw.ndim != 2:
        raise ValueError(
            f"items must be a 2-D table (respondents x items); got {raw.ndim} dimension(s)"
        )
    n_obs, k = raw.shape
    if k < 2:
        raise ValueError(f"alpha needs at least 2 items; got {k}")
    if n_obs < 2:
        raise ValueError(f"alpha needs at least 2 respondents; got {n_obs}")
    names = tuple(str(i + 1) for i in range(k)) if item_names is None else tuple(item_names)
    if len(names) != k:
        raise ValueError(f"item_names has {len(names)} names for {k} items")
    rev = np.zeros(k, dtype=bool) if reverse is None else np.asarray(reverse, dtype=bool)
    if rev.shape != (k,):
        raise ValueError(f"reverse must have one flag per item ({k}); got {rev.size}")
    sign = np.where(rev, -1.0, 1.0)

    has_missing = raw.dtype.kind == "f" and bool(np.isnan(raw).any())
    if raw.dtype.kind == "f" and np.isinf(raw).any():
        raise ValueError("items contain infinite values")

    adjust = 0.0
    if rev.any():
        lo = float(np.nanmin(raw)) if scale_min is None else float(scale_min)
        hi = float(np.nanmax(raw)) if scale_max is None else float(scale_max)
        if hi <= lo:
            raise ValueError(f"scale_max ({hi}) must be greater than scale_min ({lo})")
        adjust = lo + hi

    if has_missing:
        x = np.asarray(raw, dtype=np.float64)
        present = ~np.isnan(x)
        item_n = present.sum(axis=0).astype(np.intp)
        cov = pairwise_covariance(x)
        means_raw = np.nanmean(x, axis=0)
    else:
        present = None
        item_n = np.full(k, n_obs, dtype=np.intp)
        means_raw, cov = _complete_covariance(raw)
    if np.any(item_n < 2):
        bad = names[int(np.argmax(item_n < 2))]
        raise ValueError(f"item {bad!r} has fewer than 2 answers")
    diag = np.diag(cov)
    if np.any(~(diag > 0)):
        bad = names[int(np.argmax(~(diag > 0)))]
        raise ValueError(f"item {bad!r} has no variance, so alpha is undefined with it")

    c = cov * np.outer(sign, sign)
    if float(c.sum()) <= 1e-12 * float(np.trace(c)):
        raise ValueError(
            "the items cancel out (their sum has no variance), so alpha is undefined; "
            "check the reverse keys"
        )
    sd_items = np.sqrt(np.diag(c))
    r = c / np.outer(sd_items, sd_items)
    item_mean = np.where(rev, adjust - means_raw, means_raw)

    raw_alpha, std_alpha, g6, average_r = _alpha_parts(c, r)
    alpha_drop = np.empty(k)
    std_drop = np.empty(k)
    if k > 2:
        for i in range(k):
            keep = np.arange(k) != i
            a_raw, a_std, _g6, _av = _alpha_parts(c[np.ix_(keep, keep)], r[np.ix_(keep, keep)])
            alpha_drop[i] = a_raw
            std_drop[i] = a_std
    else:
        alpha_drop[:] = [c[0, 1] / c[1, 1], c[0, 1] / c[0, 0]]
        std_drop[:] = r[0, 1]

    col_c = c.sum(axis=0)
    total_c = float(c.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        rest_var = total_c - 2 * col_c + np.diag(c)
        r_drop = (col_c - np.diag(c)) / np.sqrt(np.diag(c) * rest_var)
        std_r = r.sum(axis=0) / np.sqrt(r.sum())

    if present is None:
        # Complete data: the respondent mean is sum(keyed items) / k, so its moments and its
        # correlation with each item follow from C exactly.
        mean_total = float(item_mean.mean())
        sd_total = float(np.sqrt(total_c) / k)
        raw_r = col_c / np.sqrt(np.diag(c) * total_c)
    else:
        x = np.asarray(raw, dtype=np.float64)
        keyed = np.where(rev, adjust - x, x)
        answered = present.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            total = np.where(present, keyed, 0.0).sum(axis=1) / answered
        valid_total = answered > 0
        mean_total = float(total[valid_total].mean())
        sd_total = float(total[valid_total].std(ddof=1))
        raw_r = np.empty(k)
        for i in range(k):
            rows = present[:, i]
            raw_r[i] = np.corrcoef(total[rows], keyed[rows, i])[0, 1]

    return AlphaResult(
        raw_alpha=float(raw_alpha),
        std_alpha=float(std_alpha),
        g6=float(g6),
        average_r=float(average_r),
        mean=mean_total,
        sd=sd_total,
        n_obs=int(n_obs),
        n_items=int(k),
        item_names=names,
        reversed=tuple(bool(v) for v in rev),
        item_n=item_n,
        item_mean=np.asarray(item_mean, dtype=np.float64),
        item_sd=np.asarray(sd_items, dtype=np.float64),
        raw_r=np.asarray(raw_r, dtype=np.float64),
        std_r=np.asarray(std_r, dtype=np.float64),
        r_drop=np.asarray(r_drop, dtype=np.float64),
        alpha_if_dropped=alpha_drop,
        std_alpha_if_dropped=std_drop,
        covariance=np.asarray(c, dtype=np.float64),
    )


def _minres_one_factor(r: FloatArray, *, tol: float, max_iter: int) -> tuple[FloatArray, int, bool]:
    """One-factor minimum-residual loadings by iterated principal axes.

    At convergence the loadings ``l`` satisfy ``(R - diag(R) + diag(l**2)) l = |l|**2 l``,
    the stationarity condition of ``min sum_{i != j} (r_ij - l_i l_j)**2`` (minres/ULS).
    Communalities are capped at 0.995, the bound psych's optimiser uses.
    """
    h2 = np.clip(_smc(r), 0.005, 0.995)
    loadings = np.sqrt(h2)
    for iteration in range(1, max_iter + 1):
        reduced = r.copy()
        np.fill_diagonal(reduced, h2)
        values, vectors = np.linalg.eigh(reduced)
        new = vectors[:, -1] * np.sqrt(max(values[-1], 0.0))
        if new.sum() < 0:
            new = -new
        new_h2 = np.clip(new * new, 0.0, 0.995)
        done = float(np.max(np.abs(new - loadings))) < tol
        loadings, h2 = new, new_h2
        if done:
            return np.asarray(loadings, dtype=np.float64), iteration, True
    return np.asarray(loadings, dtype=np.float64), max_iter, False


def omega_total(items: ArrayLike, *, tol: float = 1e-12, max_iter: int = 100_000) -> OmegaResult:
    """McDonald's omega total from a one-factor minres solution, as ``psych::omega(nfactors=1)``.

    Parameters
    ----------
    items : array_like, shape (n, k)
        Rows are respondents, columns are items (already reverse-keyed); NaN is missing.
    tol : float, default 1e-12
        Convergence tolerance on the loadings.
    max_iter : int, default 100000
        Iteration limit; ``converged`` in the result says whether it was reached.

    Returns
    -------
    OmegaResult

    Notes
    -----
    ``R`` is the pairwise correlation matrix (``cor(x, use="pairwise")``), ``l`` the loadings
    of a one-factor minimum-residual fit and ``u = 1 - l**2`` the uniquenesses:

    ``omega_total = 1 - sum(u) / sum(R)``

    References
    ----------
    McDonald, R. P. (1999). Test theory: A unified treatment. Erlbaum.
    Revelle, W. psych, ``psych::omega`` and ``psych::fa(fm = "minres")`` (version 2.2.9).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> factor = rng.normal(size=(500, 1))
    >>> x = factor + rng.normal(size=(500, 4))
    >>> round(omega_total(x).omega_total, 2)
    0.78
    """
    x = as_float_array(items, name="items")
    if x.ndim != 2 or x.shape[1] < 2:
        raise ValueError("omega needs a 2-D table with at least 2 items")
    if x.shape[1] < 3:
        raise ValueError("a one-factor model needs at least 3 items to be identified")
    r = pairwise_correlation(x)
    if np.isnan(r).any():
        raise ValueError("some pairs of items have fewer than 2 common answers")
    return omega_from_correlation(r, tol=tol, max_iter=max_iter)


def omega_from_correlation(
    correlation: ArrayLike, *, tol: float = 1e-12, max_iter: int = 100_000
) -> OmegaResult:
    """:func:`omega_total` from the items' correlation matrix, when it is known already (for
    complete data it is ``cov2cor`` of the keyed covariance that :func:`cronbach_alpha`
    returns, so the answers need not be read twice).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> x = rng.normal(size=(500, 1)) + rng.normal(size=(500, 4))
    >>> r = np.corrcoef(x, rowvar=False)
    >>> abs(omega_from_correlation(r).omega_total - omega_total(x).omega_total) < 1e-12
    True
    """
    r = as_float_array(correlation, name="correlation")
    if r.ndim != 2 or r.shape[0] != r.shape[1] or r.shape[0] < 3:
        raise ValueError("omega needs a square correlation matrix of at least 3 items")
    if np.isnan(r).any():
        raise ValueError("the correlation matrix has missing entries")
    loadings, iterations, converged = _minres_one_factor(r, tol=tol, max_iter=max_iter)
    uniquenesses = 1.0 - loadings * loadings
    omega = 1.0 - float(uniquenesses.sum()) / float(r.sum())
    return OmegaResult(
        omega_total=float(omega),
        loadings=loadings,
        uniquenesses=np.asarray(uniquenesses, dtype=np.float64),
        n_items=int(r.shape[0]),
        iterations=iterations,
        converged=converged,
    )


def standard_error_of_measurement(*, sd: ArrayLike, reliability: ArrayLike) -> FloatArray:
    """Standard error of measurement, ``SEM = SD * sqrt(1 - reliability)``.

    Parameters
    ----------
    sd : array_like
        Standard deviation of the scores in the reference population.
    reliability : array_like
        Reliability of the scores (for example alpha or omega), between 0 and 1.

    Returns
    -------
    ndarray
        The SEM, broadcast over the inputs.

    References
    ----------
    Lord, F. M., & Novick, M. R. (1968). Statistical theories of mental test scores.

    Examples
    --------
    >>> round(float(standard_error_of_measurement(sd=0.8, reliability=0.84)), 4)
    0.32
    """
    s = as_float_array(sd, name="sd")
    rel = as_float_array(reliability, name="reliability")
    if np.any(s < 0):
        raise ValueError("sd cannot be negative")
    if np.any((rel < 0) | (rel > 1)):
        raise ValueError("reliability must be between 0 and 1")
    return np.asarray(s * np.sqrt(1.0 - rel), dtype=np.float64)


def score_interval(scores: ArrayLike, *, sem: ArrayLike, level: float = 0.95) -> ScoreInterval:
    """Confidence interval for observed scores, ``score -/+ z(level) * SEM``.

    Parameters
    ----------
    scores : array_like
        Observed scores (NaN gives a NaN interval).
    sem : array_like
        Standard error of measurement, broadcast against ``scores``.
    level : float, default 0.95
        Two-sided confidence level.

    Returns
    -------
    ScoreInterval

    References
    ----------
    Harvill, L. M. (1991). Standard error of measurement. Educational Measurement: Issues and
    Practice, 10(2), 33-41.

    Examples
    --------
    >>> ci = score_interval([3.5, 4.0], sem=0.25)
    >>> ci.lower.round(3).tolist(), ci.upper.round(3).tolist()
    ([3.01, 3.51], [3.99, 4.49])
    """
    x = as_float_array(scores, name="scores")
    e = as_float_array(sem, name="sem")
    if np.any(e < 0):
        raise ValueError("sem cannot be negative")
    lvl = check_level(level)
    # scipy.stats.norm.ppf's own kernel (the same bits): importing scipy.stats would take ~1.5 s.
    from scipy.special import ndtri

    z = float(ndtri(0.5 + lvl / 2))
    lower, upper, sem_b = np.broadcast_arrays(x - z * e, x + z * e, e * np.ones_like(x))
    return ScoreInterval(
        lower=np.array(lower, dtype=np.float64),
        upper=np.array(upper, dtype=np.float64),
        sem=np.array(sem_b, dtype=np.float64),
        level=lvl,
        z=z,
    )
