"""Agreement within groups: Bliese's ICC(1)/ICC(2), rwg, rwg(j) and AD_M(j).

Checked against R (multilevel 2.7) in ``tests/measure/test_reference.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from tandem.measure._arrays import (
    FloatArray,
    IntArray,
    as_float_matrix,
    as_float_vector,
)

__all__ = [
    "GroupAgreement",
    "GroupICC",
    "ad_m",
    "bliese_icc",
    "rwg",
    "rwg_j",
    "uniform_null_variance",
]


@dataclass(frozen=True)
class GroupICC:
    """Bliese's ICC(1) and ICC(2) from a one-way ANOVA of individuals nested in groups."""

    icc1: float
    icc2: float
    ms_between: float
    ms_within: float
    df_between: int
    df_within: int
    n_groups: int
    n_obs: int
    mean_group_size: float


@dataclass(frozen=True)
class GroupAgreement:
    """A within-group agreement index per group (NaN where a group has one member)."""

    labels: NDArray[Any]
    values: FloatArray
    sizes: IntArray
    mean: float
    median: float


def uniform_null_variance(scale_points: int) -> float:
    """Expected variance of random answers on an A-point scale, ``(A**2 - 1) / 12``.

    Parameters
    ----------
    scale_points : int
        Number of response options A (at least 2).

    Returns
    -------
    float

    References
    ----------
    James, L. R., Demaree, R. G., & Wolf, G. (1984). Estimating within-group interrater
    reliability with and without response bias. Journal of Applied Psychology, 69, 85-98.

    Examples
    --------
    >>> uniform_null_variance(5)
    2.0
    """
    if int(scale_points) != scale_points or scale_points < 2:
        raise ValueError(f"scale_points must be a whole number of at least 2; got {scale_points}")
    return (float(scale_points) ** 2 - 1.0) / 12.0


def _factorise(groups: ArrayLike, n: int) -> tuple[NDArray[Any], IntArray]:
    g = np.asarray(groups)
    if g.ndim != 1 or g.shape[0] != n:
        raise ValueError(f"groups must have one label per row ({n}); got shape {g.shape}")
    labels, codes = np.unique(g, return_inverse=True)
    return labels, np.asarray(codes, dtype=np.intp).reshape(-1)


def _missing_group(groups: ArrayLike) -> NDArray[np.bool_]:
    g = np.asarray(groups)
    if g.dtype.kind == "f":
        return np.asarray(np.isnan(g))
    if g.dtype == object:
        return np.array([v is None or (isinstance(v, float) and v != v) for v in g], dtype=bool)
    return np.zeros(g.shape[0], dtype=bool)


def bliese_icc(values: ArrayLike, groups: ArrayLike) -> GroupICC:
    """Bliese's ICC(1) and ICC(2) for individuals nested in groups, as multilevel::ICC1/ICC2.

    Parameters
    ----------
    values : array_like, shape (n,)
        One score per individual; NaN rows are left out (as ``aov`` does).
    groups : array_like, shape (n,)
        The group of each individual.

    Returns
    -------
    GroupICC

    Notes
    -----
    From the one-way ANOVA of values on groups, with ``g`` groups and ``N`` individuals:

    * ICC(1) ``= (MSB - MSW) / (MSB + (N/g - 1) MSW)`` (the average group size N/g, as
      multilevel uses)
    * ICC(2) ``= (MSB - MSW) / MSB``, the reliability of the group means.

    References
    ----------
    Bliese, P. D. (2000). Within-group agreement, non-independence, and reliability.
    In K. J. Klein & S. W. Kozlowski (Eds.), Multilevel theory, research, and methods in
    organizations (pp. 349-381). Jossey-Bass.
    Bliese, P. D. multilevel, ``multilevel::ICC1`` and ``multilevel::ICC2`` (version 2.7).

    Examples
    --------
    >>> values = [1, 2, 2, 4, 5, 5, 3, 3, 4]
    >>> groups = ["a", "a", "a", "b", "b", "b", "c", "c", "c"]
    >>> result = bliese_icc(values, groups)
    >>> round(result.icc1, 3), round(result.icc2, 3)
    (0.866, 0.951)
    """
    y_all = as_float_vector(values, name="values")
    keep = ~np.isnan(y_all) & ~_missing_group(groups)
    y = y_all[keep]
    g_all = np.asarray(groups)
    if g_all.ndim != 1 or g_all.shape[0] != y_all.shape[0]:
        raise ValueError(f"groups must have one label per value ({y_all.shape[0]})")
    labels, codes = _factorise(g_all[keep], y.shape[0])
    n_groups = labels.shape[0]
    n_obs = y.shape[0]
    if n_groups < 2:
        raise ValueError("ICC(1) needs at least 2 groups")
    if n_obs <= n_groups:
        raise ValueError("ICC(1) needs more individuals than groups")
    sizes = np.bincount(codes, minlength=n_groups)
    means = np.bincount(codes, weights=y, minlength=n_groups) / sizes
    grand = y.mean()
    ss_between = float((sizes * (means - grand) ** 2).sum())
    ss_within = float(((y - means[codes]) ** 2).sum())
    df_b, df_w = n_groups - 1, n_obs - n_groups
    msb, msw = np.float64(ss_between / df_b), np.float64(ss_within / df_w)
    mean_size = n_obs / n_groups
    with np.errstate(invalid="ignore", divide="ignore"):  # all values equal: NaN, as R
        icc1 = (msb - msw) / (msb + (mean_size - 1) * msw)
        icc2 = (msb - msw) / msb
    return GroupICC(
        icc1=float(icc1),
        icc2=float(icc2),
        ms_between=float(msb),
        ms_within=float(msw),
        df_between=int(df_b),
        df_within=int(df_w),
        n_groups=int(n_groups),
        n_obs=int(n_obs),
        mean_group_size=float(mean_size),
    )


def _listwise(items: ArrayLike, groups: ArrayLike, *, name: str) -> tuple[FloatArray, NDArray[Any]]:
    x = np.asarray(items)
    if x.ndim == 1:
        x = x[:, None]
    x = as_float_matrix(x, name=name)
    g = np.asarray(groups)
    if g.ndim != 1 or g.shape[0] != x.shape[0]:
        raise ValueError(f"groups must have one label per row ({x.shape[0]}); got shape {g.shape}")
    keep = ~np.isnan(x).any(axis=1) & ~_missing_group(g)
    return x[keep], g[keep]


def _group_variances(x: FloatArray, codes: IntArray, n_groups: int) -> tuple[FloatArray, IntArray]:
    """Per group and item sample variances (ddof 1), shape (n_groups, n_items)."""
    sizes = np.bincount(codes, minlength=n_groups)
    centred = x - x.mean(axis=0)
    var = np.empty((n_groups, x.shape[1]))
    with np.errstate(invalid="ignore", divide="ignore"):
        for j in range(x.shape[1]):
            s = np.bincount(codes, weights=centred[:, j], minlength=n_groups)
            ss = np.bincount(codes, weights=centred[:, j] ** 2, minlength=n_groups)
            var[:, j] = np.maximum((ss - s * s / sizes) / (sizes - 1), 0.0)  # no -1e-17
    var[sizes < 2] = np.nan
    return var, sizes.astype(np.intp)


def _summarise(labels: NDArray[Any], values: FloatArray, sizes: IntArray) -> GroupAgreement:
    finite = values[~np.isnan(values)]
    return GroupAgreement(
        labels=labels,
        values=values,
        sizes=sizes,
        mean=float(finite.mean()) if finite.size else float("nan"),
        median=float(np.median(finite)) if finite.size else float("nan"),
    )


def rwg(values: ArrayLike, groups: ArrayLike, *, scale_points: int) -> GroupAgreement:
    """Within-group agreement on one item, rwg, against a uniform null, as multilevel::rwg.

    Parameters
    ----------
    values : array_like, shape (n,)
        One answer per individual; NaN rows are left out.
    groups : array_like, shape (n,)
        The group of each individual.
    scale_points : int
        Number of response options A; the null variance is ``(A**2 - 1) / 12``.

    Returns
    -------
    GroupAgreement
        Per group ``rwg = 1 - s**2 / sigma_EU**2``, truncated at 0; NaN for one-member groups.
        ``mean`` and ``median`` are over the groups with a value.

    References
    ----------
    James, L. R., Demaree, R. G., & Wolf, G. (1984). Journal of Applied Psychology, 69, 85-98.
    Bliese, P. D. multilevel, ``multilevel::rwg`` (version 2.7).

    Examples
    --------
    >>> result = rwg([4, 4, 5, 2, 4, 1], ["a", "a", "a", "b", "b", "b"], scale_points=5)
    >>> result.values.round(3).tolist()
    [0.833, 0.0]
    """
    null_var = uniform_null_variance(scale_points)
    x, g = _listwise(values, groups, name="values")
    labels, codes = _factorise(g, x.shape[0])
    var, sizes = _group_variances(x, codes, labels.shape[0])
    out = np.maximum(1.0 - var[:, 0] / null_var, 0.0)
    out[np.isnan(var[:, 0])] = np.nan
    return _summarise(labels, out, sizes)


def rwg_j(items: ArrayLike, groups: ArrayLike, *, scale_points: int) -> GroupAgreement:
    """Within-group agreement on a J-item scale, rwg(j), as ``multilevel::rwg.j``.

    Parameters
    ----------
    items : array_like, shape (n, J)
        Answers of each individual; rows with any NaN are left out (listwise, as multilevel).
    groups : array_like, shape (n,)
        The group of each individual.
    scale_points : int
        Number of response options A; the null variance is ``(A**2 - 1) / 12``.

    Returns
    -------
    GroupAgreement

    Notes
    -----
    With ``s2`` the mean of the J item variances in a group and ``sigma2 = (A**2 - 1) / 12``:

    ``rwg(j) = J (1 - s2 / sigma2) / (J (1 - s2 / sigma2) + s2 / sigma2)``,

    set to 0 when ``s2 > sigma2``; NaN for one-member groups.

    References
    ----------
    James, L. R., Demaree, R. G., & Wolf, G. (1984). Journal of Applied Psychology, 69, 85-98.
    Bliese, P. D. multilevel, ``multilevel::rwg.j`` (version 2.7).

    Examples
    --------
    >>> items = [[4, 5], [4, 4], [5, 5], [1, 5], [5, 1], [3, 3]]
    >>> result = rwg_j(items, [1, 1, 1, 2, 2, 2], scale_points=5)
    >>> result.values.round(3).tolist()
    [0.909, 0.0]
    """
    null_var = uniform_null_variance(scale_points)
    x, g = _listwise(items, groups, name="items")
    labels, codes = _factorise(g, x.shape[0])
    var, sizes = _group_variances(x, codes, labels.shape[0])
    j = x.shape[1]
    ratio = var.mean(axis=1) / null_var
    with np.errstate(invalid="ignore", divide="ignore"):
        out = j * (1.0 - ratio) / (j * (1.0 - ratio) + ratio)
    out = np.where(ratio > 1.0, 0.0, out)
    out[np.isnan(ratio)] = np.nan
    return _summarise(labels, out, sizes)


def ad_m(items: ArrayLike, groups: ArrayLike) -> GroupAgreement:
    """Average deviation around the mean, AD_M(j), per group, as ``multilevel::ad.m``.

    Parameters
    ----------
    items : array_like, shape (n,) or (n, J)
        Answers of each individual; rows with any NaN are left out (listwise).
    groups : array_like, shape (n,)
        The group of each individual.

    Returns
    -------
    GroupAgreement
        Per group ``AD_M(j) = mean_j( mean_i |x_ij - mean(x_j)| )``; lower means more agreement.

    References
    ----------
    Burke, M. J., Finkelstein, L. M., & Dusig, M. S. (1999). On average deviation indices for
    estimating interrater agreement. Organizational Research Methods, 2, 49-68.
    Bliese, P. D. multilevel, ``multilevel::ad.m`` with ``type = "mean"`` (version 2.7).

    Examples
    --------
    >>> result = ad_m([[4, 5], [4, 4], [5, 5], [1, 5], [5, 1], [3, 3]], [1, 1, 1, 2, 2, 2])
    >>> result.values.round(3).tolist()
    [0.444, 1.333]
    """
    x, g = _listwise(items, groups, name="items")
    labels, codes = _factorise(g, x.shape[0])
    n_groups = labels.shape[0]
    sizes = np.bincount(codes, minlength=n_groups)
    dev = np.empty((n_groups, x.shape[1]))
    for j in range(x.shape[1]):
        means = np.bincount(codes, weights=x[:, j], minlength=n_groups) / sizes
        dev[:, j] = np.bincount(codes, weights=np.abs(x[:, j] - means[codes]), minlength=n_groups)
    values = (dev / sizes[:, None]).mean(axis=1)
    return _summarise(labels, np.asarray(values, dtype=np.float64), sizes.astype(np.intp))
