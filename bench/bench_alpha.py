"""Alpha for 8 scales of 5 items on 1,000,000 respondents x 40 int8 items.

Requirement (issue 2): tandem.measure.cronbach_alpha, which also computes standardised alpha,
r.drop and alpha if dropped, takes at most 1.5x the time of a plain numpy per-scale alpha
timed in the same run.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np

from tandem.measure import cronbach_alpha

NAME = "alpha"
REQUIREMENT = "tandem / plain numpy <= 1.5"
LIMIT = 1.5


def make_data(n: int, *, seed: int = 7) -> tuple[np.ndarray, list[list[int]], list[np.ndarray]]:
    """1-5 answers on 8 five-item scales, each driven by its own factor; item 2 reversed."""
    rng = np.random.default_rng(seed)
    data = np.empty((n, 40), dtype=np.int8)
    scales = [list(range(5 * s, 5 * s + 5)) for s in range(8)]
    reverse = [np.arange(5) == 2 for _ in range(8)]
    step = 250_000
    for start in range(0, n, step):
        m = min(step, n - start)
        factors = rng.normal(size=(m, 8))
        latent = 3 + np.repeat(factors, 5, axis=1) * 0.8 + rng.normal(size=(m, 40))
        block = np.clip(np.rint(latent), 1, 5).astype(np.int8)
        flip = np.concatenate(reverse)
        data[start : start + m] = np.where(flip, 6 - block, block)
    return data, scales, reverse


def plain_numpy_alpha(
    data: np.ndarray, scales: list[list[int]], reverse: list[np.ndarray]
) -> list[float]:
    """The straightforward way: key the items, np.cov, alpha = k/(k-1) (1 - tr/sum)."""
    out = []
    for cols, rev in zip(scales, reverse, strict=True):
        x = data[:, cols].astype(np.float64)
        x[:, rev] = 6 - x[:, rev]
        c = np.cov(x, rowvar=False)
        k = x.shape[1]
        out.append(k / (k - 1) * (1 - np.trace(c) / c.sum()))
    return out


def tandem_alpha(
    data: np.ndarray, scales: list[list[int]], reverse: list[np.ndarray]
) -> list[float]:
    return [
        cronbach_alpha(data[:, cols], reverse=rev, scale_min=1, scale_max=5).raw_alpha
        for cols, rev in zip(scales, reverse, strict=True)
    ]


def run(*, quick: bool = False, workdir: Path | None = None) -> dict[str, Any]:
    n = 20_000 if quick else 1_000_000
    repeats = 2 if quick else 7
    data, scales, reverse = make_data(n)
    ours, plain = [], []
    a = b = []
    for _ in range(repeats):  # interleaved, so both see the same machine state
        t = time.perf_counter()
        a = plain_numpy_alpha(data, scales, reverse)
        plain.append(time.perf_counter() - t)
        t = time.perf_counter()
        b = tandem_alpha(data, scales, reverse)
        ours.append(time.perf_counter() - t)
    if not np.allclose(a, b, atol=1e-12):
        raise AssertionError(f"alpha differs from the plain numpy alpha: {a} vs {b}")
    ours_s, plain_s = float(np.median(ours)), float(np.median(plain))
    ratio = ours_s / plain_s
    return {
        "name": NAME,
        "size": f"{n:,} respondents x 40 int8 items, 8 scales of 5 (median of {repeats})",
        "metrics": {
            "tandem_s": round(ours_s, 4),
            "plain_numpy_s": round(plain_s, 4),
            "tandem_min_s": round(min(ours), 4),
            "plain_numpy_min_s": round(min(plain), 4),
        },
        "ratio": round(ratio, 3),
        "ratio_meaning": "tandem time / plain numpy time",
        "requirement": REQUIREMENT,
        "passed": ratio <= LIMIT,
    }
