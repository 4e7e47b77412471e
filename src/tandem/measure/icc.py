"""The six Shrout & Fleiss intraclass correlations, as psych::ICC computes them.

Checked against R (psych 2.2.9) in ``tests/measure/test_reference.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from tandem.measure._arrays import as_float_matrix, check_level

__all__ = ["ICCForm", "ICCResult", "icc"]


@dataclass(frozen=True)
class ICCForm:
    """One Shrout-Fleiss intraclass correlation with its F test and confidence interval."""

    name: str
    description: str
    value: float
    f: float
    df1: float
    df2: float
    p: float
    lower: float
    upper: float


@dataclass(frozen=True)
class ICCResult:
    """The six Shrout & Fleiss (1979) ICCs for a targets x judges table."""

    icc1: ICCForm
    icc2: ICCForm
    icc3: ICCForm
    icc1k: ICCForm
    icc2k: ICCForm
    icc3k: ICCForm
    n_targets: int
    n_judges: int
    ms_between: float
    ms_within: float
    ms_judges: float
    ms_error: float
    level: float

    @property
    def forms(self) -> tuple[ICCForm, ...]:
        """The six forms in psych's order: ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k."""
        return (self.icc1, self.icc2, self.icc3, self.icc1k, self.icc2k, self.icc3k)


def icc(ratings: ArrayLike, *, level: float = 0.95) -> ICCResult:
    """All six Shrout & Fleiss intraclass correlations, as ``psych::ICC(x, lmer = FALSE)``.

    Parameters
    ----------
    ratings : array_like, shape (n, k)
        Rows are targets, columns are judges. Every cell must be present.
    level : float, default 0.95
        Confidence level of the intervals.

    Returns
    -------
    ICCResult

    Notes
    -----
    With mean squares between targets (MSB), within targets (MSW), between judges (MSJ) and
    residual (MSE) from the two-way ANOVA:

    * ICC1 ``= (MSB - MSW) / (MSB + (k - 1) MSW)``; ICC1k ``= (MSB - MSW) / MSB``
    * ICC2 ``= (MSB - MSE) / (MSB + (k - 1) MSE + k (MSJ - MSE) / n)``;
      ICC2k ``= (MSB - MSE) / (MSB + (MSJ - MSE) / n)``
    * ICC3 ``= (MSB - MSE) / (MSB + (k - 1) MSE)``; ICC3k ``= (MSB - MSE) / MSB``

    F tests and confidence bounds follow Shrout & Fleiss (1979) as implemented in psych,
    including the Satterthwaite degrees of freedom for ICC2.

    References
    ----------
    Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: Uses in assessing rater
    reliability. Psychological Bulletin, 86, 420-428.
    Revelle, W. psych, ``psych::ICC`` (version 2.2.9).

    Examples
    --------
    >>> x = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> result = icc(x)
    >>> [round(form.value, 2) for form in result.forms]
    [0.17, 0.29, 0.71, 0.44, 0.62, 0.91]
    """
    x = as_float_matrix(ratings, name="ratings", min_rows=2, min_cols=2)
    if np.isnan(x).any():
        row, col = (int(v) for v in np.argwhere(np.isnan(x))[0])
        raise ValueError(
            f"ICC needs a complete targets x judges table; row {row + 1}, column {col + 1} is empty"
        )
    lvl = check_level(level)
    alpha = 1.0 - lvl
    n, k = x.shape
    grand = x.mean()
    ss_total = float(((x - grand) ** 2).sum())
    ss_between = k * float(((x.mean(axis=1) - grand) ** 2).sum())
    ss_judges = n * float(((x.mean(axis=0) - grand) ** 2).sum())
    ss_within = ss_total - ss_between
    ss_error = ss_total - ss_between - ss_judges
    # numpy scalars: a perfectly consistent table (no error variance) gives an infinite F
    # instead of a ZeroDivisionError; undefined forms come out as NaN.
    msb = np.float64(ss_between) / (n - 1)
    msw = np.float64(ss_within) / (n * (k - 1))
    msj = np.float64(ss_judges) / (k - 1)
    mse = np.float64(max(ss_error, 0.0)) / ((n - 1) * (k - 1))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _forms(n, k, msb, msw, msj, mse, alpha, lvl)


def _forms(
    n: int,
    k: int,
    msb: np.float64,
    msw: np.float64,
    msj: np.float64,
    mse: np.float64,
    alpha: float,
    lvl: float,
) -> ICCResult:
    """The six forms, F tests and bounds from the mean squares (psych::ICC's formulas)."""
    from scipy import stats  # here, not at the top: scipy.stats takes ~1.5 s to import

    def fq(p: float, d1: float, d2: float) -> float:
        return float(stats.f.ppf(p, d1, d2))

    icc1 = (msb - msw) / (msb + (k - 1) * msw)
    icc2 = (msb - mse) / (msb + (k - 1) * mse + k * (msj - mse) / n)
    icc3 = (msb - mse) / (msb + (k - 1) * mse)
    icc1k = (msb - msw) / msb
    icc2k = (msb - mse) / (msb + (msj - mse) / n)
    icc3k = (msb - mse) / msb

    f1 = msb / msw
    df1n, df1d = n - 1.0, n * (k - 1.0)
    f3 = msb / mse
    df3n, df3d = n - 1.0, (n - 1.0) * (k - 1.0)
    p1 = float(stats.f.sf(f1, df1n, df1d))
    p3 = float(stats.f.sf(f3, df3n, df3d))

    f1l = f1 / fq(1 - alpha / 2, df1n, df1d)
    f1u = f1 * fq(1 - alpha / 2, df1d, df1n)
    f3l = f3 / fq(1 - alpha / 2, df3n, df3d)
    f3u = f3 * fq(1 - alpha / 2, df3d, df3n)

    fj = msj / mse
    vn = (k - 1) * (n - 1) * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    vd = (n - 1) * k**2 * icc2**2 * fj**2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    v = vn / vd
    f2u = fq(1 - alpha / 2, n - 1, v)
    f2l = fq(1 - alpha / 2, v, n - 1)
    l2 = n * (msb - f2u * mse) / (f2u * (k * msj + (k * n - k - n) * mse) + n * msb)
    u2 = n * (f2l * msb - mse) / (k * msj + (k * n - k - n) * mse + n * f2l * msb)

    def form(
        name: str,
        description: str,
        value: float,
        f: float,
        d1: float,
        d2: float,
        p: float,
        lower: float,
        upper: float,
    ) -> ICCForm:
        return ICCForm(
            name,
            description,
            float(value),
            float(f),
            float(d1),
            float(d2),
            float(p),
            float(lower),
            float(upper),
        )

    return ICCResult(
        icc1=form(
            "ICC1",
            "single raters, absolute",
            icc1,
            f1,
            df1n,
            df1d,
            p1,
            (f1l - 1) / (f1l + k - 1),
            (f1u - 1) / (f1u + k - 1),
        ),
        icc2=form("ICC2", "single random raters", icc2, f3, df3n, df3d, p3, l2, u2),
        icc3=form(
            "ICC3",
            "single fixed raters",
            icc3,
            f3,
            df3n,
            df3d,
            p3,
            (f3l - 1) / (f3l + k - 1),
            (f3u - 1) / (f3u + k - 1),
        ),
        icc1k=form(
            "ICC1k", "average raters, absolute", icc1k, f1, df1n, df1d, p1, 1 - 1 / f1l, 1 - 1 / f1u
        ),
        icc2k=form(
            "ICC2k",
            "average random raters",
            icc2k,
            f3,
            df3n,
            df3d,
            p3,
            l2 * k / (1 + l2 * (k - 1)),
            u2 * k / (1 + u2 * (k - 1)),
        ),
        icc3k=form(
            "ICC3k", "average fixed raters", icc3k, f3, df3n, df3d, p3, 1 - 1 / f3l, 1 - 1 / f3u
        ),
        n_targets=int(n),
        n_judges=int(k),
        ms_between=float(msb),
        ms_within=float(msw),
        ms_judges=float(msj),
        ms_error=float(mse),
        level=lvl,
    )
