"""Norms: percentiles and T-scores against a population (the organisation's own or stored)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from tandem.measure._arrays import FloatArray, IntArray, as_float_array

__all__ = ["NormTable"]


class NormTable:
    """A norm table fitted on a population of scores, scikit-learn style.

    Parameters
    ----------
    n_points : int, default 1000
        Number of quantiles kept per column, at probabilities ``(i + 0.5) / n_points``
        (0.05%, 0.15%, ..., 99.95%). Percentiles are mid-ranks on this grid, so the stored
        table is small and a table loaded from a file gives the same answers as the one fitted.

    Attributes
    ----------
    columns_ : tuple of str
        Column names (scales, items, indices).
    n_ : ndarray of int
        Scores per column used in the fit (NaN left out).
    mean_, sd_ : ndarray
        Mean and standard deviation (ddof 1) per column.
    quantiles_ : ndarray, shape (n_points, n_columns)
        Quantiles at probabilities ``(i + 0.5) / n_points`` (inverted empirical CDF).

    Notes
    -----
    Percentile (mid-rank): ``100 * (#(q < x) + #(q <= x)) / (2 * n_points)`` over the stored
    quantiles ``q``; ties share the middle of their run, as a mid-rank percentile does.
    T-score: ``50 + 10 * (x - mean) / sd`` (linear T).

    References
    ----------
    Crawford, J. R., & Garthwaite, P. H. (2009). Percentiles please: The case for expressing
    neuropsychological test scores and accompanying confidence limits as percentile ranks.
    The Clinical Neuropsychologist, 23, 193-204.

    Examples
    --------
    >>> norms = NormTable().fit([[1.0], [2.0], [3.0], [4.0]], columns=["planning"])
    >>> norms.percentile([[2.5]]).tolist()
    [[50.0]]
    >>> norms.t_score([[4.0]]).round(1).tolist()
    [[61.6]]
    """

    def __init__(self, n_points: int = 1000) -> None:
        self.n_points = n_points

    def fit(self, scores: ArrayLike, *, columns: Sequence[str] | None = None) -> NormTable:
        """Learn the norms from a population.

        Parameters
        ----------
        scores : array_like, shape (n, k)
            One row per person, one column per scale; NaN is left out.
        columns : sequence of str, optional
            Column names (default ``"0"``, ``"1"``, ...).

        Returns
        -------
        NormTable
            ``self``, fitted.

        Examples
        --------
        >>> NormTable().fit([[1.0, 2.0], [3.0, 4.0]], columns=["a", "b"]).mean_.tolist()
        [2.0, 3.0]
        """
        x = as_float_array(scores, name="scores")
        if x.ndim != 2:
            raise ValueError("scores must be a 2-D table (people x columns)")
        if int(self.n_points) != self.n_points or self.n_points < 3:
            raise ValueError("n_points must be a whole number of at least 3")
        names = tuple(str(j) for j in range(x.shape[1])) if columns is None else tuple(columns)
        if len(names) != x.shape[1]:
            raise ValueError(f"columns has {len(names)} names for {x.shape[1]} columns")
        probs = (np.arange(int(self.n_points)) + 0.5) / int(self.n_points)
        quantiles = np.full((probs.size, x.shape[1]), np.nan)
        n = (~np.isnan(x)).sum(axis=0)
        mean = np.full(x.shape[1], np.nan)
        sd = np.full(x.shape[1], np.nan)
        for j in range(x.shape[1]):
            col = np.sort(x[~np.isnan(x[:, j]), j])
            if col.size == 0:
                continue
            quantiles[:, j] = np.quantile(col, probs, method="inverted_cdf")
            mean[j] = col.mean()
            sd[j] = col.std(ddof=1) if col.size > 1 else np.nan
        self.columns_ = names
        self.n_: IntArray = n.astype(np.intp)
        self.mean_: FloatArray = mean
        self.sd_: FloatArray = sd
        self.quantiles_: FloatArray = quantiles
        return self

    def _check(self, scores: ArrayLike) -> FloatArray:
        if not hasattr(self, "quantiles_"):
            raise ValueError("this NormTable is not fitted yet; call fit() or from_dict() first")
        x = as_float_array(scores, name="scores")
        if x.ndim not in (1, 2) or x.shape[-1] != len(self.columns_):
            raise ValueError(f"scores need one column per norm column ({len(self.columns_)})")
        return x

    def percentile(self, scores: ArrayLike) -> FloatArray:
        """Mid-rank percentile of each score in its column (0-100; NaN stays NaN).

        Examples
        --------
        >>> NormTable().fit([[1.0], [2.0], [2.0], [3.0]]).percentile([[2.0], [9.0]]).tolist()
        [[50.0], [100.0]]
        """
        x = self._check(scores)
        flat = x.reshape(-1, x.shape[-1])
        out = np.full(flat.shape, np.nan)
        for j in range(flat.shape[1]):
            q = self.quantiles_[:, j]
            if np.isnan(q).any():
                continue
            v = flat[:, j]
            ok = ~np.isnan(v)
            below = np.searchsorted(q, v[ok], side="left")
            at_or_below = np.searchsorted(q, v[ok], side="right")
            out[ok, j] = 100.0 * (below + at_or_below) / (2.0 * q.size)
        return out.reshape(x.shape)

    def t_score(self, scores: ArrayLike) -> FloatArray:
        """Linear T-score, ``50 + 10 * (x - mean_) / sd_``.

        Examples
        --------
        >>> NormTable().fit([[1.0], [3.0]]).t_score([[3.0]]).round(2).tolist()
        [[57.07]]
        """
        x = self._check(scores)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(50.0 + 10.0 * (x - self.mean_) / self.sd_, dtype=np.float64)

    def value_at(self, percentile: float) -> FloatArray:
        """The score at a percentile in each column (from the stored quantiles).

        Examples
        --------
        >>> NormTable().fit([[1.0], [2.0], [3.0]]).value_at(50).tolist()
        [2.0]
        """
        if not hasattr(self, "quantiles_"):
            raise ValueError("this NormTable is not fitted yet; call fit() or from_dict() first")
        if not 0.0 <= percentile <= 100.0:
            raise ValueError(f"percentile must be between 0 and 100; got {percentile}")
        probs = 100.0 * (np.arange(self.quantiles_.shape[0]) + 0.5) / self.quantiles_.shape[0]
        out = np.full(self.quantiles_.shape[1], np.nan)
        for j in range(self.quantiles_.shape[1]):
            if not np.isnan(self.quantiles_[:, j]).any():
                out[j] = np.interp(percentile, probs, self.quantiles_[:, j])
        return out

    def column(self, name: str) -> int:
        """Position of a named column."""
        try:
            return self.columns_.index(name)
        except ValueError:
            raise ValueError(f"the norm table has no column {name!r}") from None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description of the fitted table (a stored norm file).

        Examples
        --------
        >>> sorted(NormTable().fit([[1.0], [2.0]], columns=["a"]).to_dict())
        ['columns', 'format', 'mean', 'n', 'n_points', 'quantiles', 'sd']
        """
        if not hasattr(self, "quantiles_"):
            raise ValueError("this NormTable is not fitted yet")

        def clean(a: FloatArray) -> list[Any]:
            return [None if v != v else float(v) for v in a.tolist()]

        return {
            "format": "tandem-norms/1",
            "n_points": int(self.quantiles_.shape[0]),
            "columns": list(self.columns_),
            "n": [int(v) for v in self.n_],
            "mean": clean(self.mean_),
            "sd": clean(self.sd_),
            "quantiles": {c: clean(self.quantiles_[:, j]) for j, c in enumerate(self.columns_)},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> NormTable:
        """Rebuild a fitted table from :meth:`to_dict` output (e.g. a stored norm file).

        Examples
        --------
        >>> table = NormTable().fit([[1.0], [2.0], [3.0]], columns=["a"])
        >>> NormTable.from_dict(table.to_dict()).percentile([[2.0]]).tolist()
        [[50.0]]
        """
        if data.get("format") != "tandem-norms/1":
            raise ValueError("not a Tandem norm file (expected format 'tandem-norms/1')")
        try:
            columns = tuple(str(c) for c in data["columns"])
            table = cls(n_points=int(data["n_points"]))
            quantiles = np.array(
                [[np.nan if v is None else v for v in data["quantiles"][c]] for c in columns],
                dtype=np.float64,
            ).T
            mean = np.array([np.nan if v is None else v for v in data["mean"]], dtype=np.float64)
            sd = np.array([np.nan if v is None else v for v in data["sd"]], dtype=np.float64)
            n = np.array(data["n"], dtype=np.intp)
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"broken norm file: {exc}") from None
        if quantiles.shape != (table.n_points, len(columns)) or len(mean) != len(columns):
            raise ValueError("broken norm file: sizes do not match its columns")
        if np.any(np.diff(quantiles, axis=0) < 0):
            raise ValueError("broken norm file: quantiles must not decrease")
        table.columns_ = columns
        table.n_ = n
        table.mean_ = mean
        table.sd_ = sd
        table.quantiles_ = quantiles
        return table
