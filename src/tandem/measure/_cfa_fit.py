"""The maximum-likelihood engine behind ``tandem.measure.cfa`` and ``.invariance``.

Simple-structure factor models (each item loads on one factor, the first item of each factor
its marker, uncorrelated residuals, correlated factors) in one group or several, with loadings
and intercepts free or equal across groups. ML on each group's means and divide-by-n
covariance, as lavaan: ``F = sum_g (n_g / N) F_g`` with
``F_g = log|Sigma| + tr(S Sigma^-1) + (m - mu)' Sigma^-1 (m - mu) - log|S| - p``, minimised by
Newton's method with analytic gradient and Hessian.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from tandem.measure._arrays import FloatArray, IntArray

MAX_ITER = 500
RUNAWAY = 100.0  # a residual variance below -100 times the item's variance: no finite optimum
_LOG_2PI = math.log(2.0 * math.pi)


@dataclass(frozen=True)
class FitMeasures:
    """Fit of a model, with the names and conventions of lavaan's ``fitMeasures``.

    ``n_obs`` is the number of rows used (all groups together), ``n_parameters`` the number of
    free parameters; ``baseline_chisq`` and ``baseline_df`` belong to the independence model
    behind CFI and TLI.
    """

    chisq: float
    df: int
    pvalue: float
    cfi: float
    tli: float
    rmsea: float
    rmsea_ci_lower: float
    rmsea_ci_upper: float
    srmr: float
    aic: float
    bic: float
    logl: float
    n_parameters: int
    n_obs: int
    baseline_chisq: float
    baseline_df: int


# ---------------------------------------------------------------------------------------------
# Sample moments


@dataclass(frozen=True)
class Moments:
    """Per group: number of rows, item means and the ML (divide-by-n) covariance."""

    n: IntArray
    means: FloatArray
    cov: FloatArray


def complete_rows(x: FloatArray) -> tuple[FloatArray, int]:
    """Drop rows with a missing value (listwise, lavaan's default)."""
    keep = ~np.isnan(x).any(axis=1)
    dropped = int(x.shape[0] - np.count_nonzero(keep))
    return (x[keep] if dropped else x), dropped


def moments_of(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Means and ML covariance (divide by n) of a complete table."""
    means = x.mean(axis=0)
    centred = x - means
    cov = centred.T @ centred / x.shape[0]
    return means, (cov + cov.T) / 2


def check_covariance(cov: FloatArray, names: Sequence[str], where: str) -> None:
    """A clear error when an ML fit is impossible: S must be positive definite."""
    variances = np.diag(cov)
    flat = np.flatnonzero(variances <= 1e-12 * max(1.0, float(np.abs(variances).max())))
    if flat.size:
        raise ValueError(
            f"item {names[int(flat[0])]!r} has no variance{where}; leave it out of the model"
        )
    sd = np.sqrt(variances)
    corr = cov / np.outer(sd, sd)
    lowest = float(np.linalg.eigvalsh(corr)[0])
    if lowest <= 1e-10:
        raise ValueError(
            f"the items' covariance matrix{where} is not positive definite (some items are "
            "exact combinations of others, or there are too few rows); leave out redundant "
            "items or add rows"
        )


# ---------------------------------------------------------------------------------------------
# Parameter layout: which free parameter each model-matrix cell is, in every group


@dataclass(frozen=True)
class Layout:
    """Free-parameter indices per group; -1 marks a fixed cell (marker loading 1, mean 0)."""

    item_factor: IntArray
    lam: IntArray  # (G, p)
    theta: IntArray  # (G, p)
    psi: IntArray  # (G, m, m), symmetric
    nu: IntArray | None  # (G, p), None without a mean structure
    alpha: IntArray  # (G, m)
    n_free: int

    @property
    def n_groups(self) -> int:
        return int(self.lam.shape[0])


def layout(
    item_factor: IntArray,
    n_groups: int,
    *,
    means: bool,
    equal_loadings: bool = False,
    equal_intercepts: bool = False,
) -> Layout:
    p = item_factor.size
    m = int(item_factor.max()) + 1
    markers = np.searchsorted(item_factor, np.arange(m))
    free_items = np.setdiff1d(np.arange(p), markers)
    counter = 0

    def take(count: int) -> IntArray:
        nonlocal counter
        out = np.arange(counter, counter + count, dtype=np.intp)
        counter += count
        return out

    lam = np.full((n_groups, p), -1, dtype=np.intp)
    theta = np.empty((n_groups, p), dtype=np.intp)
    psi = np.empty((n_groups, m, m), dtype=np.intp)
    nu = np.empty((n_groups, p), dtype=np.intp) if means else None
    alpha = np.full((n_groups, m), -1, dtype=np.intp)
    shared_lam = take(free_items.size) if equal_loadings else None
    shared_nu = take(p) if means and equal_intercepts else None
    low = np.tril_indices(m)
    for g in range(n_groups):
        lam[g, free_items] = shared_lam if shared_lam is not None else take(free_items.size)
        theta[g] = take(p)
        cells = take(low[0].size)
        psi[g][low] = cells
        psi[g][low[1], low[0]] = cells
        if nu is not None:
            nu[g] = shared_nu if shared_nu is not None else take(p)
        if means and equal_intercepts and g > 0:
            alpha[g] = take(m)
    return Layout(item_factor, lam, theta, psi, nu, alpha, counter)


def matrices(
    x: FloatArray, lay: Layout, g: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray | None, FloatArray]:
    """Lambda (p, m), Psi (m, m), theta (p,), nu (p,) or None, alpha (m,) of group g."""
    p = lay.item_factor.size
    m = lay.psi.shape[1]
    lam = np.zeros((p, m))
    idx = lay.lam[g]
    lam[np.arange(p), lay.item_factor] = np.where(idx >= 0, x[idx], 1.0)
    psi = x[lay.psi[g]]
    theta = x[lay.theta[g]]
    nu = x[lay.nu[g]] if lay.nu is not None else None
    a = lay.alpha[g]
    alpha = np.where(a >= 0, x[a], 0.0)
    return lam, psi, theta, nu, alpha


def implied(x: FloatArray, lay: Layout, g: int) -> tuple[FloatArray, FloatArray | None]:
    lam, psi, theta, nu, alpha = matrices(x, lay, g)
    sigma = lam @ psi @ lam.T
    sigma[np.diag_indices_from(sigma)] += theta
    mu = nu + lam @ alpha if nu is not None else None
    return sigma, mu


# ---------------------------------------------------------------------------------------------
# The ML discrepancy, its gradient and expected information


def _inverse(sigma: FloatArray) -> tuple[FloatArray, float] | None:
    """Sigma^-1 and log|Sigma|, or None when Sigma is not positive definite."""
    try:
        chol = np.linalg.cholesky(sigma)
    except np.linalg.LinAlgError:
        return None
    inv_chol = np.linalg.inv(chol)
    return inv_chol.T @ inv_chol, 2.0 * float(np.log(np.diag(chol)).sum())


def discrepancies(x: FloatArray, lay: Layout, mom: Moments) -> FloatArray | None:
    """F_ML of each group: log|Sigma| + tr(S Sigma^-1) + d' Sigma^-1 d - log|S| - p."""
    p = lay.item_factor.size
    out = np.empty(lay.n_groups)
    for g in range(lay.n_groups):
        sigma, mu = implied(x, lay, g)
        inv = _inverse(sigma)
        if inv is None:
            return None
        v, logdet = inv
        f = logdet + float(np.sum(v * mom.cov[g]))
        if mu is not None:
            d = mom.means[g] - mu
            f += float(d @ v @ d)
        out[g] = f - _logdet(mom.cov[g]) - p
    return out


def _logdet(s: FloatArray) -> float:
    return float(np.linalg.slogdet(s)[1])


def _weights(mom: Moments) -> FloatArray:
    return np.asarray(mom.n / mom.n.sum(), dtype=np.float64)


def objective(x: FloatArray, lay: Layout, mom: Moments) -> float | None:
    f = discrepancies(x, lay, mom)
    return None if f is None else float(_weights(mom) @ f)


@dataclass(frozen=True)
class _Local:
    """The free parameters one group uses, in local order: free loadings (items ``free``),
    residual variances, factor (co)variances (pairs ``fs``, ``hs``), intercepts, factor means
    (factors ``free_alpha``); with dSigma/dtheta (k, p, p) and dmu/dtheta (k, p)."""

    index: IntArray
    d_sigma: FloatArray
    d_mu: FloatArray
    free: IntArray
    fs: IntArray
    hs: IntArray
    free_alpha: IntArray


def _group_derivatives(x: FloatArray, lay: Layout, g: int) -> _Local:
    lam, psi, _theta, _nu, alpha = matrices(x, lay, g)
    p, m = lam.shape
    f_of = lay.item_factor
    free = np.flatnonzero(lay.lam[g] >= 0)
    # loadings: dSigma = e_i a' + a e_i' with a = (Lambda Psi)[:, f(i)]; dmu = alpha_f e_i
    d_lam = np.zeros((free.size, p, p))
    rows = np.arange(free.size)
    a = (lam @ psi)[:, f_of[free]].T
    d_lam[rows, free, :] = a
    d_lam[rows, :, free] += a
    m_lam = np.zeros((free.size, p))
    m_lam[rows, free] = alpha[f_of[free]]
    # residual variances: dSigma = e_i e_i'
    d_theta = np.zeros((p, p, p))
    d_theta[np.arange(p), np.arange(p), np.arange(p)] = 1.0
    # factor (co)variances: dSigma = L_f L_h' + L_h L_f' (once when f = h)
    fs, hs = np.tril_indices(m)
    outer = lam[:, fs].T[:, :, None] * lam[:, hs].T[:, None, :]
    d_psi = outer + outer.transpose(0, 2, 1)
    d_psi[fs == hs] /= 2.0
    parts_d = [d_lam, d_theta, d_psi]
    parts_m = [m_lam, np.zeros((p, p)), np.zeros((fs.size, p))]
    index = [lay.lam[g, free], lay.theta[g], lay.psi[g][fs, hs]]
    free_alpha = np.flatnonzero(lay.alpha[g] >= 0)
    if lay.nu is not None:
        # intercepts: dmu = e_i; factor means: dmu = Lambda[:, f]
        parts_d += [np.zeros((p, p, p)), np.zeros((free_alpha.size, p, p))]
        parts_m += [np.eye(p), lam[:, free_alpha].T]
        index += [lay.nu[g], lay.alpha[g, free_alpha]]
    return _Local(
        index=np.concatenate(index),
        d_sigma=np.concatenate(parts_d),
        d_mu=np.concatenate(parts_m),
        free=free,
        fs=np.asarray(fs, dtype=np.intp),
        hs=np.asarray(hs, dtype=np.intp),
        free_alpha=free_alpha,
    )


def _second_order(
    loc: _Local,
    lam: FloatArray,
    psi: FloatArray,
    f_of: IntArray,
    g_sigma: FloatArray,
    vd: FloatArray,
) -> FloatArray:
    """The terms of the observed Hessian with second derivatives of Sigma and mu:
    tr(G d2Sigma) - 2 d' V d2mu, with G = V - V (S + d d') V."""
    k = loc.index.size
    p = f_of.size
    nl = loc.free.size
    out = np.zeros((k, k))
    fi = f_of[loc.free]
    # d2Sigma / dlambda_i dlambda_j = psi_f(i)f(j) (e_i e_j' + e_j e_i')
    out[:nl, :nl] = 2.0 * psi[np.ix_(fi, fi)] * g_sigma[np.ix_(loc.free, loc.free)]
    # d2Sigma / dlambda_i dpsi_fh = e_i b' + b e_i', b = L_f [h = f(i)] + L_h [f = f(i)]
    gl = g_sigma[loc.free] @ lam
    fs, hs = loc.fs, loc.hs
    cross = gl[:, fs] * (hs[None, :] == fi[:, None]) + gl[:, hs] * (
        (fs[None, :] == fi[:, None]) & (fs != hs)[None, :]
    )
    start = nl + p
    out[:nl, start : start + fs.size] = 2.0 * cross
    out[start : start + fs.size, :nl] = 2.0 * cross.T
    # d2mu / dlambda_i dalpha_f(i) = e_i
    if loc.free_alpha.size:
        a0 = k - loc.free_alpha.size
        hit = fi[:, None] == loc.free_alpha[None, :]
        block = -2.0 * vd[loc.free][:, None] * hit
        out[:nl, a0:] = block
        out[a0:, :nl] = block.T
    return out


def derivatives(
    x: FloatArray, lay: Layout, mom: Moments
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Gradient of F = sum_g w_g F_g, its expected Hessian (the Fisher information of F) and
    its observed Hessian."""
    q = lay.n_free
    grad = np.zeros(q)
    expected = np.zeros((q, q))
    observed = np.zeros((q, q))
    for g, w in enumerate(_weights(mom)):
        sigma, mu = implied(x, lay, g)
        inv = _inverse(sigma)
        if inv is None:  # pragma: no cover - the line search never accepts such a point
            raise ValueError("the implied covariance matrix is not positive definite")
        v = inv[0]
        d = mom.means[g] - mu if mu is not None else np.zeros(v.shape[0])
        vd = v @ d
        c = mom.cov[g] + np.outer(d, d)
        g_sigma = v - v @ c @ v
        loc = _group_derivatives(x, lay, g)
        k = loc.index.size
        flat = loc.d_sigma.reshape(k, -1)
        vdv = v @ loc.d_sigma @ v
        vdv_flat = vdv.reshape(k, -1)
        m_v = loc.d_mu @ v
        grad[loc.index] += w * (flat @ g_sigma.ravel() - 2.0 * loc.d_mu @ vd)
        fisher = vdv_flat @ flat.T + 2.0 * m_v @ loc.d_mu.T
        expected[np.ix_(loc.index, loc.index)] += w * fisher
        # observed: -tr(V Sk V Sl) + 2 tr(V Sk V C V Sl) + 2 mu_k' V mu_l
        #           + 2 (w_k' mu_l + w_l' mu_k) with w_k = V Sk V d, + second-order terms
        cvd = (c @ v @ loc.d_sigma).transpose(0, 2, 1).reshape(k, -1)
        wk = vdv @ d
        cross = wk @ loc.d_mu.T
        hess = -vdv_flat @ flat.T + 2.0 * vdv_flat @ cvd.T + 2.0 * m_v @ loc.d_mu.T
        hess += 2.0 * (cross + cross.T)
        lam, psi = matrices(x, lay, g)[:2]
        hess += _second_order(loc, lam, psi, lay.item_factor, g_sigma, vd)
        observed[np.ix_(loc.index, loc.index)] += w * hess
    return grad, expected, (observed + observed.T) / 2.0


# ---------------------------------------------------------------------------------------------
# Starting values and the Fisher-scoring optimiser


def _start(lay: Layout, mom: Moments) -> FloatArray:
    """Starting values from each factor's first principal component, averaged over groups."""
    f_of = lay.item_factor
    p = f_of.size
    m = lay.psi.shape[1]
    markers = np.searchsorted(f_of, np.arange(m))
    total = np.zeros(lay.n_free)
    count = np.zeros(lay.n_free)
    for g in range(lay.n_groups):
        s = mom.cov[g]
        sd = np.sqrt(np.diag(s))
        r = s / np.outer(sd, sd)
        std = np.zeros(p)
        for f in range(m):
            items = np.flatnonzero(f_of == f)
            values, vectors = np.linalg.eigh(r[np.ix_(items, items)])
            load = vectors[:, -1] * math.sqrt(max(values[-1], 1e-6))
            if load[0] < 0:
                load = -load
            std[items] = np.sign(load) * np.clip(np.abs(load), 0.2, 0.95)
        raw = std * sd
        lam = raw / raw[markers][f_of]
        psi = np.zeros((m, m))
        for f in range(m):
            psi[f, f] = raw[markers[f]] ** 2
            for h in range(f):
                block = np.outer(std[f_of == f], std[f_of == h])
                rho = float((r[np.ix_(f_of == f, f_of == h)] * block).sum() / (block**2).sum())
                psi[f, h] = psi[h, f] = np.clip(rho, -0.8, 0.8) * math.sqrt(psi[f, f] * psi[h, h])
        off = ~np.eye(m, dtype=bool)
        while np.linalg.eigvalsh(psi)[0] <= 1e-8 * psi.diagonal().max():
            psi[off] /= 2.0
        cells = [(lay.lam[g], lam), (lay.theta[g], np.diag(s) - raw**2), (lay.psi[g], psi)]
        if lay.nu is not None:
            cells.append((lay.nu[g], mom.means[g]))
        for idx, value in cells:
            keep = idx >= 0
            np.add.at(total, idx[keep], value[keep])
            np.add.at(count, idx[keep], 1.0)
    return np.asarray(total / np.maximum(count, 1.0), dtype=np.float64)


@dataclass(frozen=True)
class Solution:
    x: FloatArray
    information: FloatArray
    iterations: int


def _direction(grad: FloatArray, expected: FloatArray, observed: FloatArray) -> FloatArray:
    """Newton's step with the observed Hessian where it is positive definite, else Fisher
    scoring's (the expected Hessian, positive definite whenever the model is identified)."""
    for hessian in (observed, expected):
        try:
            chol = np.linalg.cholesky(hessian)
        except np.linalg.LinAlgError:
            continue
        step = -np.linalg.solve(chol.T, np.linalg.solve(chol, grad))
        return np.asarray(step, dtype=np.float64)
    raise ValueError(
        "the model is not identified with these data (its information matrix is singular); "
        "check that every factor's items correlate with each other"
    )


def _check_runaway(
    x: FloatArray, lay: Layout, mom: Moments, items: Sequence[str], groups: Sequence[str]
) -> None:
    """Stop when a residual variance heads for minus infinity: then there is no finite
    optimum (lavaan keeps going until its iteration limit and reports no convergence)."""
    theta = x[lay.theta]
    variance = np.diagonal(mom.cov, axis1=1, axis2=2)
    bad = np.argwhere(theta < -RUNAWAY * variance)
    if bad.size:
        g, i = (int(v) for v in bad[0])
        where = f" in group {groups[g]!r}" if len(groups) > 1 else ""
        raise ValueError(
            f"the model did not converge: the residual variance of item {items[i]!r}{where} "
            f"runs off below zero ({theta[g, i]:.3g}, while the item's variance is "
            f"{variance[g, i]:.3g}), an impossible value: the item shares too little with the "
            "other items of its factor; leave it out or give it to another factor"
        )


def optimise(
    lay: Layout, mom: Moments, *, items: Sequence[str], groups: Sequence[str] = ()
) -> Solution:
    """Minimise F by Newton's method (Fisher scoring while the observed Hessian is not
    positive definite) with a backtracking line search, to machine precision.

    Close to the minimum F changes by less than its rounding, so there the full Newton step
    is taken as long as it shrinks the gradient. ``items`` and ``groups`` name the items and
    groups in error messages.
    """
    x = _start(lay, mom)
    f = objective(x, lay, mom)
    if f is None:  # pragma: no cover - the start is positive definite by construction
        raise ValueError("could not find starting values for this model")
    derivs = derivatives(x, lay, mom)
    for iteration in range(1, MAX_ITER + 1):
        grad, expected, observed = derivs
        largest = float(np.abs(grad).max())
        if largest < 1e-12:
            return Solution(x, expected, iteration)
        step = _direction(grad, expected, observed)
        slope = float(grad @ step)
        if -slope < 1e-12 * max(1.0, abs(f)):
            candidate = x + step
            value = objective(candidate, lay, mom)
            if value is not None:
                trial_derivs = derivatives(candidate, lay, mom)
                if float(np.abs(trial_derivs[0]).max()) < largest:
                    x, f, derivs = candidate, value, trial_derivs
                    continue
            if largest < 1e-6:
                return Solution(x, expected, iteration)
            break
        t = 1.0
        accepted = None
        while t >= 1e-10:
            candidate = x + t * step
            value = objective(candidate, lay, mom)
            if value is not None and value <= f + 1e-4 * t * slope:
                accepted = value
                break
            t /= 2.0
        if accepted is None:
            break
        x, f = candidate, accepted
        _check_runaway(x, lay, mom, items, groups)
        derivs = derivatives(x, lay, mom)
    largest = float(np.abs(derivs[0]).max())
    theta = x[lay.theta]
    g, i = np.unravel_index(int(np.argmin(theta)), theta.shape)
    lowest = (
        f"; item {items[int(i)]!r}"
        + (f" in group {groups[int(g)]!r}" if len(groups) > 1 else "")
        + f" has a residual variance of {theta[g, i]:.3g}, below zero"
        if theta[g, i] < 0
        else ""
    )
    raise ValueError(
        f"the model did not converge (after {iteration} iterations the largest gradient is "
        f"{largest:.2g}{lowest}); it may not suit these data: check that each factor's items "
        "measure one thing and are keyed the same way"
    )


# ---------------------------------------------------------------------------------------------
# Fit measures


def _rmsea(chisq: float, df: int, n: int, groups: int) -> float:
    if df <= 0:
        return 0.0
    return math.sqrt(max(chisq / n / df - 1.0 / n, 0.0)) * math.sqrt(groups)


def _noncentrality(chisq: float, df: int, target: float, upper: float) -> float:
    """The non-centrality lambda at which P(X2 <= chisq) = target (bisection; the probability
    falls as lambda grows), as lavaan's ``uniroot`` on ``(0, upper)``; NaN past ``upper``."""
    from scipy.special import chndtr  # here: scipy costs its import only when fitting

    lo, hi = 0.0, upper
    if float(chndtr(chisq, df, hi)) > target:
        return math.nan
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if float(chndtr(chisq, df, mid)) > target:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-13 * max(1.0, hi):
            break
    return (lo + hi) / 2.0


def _rmsea_interval(chisq: float, df: int, n: int, groups: int) -> tuple[float, float]:
    """Browne & Cudeck's 90% interval: the non-centralities with P(X2) = 0.95 and 0.05."""
    if df <= 0:
        return 0.0, 0.0
    from scipy.special import chdtrc

    bounds = []
    for target, upper in ((0.95, chisq), (0.05, max(float(n), 4.0 * chisq))):
        if float(chdtrc(df, chisq)) > 1.0 - target:  # P(X2 <= chisq) < target at lambda = 0
            bounds.append(0.0)
            continue
        lam = _noncentrality(chisq, df, target, upper)
        bounds.append(math.sqrt(lam / (n * df)) * math.sqrt(groups))
    return bounds[0], bounds[1]


def fit_measures(x: FloatArray, lay: Layout, mom: Moments) -> FitMeasures:
    from scipy.special import chdtrc

    p = lay.item_factor.size
    groups = lay.n_groups
    n_total = int(mom.n.sum())
    means = lay.nu is not None
    f = discrepancies(x, lay, mom)
    if f is None:  # pragma: no cover - the optimiser only returns positive definite points
        raise ValueError("the fitted covariance matrix is not positive definite")
    chisq = float(mom.n @ f)
    moments = groups * (p * (p + 1) // 2 + (p if means else 0))
    df = moments - lay.n_free
    base_df = groups * p * (p - 1) // 2
    base = float(
        sum(
            n * (np.log(np.diag(s)).sum() - _logdet(s)) for n, s in zip(mom.n, mom.cov, strict=True)
        )
    )
    logl = 0.0
    srmr = 0.0
    for g in range(groups):
        sigma, mu = implied(x, lay, g)
        s = mom.cov[g]
        n = int(mom.n[g])
        saturated = -n / 2.0 * (p * _LOG_2PI + _logdet(s) + p)
        logl += saturated - n * f[g] / 2.0
        sd = np.sqrt(np.diag(s))
        resid = (s - sigma) / np.outer(sd, sd)
        squares = float((resid[np.tril_indices(p)] ** 2).sum())
        cells = p * (p + 1) / 2
        if mu is not None:
            squares += float((((mom.means[g] - mu) / sd) ** 2).sum())
            cells += p
        srmr += n / n_total * math.sqrt(squares / cells)
    t1 = max(chisq - df, 0.0)
    t2 = max(chisq - df, base - base_df, 0.0)
    cfi = 1.0 if t2 <= 0 else 1.0 - t1 / t2
    tli_den = (base - base_df) * df
    tli = 1.0 - (chisq - df) * base_df / tli_den if df > 0 and tli_den != 0 else 1.0
    lower, upper = _rmsea_interval(chisq, df, n_total, groups)
    return FitMeasures(
        chisq=chisq,
        df=int(df),
        pvalue=float(chdtrc(df, chisq)) if df > 0 else math.nan,
        cfi=cfi,
        tli=tli,
        rmsea=_rmsea(chisq, df, n_total, groups),
        rmsea_ci_lower=lower,
        rmsea_ci_upper=upper,
        srmr=srmr,
        aic=-2.0 * logl + 2.0 * lay.n_free,
        bic=-2.0 * logl + lay.n_free * math.log(n_total),
        logl=logl,
        n_parameters=lay.n_free,
        n_obs=n_total,
        baseline_chisq=base,
        baseline_df=base_df,
    )
