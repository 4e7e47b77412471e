"""Covariances and correlations from pairwise-complete observations, as R computes them."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from tandem.measure._arrays import FloatArray, as_float_array

__all__ = ["pairwise_correlation", "pairwise_covariance"]


def _pairwise_sums(
    x: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, FloatArray]:
    """Pairwise-complete sums on column-centred data: n_ij, S_ij, Q_ij, SS_ij and the shift.

    ``S[i, j]`` is the sum of column i over rows where i and j are both present,
    ``Q[i, j]`` the sum of products and ``SS[i, j]`` the sum of squares of column i.
    Centring by the column means first keeps the one-pass formulas accurate.
    """
    present = ~np.isnan(x)
    if present.all():
        # Nothing missing: every pair has every row, so the sums of a column are the same
        # against every other column and only the cross-products need a matrix product.
        k = x.shape[1]
        shift = x.mean(axis=0) if x.shape[0] else np.zeros(k)
        x0 = x - shift
        full = np.full((k, k), float(x.shape[0]))
        products = x0.T @ x0
        column_sums = np.broadcast_to(x0.sum(axis=0)[:, None], (k, k)).copy()
        squares = np.broadcast_to(np.diag(products)[:, None], (k, k)).copy()
        return full, column_sums, products, squares, shift
    shift = np.nanmean(x, axis=0)
    shift = np.where(np.isnan(shift), 0.0, shift)
    x0 = np.where(present, x - shift, 0.0)
    mask = present.astype(np.float64)
    n = mask.T @ mask
    s = x0.T @ mask
    q = x0.T @ x0
    ss = (x0 * x0).T @ mask
    return n, s, q, ss, shift


def pairwise_covariance(data: ArrayLike) -> FloatArray:
    """Covariance matrix from pairwise-complete observations, as R's ``cov(x, use="pairwise")``.

    Parameters
    ----------
    data : array_like, shape (n, k)
        Rows are respondents, columns are items; NaN marks a missing answer.

    Returns
    -------
    ndarray, shape (k, k)
        ``C[i, j] = sum((x_i - mean_ij(x_i)) (x_j - mean_ij(x_j))) / (n_ij - 1)`` over the
        ``n_ij`` rows where both items were answered (NaN when ``n_ij < 2``).

    References
    ----------
    R Core Team, ``stats::cov`` with ``use = "pairwise.complete.obs"``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1, 2], [2, np.nan], [3, 5], [4, 4]])
    >>> pairwise_covariance(x).round(4).tolist()
    [[1.6667, 1.8333], [1.8333, 2.3333]]
    """
    x = as_float_array(data, name="data")
    if x.ndim != 2:
        raise ValueError(f"data must be a 2-D table (rows x columns); got {x.ndim} dimension(s)")
    n, s, q, _ss, _shift = _pairwise_sums(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (q - s * s.T / n) / (n - 1)
    cov = np.where(n >= 2, cov, np.nan)
    return np.asarray((cov + cov.T) / 2, dtype=np.float64)


def pairwise_correlation(data: ArrayLike) -> FloatArray:
    """Correlation matrix from pairwise-complete observations, as R's ``cor(x, use="pairwise")``.

    Unlike ``cov2cor`` of the pairwise covariance, each correlation uses the means and
    standard deviations of its own pairwise-complete rows.

    Parameters
    ----------
    data : array_like, shape (n, k)
        Rows are respondents, columns are items; NaN marks a missing answer.

    Returns
    -------
    ndarray, shape (k, k)
        ``r_ij = cov_ij / (sd_i|ij * sd_j|ij)`` with 1 on the diagonal.

    References
    ----------
    R Core Team, ``stats::cor`` with ``use = "pairwise.complete.obs"``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([[1, 2], [2, np.nan], [3, 5], [4, 4]])
    >>> pairwise_correlation(x).round(4).tolist()
    [[1.0, 0.7857], [0.7857, 1.0]]
    """
    x = as_float_array(data, name="data")
    if x.ndim != 2:
        raise ValueError(f"data must be a 2-D table (rows x columns); got {x.ndim} dimension(s)")
    n, s, q, ss, _shift = _pairwise_sums(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = (q - s * s.T / n) / (n - 1)
        var = (ss - s * s / n) / (n - 1)
        r = cov / np.sqrt(var * var.T)
    r = np.where(n >= 2, r, np.nan)
    r = (r + r.T) / 2
    np.fill_diagonal(r, 1.0)
    return np.asarray(r, dtype=np.float64)
