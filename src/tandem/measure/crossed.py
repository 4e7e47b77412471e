"""Rater leniency, corrected: crossed random effects ``y ~ 1 + (1 | ratee) + (1 | rater)`` by REML.

Every rater has a leniency (some rate everyone high, some low) and every ratee a standing; with
raters who rate several people, and people rated by several raters, the two can be told apart.
The model and its REML criterion are exactly lme4's (Bates et al. 2015); the numbers are checked
against ``lme4::lmer`` 1.1-31 in ``tests/measure/test_crossed_reference.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import sparse, stats
from scipy.linalg import lapack
from scipy.sparse import linalg as splinalg

from tandem.measure._arrays import FloatArray, IntArray, as_float_vector, check_level
from tandem.measure._selected_inverse import InversePlan, selected_inverse

__all__ = ["AdjustedScores", "CrossedFit", "crossed_reml"]

LOG_2PI = math.log(2.0 * math.pi)
#: Relative change of the variance ratios at which the Newton iterations stop.
STEP_TOL = 1e-9
#: Newton decrement (deviance units) at which the iterations stop.
DECREMENT_TOL = 1e-15
MAX_ITER = 200
#: Largest Newton step in a log variance ratio (a factor of e^10), and the ratio taken as 0.
MAX_LOG_STEP = 10.0
TINY = 1e-12
#: A ratio below this (relative to the larger one) with a positive gradient is tried at 0.
PROBE = 1e-4
#: Largest ratio of a factor's variance to the residual one. Ratings that rater and ratee
#: explain exactly (tiny designs, whole-number answers) push the ratio to infinity: the REML
#: criterion has no minimum; a fit that reaches this bound is declined as ``exact``.
PSI_MAX = 1e6
#: The smaller factor is solved densely up to this many levels (a 5,000 x 5,000 Cholesky takes
#: about half a second on two cores); beyond it, by a sparse factorisation when that stays sparse.
DENSE_LEVELS = 5000
#: Beyond ``DENSE_LEVELS`` the dense path is still taken up to this many levels when the sparse
#: factor fills in (raters spread at random over a large group): a 12,000-level dense matrix is
#: 1.15 GB, and a fit holds about three of them at once.
DENSE_MAX_LEVELS = 12_000
#: Work of the sparse path's selected inverse, in entry pairs per level, above which (and up to
#: ``DENSE_MAX_LEVELS``) the dense path is cheaper. Ratings within teams give about 450, raters
#: drawn at random from a 1,400-person department about 800,000.
SPARSE_PAIRS_PER_LEVEL = 5000


@dataclass(frozen=True)
class AdjustedScores:
    """Each ratee's score adjusted for the leniency of their raters, with its uncertainty.

    ``score`` is ``intercept + ratee effect`` (the conditional mode, lme4's ``coef``), ``se`` its
    prediction standard error, ``lower``/``upper`` the interval ``score -/+ z se``. When the
    design cannot separate raters from ratees (``adjusted`` is False), ``score`` is the plain
    mean of the ratee's ratings and ``se``, ``lower`` and ``upper`` are NaN: nothing is claimed.
    """

    ratee_ids: NDArray[Any]
    score: FloatArray
    se: FloatArray
    lower: FloatArray
    upper: FloatArray
    raw_mean: FloatArray
    n_ratings: IntArray
    n_raters: IntArray
    linked_raters: IntArray
    level: float
    adjusted: bool
    note: str


@dataclass(frozen=True)
class CrossedFit:
    """A REML fit of ``y ~ 1 + (1 | ratee) + (1 | rater)``, as ``lme4::lmer`` reports it.

    Variances are lme4's ``VarCorr``; ``reml_criterion`` is ``REMLcrit`` (-2 x the restricted
    log-likelihood); ``theta`` is lme4's ``getME(fit, "theta")`` (``sigma_ratee / sigma``,
    ``sigma_rater / sigma``); effects are the conditional modes (``ranef``) and ``*_effect_sd``
    their conditional standard deviations (``ranef(fit, condVar = TRUE)``). ``boundary`` names
    the variances estimated at exactly 0. When ``separable`` is False nothing was fitted: every
    number is NaN and ``note`` says why.
    """

    n: int
    n_dropped: int
    intercept: float
    intercept_se: float
    var_ratee: float
    var_rater: float
    var_residual: float
    reml_criterion: float
    theta: tuple[float, float]
    converged: bool
    iterations: int
    boundary: tuple[str, ...]
    separable: bool
    note: str
    ratee_ids: NDArray[Any]
    ratee_effects: FloatArray
    ratee_effect_sd: FloatArray
    ratee_n: IntArray
    ratee_raters: IntArray
    ratee_linked: IntArray
    ratee_raw_mean: FloatArray
    ratee_prediction_var: FloatArray
    rater_ids: NDArray[Any]
    rater_effects: FloatArray
    rater_effect_sd: FloatArray
    rater_n: IntArray

    @property
    def variances(self) -> dict[str, float]:
        """The three variance components: ``{"ratee", "rater", "residual"}``."""
        return {"ratee": self.var_ratee, "rater": self.var_rater, "residual": self.var_residual}

    def adjusted_scores(self, *, level: float = 0.95) -> AdjustedScores:
        """Each ratee's adjusted score ``intercept + effect`` with a prediction interval.

        Parameters
        ----------
        level : float, default 0.95
            Coverage of the interval ``score -/+ z se`` (normal quantile ``z``).

        Returns
        -------
        AdjustedScores

        Notes
        -----
        The prediction error variance of ``beta + b_i`` (Henderson 1975: the inverse of the
        mixed-model equations) is, with ``A = Lambda' Z' Z Lambda + I``, ``kappa = 1' V^-1 1``
        (``V = I + Z Lambda Lambda' Z'``) and ``v = A^-1 Lambda' Z' 1``,

        ``PEV_i = sigma^2 (theta_ratee^2 (A^-1)_ii + (1 - theta_ratee v_i)^2 / kappa)``:

        lme4's conditional variance of the effect (first term) plus the uncertainty of the
        intercept and its covariance with the effect. Like lme4's, it treats the estimated
        variances as known.

        Examples
        --------
        Ben was rated by the severe r3 and not by the lenient r1; Dee by r1 and not by r3:

        >>> fit = crossed_reml(
        ...     [4.9, 4.1, 3.4, 3.1, 2.6, 2.9, 2.1, 2.6, 3.2, 4.6, 5.0, 4.4],
        ...     ratee=["ana"] * 3 + ["ben"] * 3 + ["cy"] * 3 + ["dee"] * 3,
        ...     rater=["r1", "r2", "r3", "r2", "r3", "r4", "r3", "r4", "r1", "r4", "r1", "r2"],
        ... )
        >>> scores = fit.adjusted_scores()
        >>> [round(float(m), 2) for m in scores.raw_mean]
        [4.13, 2.87, 2.63, 4.67]
        >>> [round(float(s), 2) for s in scores.score]
        [4.12, 3.07, 2.64, 4.47]
        >>> round(float(scores.se[0]), 3), bool(scores.adjusted)
        (0.259, True)
        """
        lvl = check_level(level)
        z = float(stats.norm.ppf(0.5 + lvl / 2.0))
        if not self.separable:
            nan = np.full(self.ratee_ids.shape[0], np.nan)
            return AdjustedScores(
                ratee_ids=self.ratee_ids,
                score=self.ratee_raw_mean.copy(),
                se=nan,
                lower=nan.copy(),
                upper=nan.copy(),
                raw_mean=self.ratee_raw_mean,
                n_ratings=self.ratee_n,
                n_raters=self.ratee_raters,
                linked_raters=self.ratee_linked,
                level=lvl,
                adjusted=False,
                note=self.note,
            )
        score = self.intercept + self.ratee_effects
        se = np.sqrt(self.ratee_prediction_var)
        return AdjustedScores(
            ratee_ids=self.ratee_ids,
            score=score,
            se=se,
            lower=score - z * se,
            upper=score + z * se,
            raw_mean=self.ratee_raw_mean,
            n_ratings=self.ratee_n,
            n_raters=self.ratee_raters,
            linked_raters=self.ratee_linked,
            level=lvl,
            adjusted=True,
            note=self.note,
        )


def crossed_reml(
    values: ArrayLike,
    *,
    ratee: ArrayLike,
    rater: ArrayLike,
    max_iter: int = MAX_ITER,
) -> CrossedFit:
    """Fit ``y ~ 1 + (1 | ratee) + (1 | rater)`` by REML, exactly as ``lme4::lmer`` does.

    Parameters
    ----------
    values : array_like, shape (n,)
        One rating per row (for example a rater's scale score for a ratee). NaN rows are
        dropped and counted in ``n_dropped``.
    ratee, rater : array_like, shape (n,)
        Who was rated and who rated, as ids (strings or integers).
    max_iter : int, default 200
        Most Newton iterations.

    Returns
    -------
    CrossedFit

    Raises
    ------
    ValueError
        On values that are not finite numbers, arrays of different lengths, fewer than two
        ratees or two raters with a rating, or ratings that are all equal.

    Notes
    -----
    The model is ``y = beta 1 + Z_1 b_1 + Z_2 b_2 + e`` with ``b_1 ~ N(0, sigma_1^2 I)`` over
    ratees, ``b_2 ~ N(0, sigma_2^2 I)`` over raters and ``e ~ N(0, sigma^2 I)``. As in lme4,
    ``b = Lambda u`` with ``Lambda = diag(theta_1 I, theta_2 I)``, ``theta_k = sigma_k / sigma``,
    and ``A = Lambda' Z' Z Lambda + I``. For given ``theta`` the penalised least squares
    ``r^2 = min ||y - beta 1 - Z Lambda u||^2 + ||u||^2`` give ``beta`` and the conditional
    modes ``u``; the profiled REML criterion is

    ``d(theta) = log|A| + log(1' V^-1 1) + (n - 1) (1 + log(2 pi r^2 / (n - 1)))``

    (``V = I + Z Lambda Lambda' Z'``, ``1' V^-1 1 = n - 1' Z Lambda A^-1 Lambda' Z' 1``), and
    ``sigma^2 = r^2 / (n - 1)`` at its minimum (Bates et al. 2015, eqs. 41-43).

    Two crossed factors make ``A`` a 2 x 2 block matrix with diagonal blocks. The factor with
    more levels is eliminated exactly (its block is diagonal) and the Schur complement on the
    factor with fewer levels, ``S = I + a^2 diag(n) - a^2 b^2 N diag(1 / (1 + b^2 m)) N'``
    (``N`` the ratee x rater count table), is factored by dense Cholesky (beyond 5,000 levels by
    a sparse symmetric factorisation, unless it fills in), so
    ``log|A| = sum log(1 + b^2 m) + log|S|``. The gradient needs ``S^-1`` only where ``S`` has
    entries: the whole inverse on the dense path, the selected inverse of the sparse factor
    (Takahashi's recurrences) on the sparse one. ``d`` is minimised over the
    relative variances ``psi = theta^2 >= 0`` by Newton steps with the exact gradient

    ``dd/dpsi_k = tr(Z_k' P Z_k) - (n - 1) ||Z_k' r||^2 / r^2``

    (``P = V^-1 - V^-1 1 1' V^-1 / (1' V^-1 1)``, ``r`` the residuals) and the average
    information matrix (Gilmour, Thompson & Cullis 1995) as Hessian, with a backtracking line
    search and the bound ``psi >= 0`` (a variance estimated at 0 is a boundary fit, named in
    ``boundary``).

    **When raters cannot be told apart from ratees**: if every rater rates exactly one ratee,
    a rater's leniency is seen on nobody else; if every ratee has exactly one rater, a ratee's
    standing is seen through nobody else. Either way leniency cannot be separated from
    standing, lme4 stops with an error, and this function declines: ``separable`` is False,
    the numbers are NaN, ``note`` says why, and ``adjusted_scores`` gives the plain means.

    References
    ----------
    Bates, D., Maechler, M., Bolker, B., & Walker, S. (2015). Fitting linear mixed-effects
    models using lme4. Journal of Statistical Software, 67(1), 1-48.
    Gilmour, A. R., Thompson, R., & Cullis, B. R. (1995). Average information REML.
    Biometrics, 51, 1440-1450.
    Henderson, C. R. (1975). Best linear unbiased estimation and prediction under a selection
    model. Biometrics, 31, 423-447.
    Scullen, S. E., Mount, M. K., & Goff, M. (2000). Understanding the latent structure of job
    performance ratings. Journal of Applied Psychology, 85, 956-970.

    Examples
    --------
    Four people each rated by three of four colleagues; r1 rates high, r3 low
    (``lme4::lmer(y ~ 1 + (1 | ratee) + (1 | rater))`` gives the same numbers):

    >>> fit = crossed_reml(
    ...     [4.9, 4.1, 3.4, 3.1, 2.6, 2.9, 2.1, 2.6, 3.2, 4.6, 5.0, 4.4],
    ...     ratee=["ana"] * 3 + ["ben"] * 3 + ["cy"] * 3 + ["dee"] * 3,
    ...     rater=["r1", "r2", "r3", "r2", "r3", "r4", "r3", "r4", "r1", "r4", "r1", "r2"],
    ... )
    >>> round(fit.intercept, 4), round(fit.reml_criterion, 4), fit.converged
    (3.575, 16.2042, True)
    >>> {k: round(v, 4) for k, v in fit.variances.items()}
    {'ratee': 0.7528, 'rater': 0.234, 'residual': 0.0239}
    >>> dict(zip(fit.rater_ids.tolist(), fit.rater_effects.round(3).tolist()))
    {'r1': 0.604, 'r2': -0.02, 'r3': -0.557, 'r4': -0.026}
    """
    y_all = as_float_vector(values, name="values")
    ratee_arr = _labels(ratee, name="ratee", n=y_all.shape[0])
    rater_arr = _labels(rater, name="rater", n=y_all.shape[0])
    if np.isinf(y_all).any():
        raise ValueError("values contains infinite numbers; give finite ratings or NaN")
    keep = ~np.isnan(y_all)
    n_dropped = int((~keep).sum())
    y = y_all[keep]
    ratee_ids, ratee_idx = np.unique(ratee_arr[keep], return_inverse=True)
    rater_ids, rater_idx = np.unique(rater_arr[keep], return_inverse=True)
    if ratee_ids.shape[0] < 2 or rater_ids.shape[0] < 2:
        raise ValueError(
            "rater leniency needs at least 2 ratees and 2 raters with a rating; got "
            f"{ratee_ids.shape[0]} ratee(s) and {rater_ids.shape[0]} rater(s)"
        )
    if float(np.ptp(y)) == 0.0:
        raise ValueError("every rating is the same value; there is no variance to split")
    design = _Design(y, ratee_idx.astype(np.intp), rater_idx.astype(np.intp))
    note = design.separability_note()
    if note:
        return _declined(design, ratee_ids, rater_ids, n_dropped, note)
    return _fit(design, ratee_ids, rater_ids, n_dropped, max_iter)


def _labels(data: ArrayLike, *, name: str, n: int) -> NDArray[Any]:
    arr = np.asarray(data)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one id per rating); got {arr.ndim} dimension(s)")
    if arr.shape[0] != n:
        raise ValueError(f"{name} has {arr.shape[0]} ids for {n} values; give one id per rating")
    if arr.dtype == object:
        arr = arr.astype(str)
    return arr


def _sums(index: IntArray, weights: FloatArray, size: int) -> FloatArray:
    """Sum ``weights`` by ``index`` (one bincount)."""
    return np.bincount(index, weights=weights, minlength=size).astype(np.float64, copy=False)


class _Design:
    """The ratings arranged for the Schur complement on the factor with fewer levels.

    ``s`` names that factor (kept and factored), ``b`` the other one (eliminated through its
    diagonal block). ``N`` is the s x b table of counts, held as its distinct pairs.
    """

    def __init__(self, y: FloatArray, ratee_idx: IntArray, rater_idx: IntArray) -> None:
        self.y = y
        self.n = int(y.shape[0])
        self.ratee_idx = ratee_idx
        self.rater_idx = rater_idx
        self.q_ratee = int(ratee_idx.max()) + 1
        self.q_rater = int(rater_idx.max()) + 1
        self.ratee_small = self.q_ratee <= self.q_rater
        self.s_idx, self.b_idx = (
            (ratee_idx, rater_idx) if self.ratee_small else (rater_idx, ratee_idx)
        )
        self.q_s = int(self.s_idx.max()) + 1
        self.q_b = int(self.b_idx.max()) + 1
        ones = np.ones(self.n)
        self.n_s = _sums(self.s_idx, ones, self.q_s)
        self.m_b = _sums(self.b_idx, ones, self.q_b)
        self.y_s = _sums(self.s_idx, y, self.q_s)
        self.y_b = _sums(self.b_idx, y, self.q_b)
        # Distinct (s, b) pairs with their counts, sorted by b level, then s level.
        pairs, counts = np.unique(
            self.b_idx.astype(np.int64) * self.q_s + self.s_idx, return_counts=True
        )
        self.pair_s = (pairs % self.q_s).astype(np.intp)
        self.pair_b = (pairs // self.q_s).astype(np.intp)
        self.pair_n = counts.astype(np.float64)
        self.s_degree = np.bincount(self.pair_s, minlength=self.q_s)
        self.b_degree = np.bincount(self.pair_b, minlength=self.q_b)
        self._triplets()
        self.dense = True
        self.inverse_plan: InversePlan | None = None
        if self.q_s > DENSE_LEVELS:
            self._sparse_pattern()
            self.dense = self.q_s <= DENSE_MAX_LEVELS and self._fills_in()

    def separability_note(self) -> str:
        """Why leniency cannot be told apart from standing here, or '' when it can."""
        ratee_deg, rater_deg = (
            (self.s_degree, self.b_degree) if self.ratee_small else (self.b_degree, self.s_degree)
        )
        if (rater_deg == 1).all():
            return (
                "cannot separate rater from ratee: every rater rates exactly one ratee, so no "
                "rater's leniency is seen on anyone else; scores are not adjusted"
            )
        if (ratee_deg == 1).all():
            return (
                "cannot separate rater from ratee: every ratee has exactly one rater, so a "
                "rater's leniency cannot be told apart from the standing of the people they "
                "rate; scores are not adjusted"
            )
        return ""

    def _triplets(self) -> None:
        """Every (i >= k, j) with s levels i and k both rated with b level j.

        ``S``'s off-diagonal part ``sum_j w_j N_ij N_kj`` and ``(N' S^-1 N)_jj`` are sums over
        these triplets, so each evaluation needs one bincount for either.
        """
        starts = np.concatenate(([0], np.cumsum(self.b_degree)[:-1]))
        pos = np.arange(self.pair_b.shape[0]) - starts[self.pair_b]
        reps = pos + 1
        first = np.repeat(np.arange(pos.shape[0]), reps)
        offset = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
        second = starts[self.pair_b][first] + offset
        row, col = self.pair_s[first], self.pair_s[second]
        self.t_row, self.t_col = row, col
        self.t_flat = row * self.q_s + col
        self.t_b = self.pair_b[first]
        self.t_n = self.pair_n[first] * self.pair_n[second]
        # Summing a symmetric matrix over its lower triangle counts off-diagonal entries twice.
        self.t_n2 = np.where(row == col, 1.0, 2.0) * self.t_n

    def _sparse_pattern(self) -> None:
        """``S``'s places in compressed columns, with where each triplet's sum goes."""
        q = self.q_s
        slot_keys, self.t_slot = np.unique(self.t_col * q + self.t_row, return_inverse=True)
        lower_row, lower_col = slot_keys % q, slot_keys // q
        self.n_slots = int(slot_keys.shape[0])
        self.diag_slot = np.flatnonzero(lower_row == lower_col)
        off = np.flatnonzero(lower_row != lower_col)
        # The full symmetric matrix: every lower place, and the off-diagonal ones mirrored.
        rows = np.concatenate((lower_row, lower_col[off]))
        cols = np.concatenate((lower_col, lower_row[off]))
        from_slot = np.concatenate((np.arange(self.n_slots), off))
        order = np.lexsort((rows, cols))
        self.s_from_slot = from_slot[order]
        self.s_indices = rows[order].astype(np.int32)
        self.s_indptr = np.searchsorted(cols[order], np.arange(q + 1)).astype(np.int32)

    def _fills_in(self) -> bool:
        """Whether the sparse factor is so full that the dense path is cheaper."""
        factor = _factor_sparse(self, 1.0, 1.0, 1.0 + self.m_b)
        if factor is None:
            return True
        m = np.diff(factor.L.tocsc().indptr) - 1
        return float((m * (m + 1.0) / 2.0).sum()) > SPARSE_PAIRS_PER_LEVEL * self.q_s

    def n_times(self, x_b: FloatArray) -> FloatArray:
        """``N x`` for columns x over b levels."""
        cols = [
            _sums(self.pair_s, self.pair_n * x_b[self.pair_b, c], self.q_s)
            for c in range(x_b.shape[1])
        ]
        return np.column_stack(cols)

    def nt_times(self, x_s: FloatArray) -> FloatArray:
        """``N' x`` for columns x over s levels."""
        cols = [
            _sums(self.pair_b, self.pair_n * x_s[self.pair_s, c], self.q_b)
            for c in range(x_s.shape[1])
        ]
        return np.column_stack(cols)

    def z_times(self, x: FloatArray) -> tuple[FloatArray, FloatArray]:
        """``Z_s' x`` and ``Z_b' x`` for columns x over ratings."""
        cols = range(x.shape[1])
        return (
            np.column_stack([_sums(self.s_idx, x[:, c], self.q_s) for c in cols]),
            np.column_stack([_sums(self.b_idx, x[:, c], self.q_b) for c in cols]),
        )


@dataclass
class _Point:
    """What one evaluation at relative variances ``psi`` (s factor, b factor) computed."""

    psi: FloatArray
    a: float
    b: float
    deviance: float
    beta: float
    kappa: float
    u_s: FloatArray
    u_b: FloatArray
    v1_s: FloatArray
    v1_b: FloatArray
    r2: float
    resid: FloatArray
    factor: Any
    d_b: FloatArray
    inverse: tuple[FloatArray, FloatArray] | None = None
    grad: FloatArray = field(default_factory=lambda: np.zeros(2))
    hess: FloatArray = field(default_factory=lambda: np.eye(2))


def _factor_schur(design: _Design, a: float, b: float, d_b: FloatArray) -> Any:
    """Factor ``S = I + a^2 diag(n) - a^2 b^2 N diag(1/d) N'``, or None if it is not SPD."""
    if not design.dense:
        return _factor_sparse(design, a, b, d_b)
    q = design.q_s
    s = _sums(design.t_flat, design.t_n / d_b[design.t_b], q * q).reshape(q, q)
    s *= -(a * a) * (b * b)
    s.flat[:: q + 1] += 1.0 + a * a * design.n_s
    chol, info = lapack.dpotrf(s, lower=1, overwrite_a=1, clean=0)
    return chol if info == 0 else None


def _factor_sparse(design: _Design, a: float, b: float, d_b: FloatArray) -> Any:
    """``P S P' = L D L'`` by SuperLU with diagonal pivots (its LU is then ``L (D L')``)."""
    lower = _sums(design.t_slot, design.t_n / d_b[design.t_b], design.n_slots)
    lower *= -(a * a) * (b * b)
    lower[design.diag_slot] += 1.0 + a * a * design.n_s
    s = sparse.csc_matrix(
        (lower[design.s_from_slot], design.s_indices, design.s_indptr),
        shape=(design.q_s, design.q_s),
    )
    try:
        factor = splinalg.splu(
            s,
            permc_spec="MMD_AT_PLUS_A",
            diag_pivot_thresh=0.0,
            options={"SymmetricMode": True},
        )
    except RuntimeError:
        return None
    if not np.array_equal(factor.perm_r, factor.perm_c):
        raise ValueError("internal error: the sparse factorisation left the diagonal")
    if not (factor.U.diagonal() > 0.0).all():
        return None  # not positive definite
    return factor


def _logdet_schur(design: _Design, factor: Any) -> float:
    if design.dense:
        return 2.0 * float(np.log(np.diagonal(factor)).sum())
    return float(np.log(factor.U.diagonal()).sum())


def _solve_a(
    design: _Design, point: _Point, f_s: FloatArray, f_b: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Solve ``A [x_s; x_b] = [f_s; f_b]`` through the Schur complement (columns are RHS)."""
    ab = point.a * point.b
    d = point.d_b[:, np.newaxis]
    t = f_s - ab * design.n_times(f_b / d)
    if design.dense:
        x_s, info = lapack.dpotrs(point.factor, t, lower=1)
        if info != 0:
            raise ValueError("internal error: the Cholesky solve failed")
    else:
        x_s = point.factor.solve(t)
    x_s = np.asarray(x_s, dtype=np.float64)
    return x_s, (f_b - ab * design.nt_times(x_s)) / d


def _evaluate(design: _Design, psi: FloatArray) -> _Point | None:
    """The profiled REML criterion at ``psi``, with the conditional modes and residuals."""
    a, b = math.sqrt(psi[0]), math.sqrt(psi[1])
    d_b = 1.0 + psi[1] * design.m_b
    factor = _factor_schur(design, a, b, d_b)
    if factor is None:
        return None
    nan = np.empty(0)
    point = _Point(psi, a, b, math.nan, 0.0, 0.0, nan, nan, nan, nan, 0.0, nan, factor, d_b)
    # A^-1 W'y and A^-1 W'1 (W = Z Lambda) in one solve.
    f_s = np.column_stack((a * design.y_s, a * design.n_s))
    f_b = np.column_stack((b * design.y_b, b * design.m_b))
    x_s, x_b = _solve_a(design, point, f_s, f_b)
    kappa = design.n - float(f_s[:, 1] @ x_s[:, 1] + f_b[:, 1] @ x_b[:, 1])
    if not kappa > 0:
        return None
    beta = (float(design.y_s.sum()) - float(f_s[:, 1] @ x_s[:, 0] + f_b[:, 1] @ x_b[:, 0])) / kappa
    u_s = x_s[:, 0] - beta * x_s[:, 1]
    u_b = x_b[:, 0] - beta * x_b[:, 1]
    resid = design.y - (beta + a * u_s[design.s_idx] + b * u_b[design.b_idx])
    r2 = float(resid @ resid + u_s @ u_s + u_b @ u_b)
    if not r2 > 0:
        return None
    dof = design.n - 1
    logdet_a = float(np.log(d_b).sum()) + _logdet_schur(design, factor)
    point.deviance = logdet_a + math.log(kappa) + dof * (1.0 + LOG_2PI + math.log(r2 / dof))
    point.beta, point.kappa, point.r2, point.resid = beta, kappa, r2, resid
    point.u_s, point.u_b, point.v1_s, point.v1_b = u_s, u_b, x_s[:, 1], x_b[:, 1]
    return point


def _inverse_parts(design: _Design, point: _Point) -> tuple[FloatArray, FloatArray]:
    """``diag(S^-1)`` and ``(N' S^-1 N)_jj``: all the gradient and the variances need of A^-1."""
    if point.inverse is not None:
        return point.inverse
    q = design.q_s
    if design.dense:
        inv, info = lapack.dpotri(point.factor, lower=1, overwrite_c=0)
        if info != 0:
            raise ValueError("internal error: the Cholesky inverse failed")
        flat = np.asarray(inv, dtype=np.float64).reshape(-1)
        point.inverse = (
            flat[:: q + 1].copy(),
            _sums(design.t_b, flat[design.t_flat] * design.t_n2, design.q_b),
        )
        return point.inverse
    if point.a * point.b == 0.0:  # S is diagonal (and its factor holds only the diagonal)
        diag = 1.0 / (1.0 + point.a * point.a * design.n_s)
        same = design.t_row == design.t_col
        point.inverse = (
            diag,
            _sums(design.t_b[same], (design.t_n * diag[design.t_row])[same], design.q_b),
        )
        return point.inverse
    # Sparse path: S^-1 where the factor has entries, which holds every place of S (S is a
    # Stieltjes matrix, so no entry of its factor cancels to 0).
    factor = point.factor
    inverse = selected_inverse(factor.L, factor.U.diagonal(), design.inverse_plan)
    design.inverse_plan = inverse.plan
    perm = factor.perm_c
    at_triplets = inverse.at(perm[design.t_row], perm[design.t_col])
    point.inverse = (
        inverse.diagonal[perm],
        _sums(design.t_b, at_triplets * design.t_n2, design.q_b),
    )
    return point.inverse


def _derivatives(design: _Design, point: _Point) -> None:
    """Exact gradient of d in psi and the average-information Hessian, stored on ``point``."""
    sinv_diag, nsn = _inverse_parts(design, point)
    a, b, d_b = point.a, point.b, point.d_b
    dof = design.n - 1
    # tr(Z_k' V^-1 Z_k), written so that nothing divides by theta (which may be 0).
    tr_s = float(sinv_diag @ design.n_s) - b * b * float((nsn / d_b).sum())
    tr_b = float((design.m_b / d_b).sum()) - a * a * float((nsn / d_b**2).sum())
    # h = V^-1 1 = 1 - W A^-1 W' 1; P y is the residual vector.
    h = 1.0 - (a * point.v1_s[design.s_idx] + b * point.v1_b[design.b_idx])
    zs, zb = design.z_times(np.column_stack((h, point.resid)))
    g = np.array([float(zs[:, 1] @ zs[:, 1]), float(zb[:, 1] @ zb[:, 1])])
    point.grad = np.array(
        [
            tr_s - float(zs[:, 0] @ zs[:, 0]) / point.kappa - dof * g[0] / point.r2,
            tr_b - float(zb[:, 0] @ zb[:, 0]) / point.kappa - dof * g[1] / point.r2,
        ]
    )
    # Average information (n - 1) (T / r^2 - g g' / r^4), T_kl = v_k' P v_l, v_k = Z_k Z_k' r.
    v = np.column_stack((zs[design.s_idx, 1], zb[design.b_idx, 1]))
    fs, fb = design.z_times(v)
    x_s, x_b = _solve_a(design, point, a * fs, b * fb)
    vinv_v = v - (a * x_s[design.s_idx] + b * x_b[design.b_idx])
    pv = vinv_v - np.outer(h, h @ v) / point.kappa
    hess = dof * ((v.T @ pv) / point.r2 - np.outer(g, g) / point.r2**2)
    point.hess = 0.5 * (hess + hess.T)


def _start(design: _Design) -> FloatArray:
    """Starting relative variances from one one-way ANOVA per factor."""
    n = design.n
    grand = float(design.y_s.sum()) / n
    total = float(((design.y - grand) ** 2).sum())
    parts = []
    for sums, counts in ((design.y_s, design.n_s), (design.y_b, design.m_b)):
        q = counts.shape[0]
        between = float((sums**2 / counts).sum()) - n * grand**2
        if n <= q:
            parts.append(0.0)
            continue
        n0 = (n - float((counts**2).sum()) / n) / (q - 1)
        parts.append(max((between / (q - 1) - (total - between) / (n - q)) / n0, 0.0))
    var_y = total / (n - 1)
    residual = max(var_y - parts[0] - parts[1], 0.1 * var_y)
    return np.clip(np.array(parts) / residual, 0.01, 100.0)


def _newton(design: _Design, max_iter: int) -> tuple[_Point, int, bool]:
    """Newton steps on log psi (AI Hessian) with a line search; a variance may end at 0.

    Log variances keep the steps well scaled from nearly noiseless data (psi ~ 1e6) to a
    variance that vanishes; a ratio that falls below ``TINY`` is tried at exactly 0, and one at
    0 whose gradient points inwards is released by a step in psi.
    """
    point = _evaluate(design, _start(design)) or _evaluate(design, np.ones(2))
    if point is None:
        raise ValueError("internal error: the model cannot be evaluated at its start")
    _derivatives(design, point)
    tried = np.full(2, np.inf)
    for iteration in range(1, max_iter + 1):
        probed = _probe_boundary(design, point, tried)
        if probed is not None:
            point = probed
            continue
        psi, g, hess = point.psi, point.grad, point.hess
        free = psi > 0.0
        release = ~free & (g < 0.0)
        direction = np.zeros(2)  # in log psi for free ratios, in psi for released ones
        grad_log = psi[free] * g[free]
        decrement, scale = 0.0, 1.0
        if free.any():
            hess_log = psi[free, None] * hess[np.ix_(free, free)] * psi[None, free]
            scale = max(float(np.abs(np.diag(hess_log)).max()), 1e-300)
            try:
                sol = np.linalg.solve(hess_log + 1e-12 * scale * np.eye(int(free.sum())), grad_log)
            except np.linalg.LinAlgError:
                sol = grad_log / scale
            decrement = float(sol @ grad_log)
            if not decrement > 0:
                sol = grad_log / scale
                decrement = float(sol @ grad_log)
            direction[free] = np.clip(-sol, -MAX_LOG_STEP, MAX_LOG_STEP)
        direction[release] = -g[release] / np.maximum(np.diag(hess)[release], 1e-12)
        decrement += float(-g[release] @ direction[release])
        slope = float(grad_log @ direction[free] + g[release] @ direction[release])
        if not slope < 0.0:
            direction[free] = -np.clip(grad_log / scale, -MAX_LOG_STEP, MAX_LOG_STEP)
            slope = float(grad_log @ direction[free] + g[release] @ direction[release])
        if not slope < 0.0 or decrement < DECREMENT_TOL:
            return point, iteration - 1, True
        accepted, alpha = None, 1.0
        while accepted is None and alpha > 1e-12:
            trial = psi.copy()
            trial[free] = psi[free] * np.exp(alpha * direction[free])
            trial[release] = alpha * direction[release]
            trial[trial < TINY] = 0.0
            np.minimum(trial, PSI_MAX, out=trial)
            cand = _evaluate(design, trial)
            if cand is not None and cand.deviance <= point.deviance + 1e-4 * alpha * slope:
                accepted = cand
            alpha *= 0.5
        if accepted is None:  # no decrease along a descent direction: the minimum, to rounding
            return point, iteration, decrement < 1e-6
        moved = np.abs(accepted.psi - psi) / np.maximum(np.maximum(accepted.psi, psi), 1e-300)
        point = accepted
        _derivatives(design, point)
        if float(moved.max()) < STEP_TOL:
            return point, iteration, True
    return point, max_iter, False


def _probe_boundary(design: _Design, point: _Point, tried: FloatArray) -> _Point | None:
    """The point with a ratio set to exactly 0, when a Newton step in psi would cross 0 there
    (or the ratio is below ``PROBE``) and 0 lowers the criterion.

    Near a boundary optimum the Newton steps in log psi crawl (the log scale never reaches 0,
    and the near-singular Hessian spoils the other ratio's step), so the boundary is tried
    directly, as a projected Newton method would. Descent is kept: the probe is taken only if
    the criterion decreases. ``tried`` holds, per ratio, the value at which a probe last failed;
    it is tried again only once the ratio has halved.
    """
    psi, g, hess = point.psi, point.grad, point.hess
    for k in range(2):
        if not (0.0 < psi[k] <= 0.5 * tried[k] and g[k] > 0.0):
            continue
        crosses = psi[k] - g[k] / max(float(hess[k, k]), 1e-300) <= 0.0
        if not (crosses or psi[k] < PROBE * max(1.0, float(psi.max()))):
            continue
        trial = psi.copy()
        trial[k] = 0.0
        cand = _evaluate(design, trial)
        if cand is not None and cand.deviance < point.deviance:
            _derivatives(design, cand)
            return cand
        tried[k] = psi[k]
    return None


def _fit(
    design: _Design,
    ratee_ids: NDArray[Any],
    rater_ids: NDArray[Any],
    n_dropped: int,
    max_iter: int,
) -> CrossedFit:
    point, iterations, converged = _newton(design, max_iter)
    if float(point.psi.max()) >= 0.5 * PSI_MAX:
        return _declined(
            design,
            ratee_ids,
            rater_ids,
            n_dropped,
            "cannot separate rater from ratee: ratee and rater explain these ratings exactly, "
            "leaving no spread to judge leniency against (the model has no best fit); scores "
            "are not adjusted",
        )
    sinv_diag, nsn = _inverse_parts(design, point)
    a, b, d_b = point.a, point.b, point.d_b
    sigma2 = point.r2 / (design.n - 1)
    # diag(A^-1): S^-1 for the s factor; 1/d + a^2 b^2 (N' S^-1 N)_jj / d^2 for the other.
    ainv_s = sinv_diag
    ainv_b = 1.0 / d_b + (a * b) ** 2 * nsn / d_b**2
    s_part = (
        a * point.u_s,
        np.sqrt(sigma2 * a * a * ainv_s),
        sigma2 * (a * a * ainv_s + (1.0 - a * point.v1_s) ** 2 / point.kappa),
    )
    b_part = (
        b * point.u_b,
        np.sqrt(sigma2 * b * b * ainv_b),
        sigma2 * (b * b * ainv_b + (1.0 - b * point.v1_b) ** 2 / point.kappa),
    )
    ratee, rater = (s_part, b_part) if design.ratee_small else (b_part, s_part)
    theta = (a, b) if design.ratee_small else (b, a)
    boundary = tuple(k for k, t in zip(("ratee", "rater"), theta, strict=True) if t == 0.0)
    notes = []
    if "rater" in boundary:
        notes.append(
            "the rater variance is estimated at 0 (a boundary fit): raters differ no more than "
            "chance would make them, so no score is moved for leniency"
        )
    if "ratee" in boundary:
        notes.append(
            "the ratee variance is estimated at 0 (a boundary fit): once leniency is allowed "
            "for, ratees differ no more than chance would make them, so every adjusted score "
            "is the intercept"
        )
    if not converged:
        notes.append(
            f"the REML optimisation did not converge ({iterations} iterations); the numbers "
            "are the best point found"
        )
    n_ratings, raters, linked, raw = _ratee_counts(design)
    return CrossedFit(
        n=design.n,
        n_dropped=n_dropped,
        intercept=point.beta,
        intercept_se=math.sqrt(sigma2 / point.kappa),
        var_ratee=sigma2 * theta[0] ** 2,
        var_rater=sigma2 * theta[1] ** 2,
        var_residual=sigma2,
        reml_criterion=point.deviance,
        theta=theta,
        converged=converged,
        iterations=iterations,
        boundary=boundary,
        separable=True,
        note="; ".join(notes),
        ratee_ids=ratee_ids,
        ratee_effects=ratee[0],
        ratee_effect_sd=ratee[1],
        ratee_n=n_ratings,
        ratee_raters=raters,
        ratee_linked=linked,
        ratee_raw_mean=raw,
        ratee_prediction_var=ratee[2],
        rater_ids=rater_ids,
        rater_effects=rater[0],
        rater_effect_sd=rater[1],
        rater_n=np.bincount(design.rater_idx, minlength=design.q_rater),
    )


def _ratee_counts(design: _Design) -> tuple[IntArray, IntArray, IntArray, FloatArray]:
    """Per ratee: ratings, distinct raters, raters who also rate someone else, raw mean."""
    if design.ratee_small:
        pair_ratee, pair_rater, rater_degree = design.pair_s, design.pair_b, design.b_degree
    else:
        pair_ratee, pair_rater, rater_degree = design.pair_b, design.pair_s, design.s_degree
    q = design.q_ratee
    n_ratings = np.bincount(design.ratee_idx, minlength=q)
    raters = np.bincount(pair_ratee, minlength=q)
    linked = np.bincount(pair_ratee[rater_degree[pair_rater] > 1], minlength=q)
    raw = _sums(design.ratee_idx, design.y, q) / n_ratings
    return n_ratings, raters, linked, raw


def _declined(
    design: _Design,
    ratee_ids: NDArray[Any],
    rater_ids: NDArray[Any],
    n_dropped: int,
    note: str,
) -> CrossedFit:
    n_ratings, raters, linked, raw = _ratee_counts(design)
    nan_ratee = np.full(design.q_ratee, np.nan)
    nan_rater = np.full(design.q_rater, np.nan)
    return CrossedFit(
        n=design.n,
        n_dropped=n_dropped,
        intercept=math.nan,
        intercept_se=math.nan,
        var_ratee=math.nan,
        var_rater=math.nan,
        var_residual=math.nan,
        reml_criterion=math.nan,
        theta=(math.nan, math.nan),
        converged=False,
        iterations=0,
        boundary=(),
        separable=False,
        note=note,
        ratee_ids=ratee_ids,
        ratee_effects=nan_ratee,
        ratee_effect_sd=nan_ratee.copy(),
        ratee_n=n_ratings,
        ratee_raters=raters,
        ratee_linked=linked,
        ratee_raw_mean=raw,
        ratee_prediction_var=nan_ratee.copy(),
        rater_ids=rater_ids,
        rater_effects=nan_rater,
        rater_effect_sd=nan_rater.copy(),
        rater_n=np.bincount(design.rater_idx, minlength=design.q_rater),
    )
