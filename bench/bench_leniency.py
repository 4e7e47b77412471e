"""Rater leniency over a whole organisation, side by side with R's lme4 (issue "Fast end to end").

The release fits ``y ~ 1 + (1 | ratee) + (1 | rater)`` by REML once per scale over every
observer rating of the cycle (:func:`tandem.measure.cycle_leniency`): at 100,000 people that is
about 900,000 ratings crossing 100,000 ratees with 100,000 raters. This bench fits one such
scale, made the way the scale bench makes its organisation (``bench_scale``: one reporting tree
with spans of 7; everyone rated by their manager, their direct reports and peers from their
own team and the teams next to it, ten sheets each, self left out), with each person's standing,
each rater's leniency and the noise drawn at SDs 0.5, 0.3 and 0.5.

Each fit runs as a process of its own, so its peak resident memory is its own: Tandem reads the
CSV (``tandem stats raters``' reader), fits and computes every adjusted score with its interval;
lme4 (Debian's ``r-cran-lme4``) runs ``read.csv`` + ``lmer`` + ``VarCorr`` + ``REMLcrit`` +
``ranef(condVar = TRUE)``, timed inside R, on the same file. Both must agree (variances and
criterion to 1e-6 relative).

Also fitted, by Tandem alone: the same organisation at 10,000 people with peers drawn at random
from the whole department (about 1,400 people): the sparse factor fills in and the dense path
takes over; that design's cost grows with the cube of the department's size.

Sizes: ``--quick`` 2,000 people, no R; else 10,000 and 100,000 (``BENCH_LENIENCY_SIZES`` sets
others, comma-separated). Requirement: the 100,000-person fit within 5 minutes of one process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.bench_scale import SPAN, _peers
from bench.rtools import r_package_available

NAME = "leniency"
REQUIREMENT = "the 100,000-person organisation's leniency model fits within 300 s, as lme4 fits it"
ROOT = Path(__file__).resolve().parents[1]
SIZES = [int(s) for s in os.environ.get("BENCH_LENIENCY_SIZES", "10000,100000").split(",")]
QUICK_SIZE = 2000
LIMIT_S = 300.0
R_TIMEOUT_S = 3600
SEED = 19

R_SCRIPT = r"""
suppressMessages(library(lme4))
path <- commandArgs(trailingOnly = TRUE)[1]
t0 <- proc.time()[["elapsed"]]
d <- read.csv(path, colClasses = c("character", "character", "numeric"))
m <- lmer(y ~ 1 + (1 | ratee) + (1 | rater), data = d, REML = TRUE)
vc <- as.data.frame(VarCorr(m)); crit <- REMLcrit(m); re <- ranef(m, condVar = TRUE)
cat("time", proc.time()[["elapsed"]] - t0, "\n")
for (i in seq_len(nrow(vc))) cat("var", vc$grp[i], sprintf("%.17g", vc$vcov[i]), "\n")
cat("crit", sprintf("%.17g", crit), "\n")
"""


def organisation_ratings(size: int, peers: str = "team") -> tuple[np.ndarray, ...]:
    """(y, ratee, rater): every observer rating of one scale in a ``size``-person organisation."""
    rng = np.random.default_rng(SEED)
    manager = [None, *((k - 1) // SPAN for k in range(1, size))]
    taken = {k: {k} for k in range(size)}
    pairs = []
    for person in range(1, size):
        boss = manager[person]
        assert boss is not None
        pairs += [(person, boss), (boss, person)]
        taken[person].add(boss)
        taken[boss].add(person)
    if peers == "team":
        pairs += list(_peers(list(enumerate(manager)), taken, rng))
    else:
        pairs += list(_department_peers(manager, taken, rng))
    ratee, rater = np.array(pairs).T
    standing, leniency = rng.normal(3.5, 0.5, size), rng.normal(0.0, 0.3, size)
    y = standing[ratee] + leniency[rater] + rng.normal(0.0, 0.5, ratee.shape[0])
    return y, ratee, rater


def _department_peers(manager: list[int | None], taken: dict[int, set[int]], rng: Any) -> Any:
    """Peers drawn at random from the whole department (under one of the CEO's reports)."""
    top = [0] * len(manager)
    for k in range(1, len(manager)):
        boss = manager[k]
        top[k] = k if boss == 0 else top[boss or 0]
    members: dict[int, list[int]] = {}
    for k in range(1, len(manager)):
        members.setdefault(top[k], []).append(k)
    for person in range(1, len(manager)):
        pool, have = members[top[person]], taken[person]
        wanted = 10 - len(have)
        for k in rng.integers(0, len(pool), size=3 * max(wanted, 0)).tolist():
            if wanted > 0 and pool[k] not in have:
                have.add(pool[k])
                wanted -= 1
                yield person, pool[k]


def write_csv(path: Path, size: int, peers: str) -> int:
    y, ratee, rater = organisation_ratings(size, peers)
    with path.open("w") as out:
        out.write("ratee,rater,y\n")
        out.writelines(
            f"p{a},p{b},{v:.6f}\n"
            for a, b, v in zip(ratee.tolist(), rater.tolist(), y.tolist(), strict=True)
        )
    return int(y.shape[0])


def fit_here(path: str) -> dict[str, Any]:
    """One fit in this process (``python -m bench.bench_leniency fit CSV``)."""
    from tandem.measure import crossed
    from tandem.measure.cli_raters import read_ratings

    started = time.perf_counter()
    ratee, rater, values = read_ratings(path, ratee="ratee", rater="rater", value="y")
    fit = crossed.crossed_reml(values, ratee=ratee, rater=rater)
    scores = fit.adjusted_scores()
    seconds = time.perf_counter() - started
    _, ratee_idx = np.unique(ratee, return_inverse=True)
    _, rater_idx = np.unique(rater, return_inverse=True)
    design = crossed._Design(np.asarray(values, dtype=float), ratee_idx, rater_idx)
    return {
        "seconds": seconds,
        "path": "dense" if design.dense else "sparse",
        "iterations": fit.iterations,
        "converged": fit.converged,
        "var": {"ratee": fit.var_ratee, "rater": fit.var_rater, "Residual": fit.var_residual},
        "crit": fit.reml_criterion,
        "adjusted": bool(scores.adjusted),
    }


def in_own_process(command: list[str], timeout: float | None = None) -> tuple[str, float]:
    """A command's output and its peak resident memory (MB), run under a fresh parent."""
    wrapper = (
        "import resource, subprocess, sys\n"
        "p = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr)\n"
        "print('peak_kb', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        "sys.exit(p.returncode)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", wrapper, *command],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        timeout=timeout,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    lines = proc.stdout.splitlines()
    peak = float(lines[-1].split()[1]) / 1024
    return "\n".join(lines[:-1]), peak


def tandem_fit(path: Path) -> dict[str, Any]:
    out, peak = in_own_process([sys.executable, "-m", "bench.bench_leniency", "fit", str(path)])
    result: dict[str, Any] = json.loads(out)
    result["peak_mb"] = round(peak)
    return result


def lme4_fit(script: Path, path: Path) -> dict[str, Any]:
    try:
        out, peak = in_own_process(["Rscript", str(script), str(path)], timeout=R_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return {"finished": False, "seconds": R_TIMEOUT_S}
    result: dict[str, Any] = {"finished": True, "var": {}, "peak_mb": round(peak)}
    for line in out.splitlines():
        parts = line.split()
        if parts[0] == "time":
            result["seconds"] = float(parts[1])
        elif parts[0] == "var":
            result["var"][parts[1]] = float(parts[2])
        elif parts[0] == "crit":
            result["crit"] = float(parts[1])
    return result


def run(*, quick: bool = False, workdir: Path | None = None) -> dict[str, Any]:
    folder = Path(workdir) if workdir is not None else ROOT / "bench" / "out"
    folder.mkdir(parents=True, exist_ok=True)
    with_r = not quick and r_package_available("lme4")
    script = folder / "lme4_leniency.R"
    script.write_text(R_SCRIPT, encoding="utf-8")
    metrics: dict[str, Any] = {}
    passed, ratio = True, 0.0
    runs = [(QUICK_SIZE, "team")] if quick else [(s, "team") for s in SIZES] + [(10_000, "dept")]
    for size, peers in runs:
        path = folder / f"leniency-{size}-{peers}.csv"
        ratings = write_csv(path, size, peers)
        ours = tandem_fit(path)
        key = f"{size}_{peers}"
        metrics[key] = {
            "ratings": ratings,
            "tandem_s": round(ours["seconds"], 2),
            "tandem_peak_mb": ours["peak_mb"],
            "path": ours["path"],
            "iterations": ours["iterations"],
        }
        print(f"   {key}: tandem {ours['seconds']:.1f} s", file=sys.stderr, flush=True)
        passed = passed and ours["converged"] and ours["adjusted"]
        if size == max(SIZES) and peers == "team" and not quick:
            passed = passed and ours["seconds"] <= LIMIT_S
        if with_r and peers == "team":
            theirs = lme4_fit(script, path)
            if not theirs["finished"]:
                metrics[key]["lme4"] = f"did not finish in {R_TIMEOUT_S} s"
                continue
            var_diff = max(abs(ours["var"][k] - v) / v for k, v in theirs["var"].items())
            crit_diff = abs(ours["crit"] - theirs["crit"]) / abs(theirs["crit"])
            metrics[key].update(
                {
                    "lme4_s": round(theirs["seconds"], 2),
                    "lme4_peak_mb": theirs["peak_mb"],
                    "ratio": round(theirs["seconds"] / ours["seconds"], 2),
                    "max_variance_relative_difference": float(f"{var_diff:.2e}"),
                    "reml_criterion_relative_difference": float(f"{crit_diff:.2e}"),
                }
            )
            ratio = metrics[key]["ratio"]
            passed = passed and var_diff < 1e-6 and crit_diff < 1e-6
        path.unlink()
    if quick:
        size = "one scale of a 2,000-person organisation's 360 (quick: lme4 not run)"
        return {
            "name": NAME,
            "size": size,
            "metrics": metrics,
            "ratio": 1.0,
            "ratio_meaning": "lme4 time / tandem time (quick: not run, 1.0 stands in)",
            "requirement": REQUIREMENT,
            "passed": bool(passed),
        }
    sizes = ", ".join(f"{s:,}" for s in SIZES)
    return {
        "name": NAME,
        "size": f"one scale of an organisation's 360 ({sizes} people; 10,000 with "
        "department-wide peers)" + ("" if with_r else " (R's lme4 missing: not compared)"),
        "metrics": metrics,
        "ratio": ratio,
        "ratio_meaning": "lme4 time / tandem time at the largest size lme4 finished",
        "requirement": REQUIREMENT,
        "passed": bool(passed and with_r),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["fit"]:
        print(json.dumps(fit_here(sys.argv[2])))
    else:
        print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
