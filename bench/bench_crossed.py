"""Rater leniency (crossed random effects by REML) on InstEval, side by side with R's lme4.

Requirement (issue "Honest numbers at every size", part 2): Tandem's ``crossed_reml`` is at
least 5x faster than ``lme4::lmer`` on a crossed data set of about 73,000 ratings, 3,000
raters and 1,100 ratees, and both give the same numbers.

The data: lme4's own InstEval (ETH Zurich course evaluations: 73,421 ratings on 1-5 of 1,128
lecturers by 2,972 students; ``tests/reference/insteval.csv.gz``, written by
``tests/reference/ref_crossed_tandem.R``), exactly the size the issue names, decompressed to a
CSV that both sides read. The model is ``y ~ 1 + (1 | d) + (1 | s)``: lecturers are the ratees,
students the raters.

What each side's time includes (the ratio compares these; the median of ``REPEATS`` runs in
one process each, after one untimed run):

* lme4, timed inside R (``proc.time``): ``read.csv`` of the file, ``lmer(..., REML = TRUE)``
  with lme4's default optimiser, ``VarCorr``, ``REMLcrit`` and ``ranef(condVar = TRUE)``.
  R's start-up and ``library(lme4)`` are left out.
* Tandem, timed inside Python: the file read by ``tandem stats raters``' reader, then
  ``crossed_reml`` and ``adjusted_scores`` (the conditional SDs and each lecturer's
  prediction interval included). Python's start-up and imports are left out.

Also recorded: each whole command as its own process (``Rscript`` doing the same, and
``tandem stats raters FILE --ratee d --rater s --value y --json``), and how close the two
fits are (variances and REML criterion, relative). Quick mode fits the first 5,000 ratings and
does not run R.
"""

from __future__ import annotations

import gzip
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.rtools import r_package_available, wall

NAME = "crossed"
REQUIREMENT = "lme4 / tandem >= 5 (read CSV + REML fit + effects), same fit"
ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "reference" / "insteval.csv.gz"
REPEATS = 5

R_SCRIPT = r"""
suppressMessages(library(lme4))
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]; repeats <- as.integer(args[2])
for (r in seq_len(repeats + 1)) {
  t0 <- proc.time()[["elapsed"]]
  d <- read.csv(path, colClasses = c("character", "character", "numeric"))
  m <- lmer(y ~ 1 + (1 | d) + (1 | s), data = d, REML = TRUE)
  vc <- as.data.frame(VarCorr(m)); crit <- REMLcrit(m); re <- ranef(m, condVar = TRUE)
  t1 <- proc.time()[["elapsed"]]
  if (r > 1) cat("time", t1 - t0, "\n")
}
for (i in seq_len(nrow(vc))) cat("var", vc$grp[i], sprintf("%.17g", vc$vcov[i]), "\n")
cat("crit", sprintf("%.17g", crit), "\n")
cat("fixef", sprintf("%.17g", fixef(m)[[1]]), "\n")
"""


def write_csv(folder: Path, rows: int | None) -> Path:
    path = folder / "insteval.csv"
    with gzip.open(DATA, "rt", encoding="utf-8") as source, path.open("w") as target:
        for k, line in enumerate(source):
            if rows is not None and k > rows:
                break
            target.write(line)
    return path


def tandem_once(path: Path) -> tuple[float, Any]:
    from tandem.measure.cli_raters import read_ratings
    from tandem.measure.crossed import crossed_reml

    started = time.perf_counter()
    ratee, rater, values = read_ratings(str(path), ratee="d", rater="s", value="y")
    fit = crossed_reml(values, ratee=ratee, rater=rater)
    fit.adjusted_scores()
    return time.perf_counter() - started, fit


def lme4_available() -> bool:
    return r_package_available("lme4")


def lme4_run(script: Path, path: Path, repeats: int) -> dict[str, Any]:
    proc = subprocess.run(
        ["Rscript", str(script), str(path), str(repeats)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"Rscript failed ({proc.returncode}): {proc.stderr[-2000:]}")
    out: dict[str, Any] = {"times": [], "var": {}}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if parts[0] == "time":
            out["times"].append(float(parts[1]))
        elif parts[0] == "var":
            out["var"][parts[1]] = float(parts[2])
        elif parts[0] in ("crit", "fixef"):
            out[parts[0]] = float(parts[1])
    return out


def run(*, quick: bool = False, workdir: Path | None = None) -> dict[str, Any]:
    folder = Path(workdir) if workdir is not None else ROOT / "bench" / "out"
    folder.mkdir(parents=True, exist_ok=True)
    path = write_csv(folder, 5_000 if quick else None)
    repeats = 1 if quick else REPEATS
    tandem_once(path)  # untimed: imports and first touches
    times, fit = [], None
    for _ in range(repeats):
        seconds, fit = tandem_once(path)
        times.append(seconds)
    assert fit is not None
    tandem_s = statistics.median(times)
    size = (
        f"InstEval: {fit.n:,} ratings of {fit.ratee_ids.shape[0]:,} lecturers by "
        f"{fit.rater_ids.shape[0]:,} students"
    )
    metrics: dict[str, Any] = {
        "tandem_s": round(tandem_s, 3),
        "tandem_iterations": fit.iterations,
        "var_ratee": round(fit.var_ratee, 6),
        "var_rater": round(fit.var_rater, 6),
        "var_residual": round(fit.var_residual, 6),
        "reml_criterion": round(fit.reml_criterion, 4),
    }
    if quick or not lme4_available():
        missing = "" if quick else " (R's lme4 missing: apt-get install r-cran-lme4)"
        return {
            "name": NAME,
            "size": size + (" (quick: lme4 not run)" if quick else missing),
            "metrics": metrics,
            "ratio": 1.0 if quick else 0.0,
            "ratio_meaning": "lme4 time / tandem time" + (" (quick: not run)" if quick else ""),
            "requirement": REQUIREMENT,
            "passed": bool(quick and fit.converged),
        }
    script = folder / "lme4_crossed.R"
    script.write_text(R_SCRIPT, encoding="utf-8")
    lme4 = lme4_run(script, path, repeats)
    lme4_s = statistics.median(lme4["times"])
    ours = {"d": fit.var_ratee, "s": fit.var_rater, "Residual": fit.var_residual}
    var_diff = max(abs(ours[k] - v) / v for k, v in lme4["var"].items())
    crit_diff = abs(fit.reml_criterion - lme4["crit"]) / abs(lme4["crit"])
    one_r = folder / "lme4_once.R"
    one_r.write_text(R_SCRIPT, encoding="utf-8")
    r_command_s = wall(["Rscript", str(one_r), str(path), "0"], cwd=ROOT)
    cli = [sys.executable, "-m", "tandem.measure.cli", "stats", "raters", str(path)]
    tandem_command_s = wall(
        [*cli, "--ratee", "d", "--rater", "s", "--value", "y", "--json"], cwd=ROOT
    )
    ratio = lme4_s / tandem_s
    metrics.update(
        {
            "lme4_s": round(lme4_s, 3),
            "max_variance_relative_difference": float(f"{var_diff:.2e}"),
            "reml_criterion_relative_difference": float(f"{crit_diff:.2e}"),
            "tandem_command_s": round(tandem_command_s, 2),
            "lme4_command_s": round(r_command_s, 2),
            "command_ratio": round(r_command_s / tandem_command_s, 2),
        }
    )
    return {
        "name": NAME,
        "size": size,
        "metrics": metrics,
        "ratio": round(ratio, 2),
        "ratio_meaning": "lme4 time / tandem time (read + fit + effects, in-process medians)",
        "requirement": REQUIREMENT,
        "passed": ratio >= 5.0 and var_diff < 1e-4 and crit_diff < 1e-4,
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2))
