"""Confirmatory factor analysis of 100,000 rating sheets x 35 items, side by side with R's lavaan.

Requirement (issue "Instrument health and the organisation view"): Tandem's CFA is faster than
lavaan on the same CSV, lavaan time / Tandem time > 1, and both give the same estimates.

The data: a seeded simulation of 100,000 sheets answering 35 items on a 1-5 scale, 18
leadership and 17 management items driven by two correlated factors (r = 0.55), with the small
flaws real instruments have (three items leaning on the other factor, two items sharing a
wording) and about one answer in a thousand left empty, so listwise deletion drops some 3% of
the sheets. It is written to a CSV that both sides read.

What each side's time includes (the ratio compares these):

* lavaan, timed inside R (``proc.time``): ``read.csv`` of the file, then
  ``lavaan::cfa(model, data)`` (sample statistics, ML fit, standard errors, the baseline
  model), ``fitMeasures`` and ``standardizedSolution``. R's start-up and ``library(lavaan)``
  are left out.
* Tandem, timed inside Python: the file read by ``tandem stats``' CSV reader (the columns of
  the model, to float64), then ``tandem.measure.cfa`` (listwise deletion, means and
  covariance, ML fit, fit measures, standardised solution, standard errors). Python's start-up
  and imports are left out.

Also recorded, not part of the requirement: the whole command on each side as its own process
(start-up and imports included): ``tandem stats cfa FILE --factor ... --json`` against an
Rscript doing the same work (two-factor and one-factor models, the chi-square difference,
fit measures, standardised loadings). Quick mode (a smoke run) uses 2,000 sheets and does not
run R at all, so it has no lavaan ratio.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.rtools import r_package_available, wall
from tandem.measure.cfa import cfa
from tandem.measure.cli_stats import _Table

NAME = "cfa"
REQUIREMENT = "lavaan / tandem > 1 (read CSV + fit), same estimates"
SEED = 2026
N_LEAD, N_MAN = 18, 17
NAMES = [f"lead{i + 1:02d}" for i in range(N_LEAD)] + [f"man{i + 1:02d}" for i in range(N_MAN)]
FACTORS = {"leadership": NAMES[:N_LEAD], "management": NAMES[N_LEAD:]}

R_SCRIPT = r"""
suppressMessages(library(lavaan))
args <- commandArgs(trailingOnly = TRUE)
path <- args[1]; repeats <- as.integer(args[2]); mode <- args[3]
lead <- sprintf("lead%02d", 1:18); man <- sprintf("man%02d", 1:17)
two <- paste0("leadership =~ ", paste(lead, collapse = " + "), "\n",
              "management =~ ", paste(man, collapse = " + "))
one <- paste0("general =~ ", paste(c(lead, man), collapse = " + "))
keys <- c("chisq", "df", "cfi", "tli", "rmsea", "srmr", "aic", "bic", "logl")
if (mode == "time") {
  for (r in seq_len(repeats)) {
    t0 <- proc.time()[["elapsed"]]
    d <- read.csv(path)
    t1 <- proc.time()[["elapsed"]]
    fit <- cfa(two, data = d)
    fm <- fitMeasures(fit, keys)
    std <- standardizedSolution(fit)
    t2 <- proc.time()[["elapsed"]]
    cat("time", t1 - t0, t2 - t1, "\n")
  }
  cat("nobs", lavInspect(fit, "nobs"), "\n")
  cat("iterations", lavInspect(fit, "iterations"), "\n")
  for (k in keys) cat("fit", k, sprintf("%.17g", fm[[k]]), "\n")
  s <- std[std$op == "=~", ]
  for (i in seq_len(nrow(s))) cat("std", s$lhs[i], s$rhs[i], sprintf("%.17g", s$est.std[i]), "\n")
} else {
  # what `tandem stats cfa --json` does, as one process
  d <- read.csv(path)
  f2 <- cfa(two, data = d); f1 <- cfa(one, data = d)
  a <- anova(f1, f2)
  out <- list(n = lavInspect(f2, "nobs"), fit = as.list(fitMeasures(f2, keys)),
              one = as.list(fitMeasures(f1, keys)), diff = a[2, "Chisq diff"],
              std = standardizedSolution(f2)$est.std)
  cat(length(out$std), out$diff, "\n")
}
"""


def make_data(n: int, *, seed: int = SEED) -> np.ndarray:
    """Answers 1-5 as int8, with -1 for an empty answer (about one in a thousand)."""
    rng = np.random.default_rng(seed)
    p = N_LEAD + N_MAN
    loadings = np.zeros((p, 2))
    loadings[:N_LEAD, 0] = rng.uniform(0.55, 0.85, N_LEAD)
    loadings[N_LEAD:, 1] = rng.uniform(0.55, 0.85, N_MAN)
    loadings[[3, 11], 1] = 0.2  # two leadership items lean on management
    loadings[N_LEAD + 5, 0] = 0.2  # and one management item on leadership
    phi = np.array([[1.0, 0.55], [0.55, 1.0]])
    chol = np.linalg.cholesky(phi)
    unique_sd = np.sqrt(1.0 - np.einsum("if,fg,ig->i", loadings, phi, loadings))
    out = np.empty((n, p), dtype=np.int8)
    step = 50_000
    for start in range(0, n, step):
        m = min(step, n - start)
        factors = rng.normal(size=(m, 2)) @ chol.T
        common = factors @ loadings.T
        noise = rng.normal(size=(m, p)) * unique_sd
        shared = rng.normal(size=m) * 0.4  # two management items share a wording
        noise[:, N_LEAD + 1] += shared
        noise[:, N_LEAD + 2] += shared
        latent = 3.3 + 0.9 * (common + noise)
        block = np.clip(np.rint(latent), 1, 5).astype(np.int8)
        block[rng.random(size=block.shape) < 0.001] = -1
        out[start : start + m] = block
    return out


def write_csv(path: Path, data: np.ndarray) -> None:
    text = np.array(["", "1", "2", "3", "4", "5"])[np.where(data < 0, 0, data)]
    with path.open("w", encoding="utf-8") as handle:
        handle.write(",".join(NAMES) + "\n")
        handle.writelines(",".join(row) + "\n" for row in text.tolist())


def tandem_once(path: Path) -> tuple[float, float, Any]:
    """Read the model's columns with `tandem stats`' reader, then fit: (read s, fit s, result)."""
    started = time.perf_counter()
    table = _Table(str(path))
    table.read(NAMES)
    x = table.numeric(NAMES)
    read = time.perf_counter()
    result = cfa(x, factors=FACTORS, columns=NAMES)
    return read - started, time.perf_counter() - read, result


def lavaan_available() -> bool:
    return r_package_available("lavaan")


def lavaan_times(script: Path, path: Path, repeats: int) -> dict[str, Any]:
    proc = subprocess.run(
        ["Rscript", str(script), str(path), str(repeats), "time"],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"Rscript failed ({proc.returncode}): {proc.stderr[-2000:]}")
    out: dict[str, Any] = {"read": [], "fit": [], "fit_measures": {}, "std": {}}
    for line in proc.stdout.splitlines():
        parts = line.split()
        if parts[0] == "time":
            out["read"].append(float(parts[1]))
            out["fit"].append(float(parts[2]))
        elif parts[0] in ("nobs", "iterations"):
            out[parts[0]] = int(parts[1])
        elif parts[0] == "fit":
            out["fit_measures"][parts[1]] = float(parts[2])
        elif parts[0] == "std":
            out["std"][(parts[1], parts[2])] = float(parts[3])
    return out


def cli_command(path: Path) -> list[str]:
    factors = [f"--factor={name}={','.join(items)}" for name, items in FACTORS.items()]
    return [
        sys.executable,
        "-m",
        "tandem.measure.cli",
        "stats",
        "cfa",
        str(path),
        *factors,
        "--json",
    ]


def agreement(result: Any, lavaan: dict[str, Any]) -> dict[str, float]:
    """Largest differences between Tandem's and lavaan's numbers."""
    std = result.standardized_loadings_by_factor()
    loading = max(abs(std[f][item] - v) for (f, item), v in lavaan["std"].items())
    fm = lavaan["fit_measures"]
    index = max(abs(getattr(result.fit, k) - fm[k]) for k in ("cfi", "tli", "rmsea", "srmr"))
    chisq = abs(result.fit.chisq - fm["chisq"]) / fm["chisq"]
    return {"std_loading": loading, "fit_index": index, "chisq_relative": chisq}


def run(*, quick: bool = False, workdir: Path | None = None) -> dict[str, Any]:
    n = 2_000 if quick else 100_000
    repeats = 1 if quick else 5
    folder = Path(workdir) if workdir is not None else Path("bench/out")
    folder.mkdir(parents=True, exist_ok=True)
    data = make_data(n)
    path = folder / "sheets.csv"
    write_csv(path, data)
    size = f"{n:,} sheets x {len(NAMES)} items (1-5, 0.1% empty), two factors"

    read_s, fit_s, result = tandem_once(path)
    reads, fits = [read_s], [fit_s]
    for _ in range(repeats - 1):
        read_s, fit_s, result = tandem_once(path)
        reads.append(read_s)
        fits.append(fit_s)
    cli_s = wall(cli_command(path))
    tandem_s = float(np.median(np.add(reads, fits)))
    metrics: dict[str, Any] = {
        "rows_used": result.n_obs,
        "rows_dropped": result.n_dropped,
        "tandem_read_s": round(float(np.median(reads)), 3),
        "tandem_fit_s": round(float(np.median(fits)), 4),
        "tandem_read_fit_s": round(tandem_s, 3),
        "tandem_iterations": result.iterations,
        "tandem_command_s": round(cli_s, 2),
        "chisq": round(result.fit.chisq, 3),
        "cfi": round(result.fit.cfi, 4),
        "rmsea": round(result.fit.rmsea, 4),
    }
    if quick:
        return {
            "name": NAME,
            "size": size + " (quick: R's lavaan not run)",
            "metrics": metrics,
            "ratio": 1.0,
            "ratio_meaning": "quick mode: lavaan is not run, so no ratio (1.0 stands in)",
            "requirement": REQUIREMENT,
            "passed": result.n_obs + result.n_dropped == n,
        }
    if not lavaan_available():
        return {
            "name": NAME,
            "size": size,
            "metrics": {**metrics, "lavaan": "not installed: apt-get install r-cran-lavaan"},
            "ratio": 0.0,
            "ratio_meaning": "lavaan time / tandem time (lavaan missing)",
            "requirement": REQUIREMENT,
            "passed": False,
        }
    script = folder / "lavaan_cfa.R"
    script.write_text(R_SCRIPT, encoding="utf-8")
    lavaan = lavaan_times(script, path, repeats)
    lavaan_s = float(np.median(np.add(lavaan["read"], lavaan["fit"])))
    r_command_s = wall(["Rscript", str(script), str(path), "1", "command"])
    close = agreement(result, lavaan)
    same = (
        lavaan["nobs"] == result.n_obs
        and close["std_loading"] < 1e-4
        and close["fit_index"] < 1e-6
        and close["chisq_relative"] < 1e-6
    )
    ratio = lavaan_s / tandem_s
    metrics.update(
        {
            "lavaan_read_s": round(float(np.median(lavaan["read"])), 3),
            "lavaan_fit_s": round(float(np.median(lavaan["fit"])), 3),
            "lavaan_read_fit_s": round(lavaan_s, 3),
            "lavaan_iterations": lavaan["iterations"],
            "lavaan_command_s": round(r_command_s, 2),
            "command_ratio": round(r_command_s / cli_s, 2),
            "fit_only_ratio": round(float(np.median(lavaan["fit"])) / float(np.median(fits)), 1),
            "max_std_loading_diff": float(f"{close['std_loading']:.2g}"),
            "max_fit_index_diff": float(f"{close['fit_index']:.2g}"),
            "chisq_relative_diff": float(f"{close['chisq_relative']:.2g}"),
            "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "(unset)"),
        }
    )
    return {
        "name": NAME,
        "size": f"{size}; median of {repeats}",
        "metrics": metrics,
        "ratio": round(ratio, 2),
        "ratio_meaning": "lavaan (read.csv + cfa + fitMeasures + standardizedSolution) / "
        "tandem (CSV read + cfa), both timed in-process",
        "requirement": REQUIREMENT,
        "passed": ratio > 1 and same,
    }
