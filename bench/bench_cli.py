"""`tandem stats alpha` end to end, side by side with R's psych::alpha and pandas + pingouin.

One 200,000 x 40 CSV (8 scales of 5 items, 1-5 answers, item 3 of each scale reversed; the data
of bench_alpha), one keys file, and three commands that each start a fresh process, read the
CSV and print alpha for every scale:

* ``tandem stats alpha DATA --keys KEYS --json`` (also item statistics and omega per scale);
* ``Rscript``: ``read.csv`` then ``psych::alpha(data[, items], keys = reversed)`` per scale,
  with Debian's r-cran-psych (installed with apt-get when missing and running as root);
* Python in its own venv (bench/out/pingouin-venv, made with ``python3 -m venv`` and
  ``pip install pandas pingouin``; pingouin is no dependency of Tandem): ``pandas.read_csv``,
  then ``pingouin.cronbach_alpha`` per scale after reverse-keying.

Each command runs ``repeats`` times, interleaved; the medians are compared, and every side's
alphas must agree with Tandem's to 1e-6. Requirement (issue "Fast end to end"): R / tandem >= 20
and pingouin / tandem >= 4. ``--quick`` times Tandem alone on 20,000 rows (no R, no venv).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.bench_alpha import make_data

NAME = "cli"
REQUIREMENT = "R psych::alpha / tandem >= 20, pandas + pingouin / tandem >= 4 (end to end)"
HERE = Path(__file__).resolve().parent

R_SCRIPT = """
suppressPackageStartupMessages(library(psych))
args <- commandArgs(trailingOnly = TRUE)
data <- read.csv(args[1])
keys <- read.csv(args[2])
for (scale in unique(keys$scale)) {
  items <- keys$item[keys$scale == scale]
  reversed <- startsWith(items, "-")
  cols <- sub("^-", "", items)
  a <- alpha(data[, cols], keys = cols[reversed], check.keys = FALSE, warnings = FALSE)
  cat(scale, format(a$total$raw_alpha, digits = 15), "\\n")
}
"""

PINGOUIN_SCRIPT = """
import sys
import pandas as pd
import pingouin as pg
data = pd.read_csv(sys.argv[1])
keys = pd.read_csv(sys.argv[2])
for scale, group in keys.groupby("scale", sort=False):
    items = group["item"].tolist()
    cols = [i.lstrip("-") for i in items]
    x = data[cols].copy()
    for item, col in zip(items, cols):
        if item.startswith("-"):
            x[col] = x[col].min() + x[col].max() - x[col]
    alpha, _ci = pg.cronbach_alpha(data=x)
    print(scale, repr(float(alpha)))
"""


def write_files(folder: Path, n: int) -> tuple[Path, Path]:
    data, scales, reverse = make_data(n)
    names = [f"s{s + 1}i{i + 1}" for s in range(8) for i in range(5)]
    csv_path = folder / "alpha.csv"
    digits = (data + ord("0")).astype(np.uint8)
    rows = np.full((n, 80), ord(","), dtype=np.uint8)
    rows[:, 0::2] = digits
    rows[:, -1] = ord("\n")
    with csv_path.open("wb") as handle:
        handle.write((",".join(names) + "\n").encode())
        handle.write(rows.tobytes())
    keys_path = folder / "keys.csv"
    lines = ["scale,item"]
    for s, (cols, rev) in enumerate(zip(scales, reverse, strict=True)):
        lines += [
            f"scale{s + 1},{'-' if r else ''}{names[c]}" for c, r in zip(cols, rev, strict=True)
        ]
    keys_path.write_text("\n".join(lines) + "\n")
    return csv_path, keys_path


def tandem_command(csv_path: Path, keys_path: Path) -> list[str]:
    script = Path(sys.executable).with_name("tandem")
    start = [str(script)] if script.exists() else [sys.executable, "-m", "tandem.measure.cli"]
    return [*start, "stats", "alpha", str(csv_path), "--keys", str(keys_path), "--json"]


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed, done.stdout


def r_ready() -> tuple[bool, str]:
    """Whether Rscript with psych can run; installs r-cran-psych when root and missing."""
    check = ["Rscript", "-e", "suppressPackageStartupMessages(library(psych))"]
    if shutil.which("Rscript") and subprocess.run(check, capture_output=True).returncode == 0:
        return True, "R psych::alpha (Debian r-cran-psych)"
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, env=env)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "r-cran-psych"], capture_output=True, env=env
        )
        if shutil.which("Rscript") and subprocess.run(check, capture_output=True).returncode == 0:
            return True, "R psych::alpha (Debian r-cran-psych, installed now)"
    return False, "skipped: Rscript with psych is missing (apt-get install r-cran-psych)"


def pingouin_python(folder: Path) -> tuple[Path | None, str]:
    """A venv with pandas and pingouin (made once, kept in bench/out)."""
    venv = folder / "pingouin-venv"
    python = venv / "bin" / "python"
    probe = [str(python), "-c", "import pandas, pingouin"]
    if not (python.exists() and subprocess.run(probe, capture_output=True).returncode == 0):
        made = subprocess.run(
            ["python3", "-m", "venv", "--clear", str(venv)], capture_output=True, text=True
        )
        if made.returncode == 0:
            subprocess.run(
                [str(python), "-m", "pip", "install", "-q", "pandas", "pingouin"],
                capture_output=True,
                text=True,
            )
    if python.exists() and subprocess.run(probe, capture_output=True).returncode == 0:
        versions = subprocess.run(
            [
                str(python),
                "-c",
                "import pandas, pingouin; print(pandas.__version__, pingouin.__version__)",
            ],
            capture_output=True,
            text=True,
        ).stdout.split()
        return python, f"pandas {versions[0]} + pingouin {versions[1]} in {venv.name}"
    return None, "skipped: could not make a venv with pandas and pingouin"


def alphas(text: str) -> dict[str, float]:
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[parts[0]] = float(parts[1])
    return out


def byte_compile_tandem() -> None:
    """Compile Tandem's own modules, as installing its wheel would (pip and uv write bytecode
    at install, as for R's and pingouin's packages). An editable checkout has none, and where
    PYTHONDONTWRITEBYTECODE is set every run would compile them again."""
    import compileall

    import tandem

    compileall.compile_dir(str(Path(tandem.__file__).parent), quiet=1)


def run(*, quick: bool = False, workdir: Path | None = None) -> dict[str, Any]:
    byte_compile_tandem()
    n = 20_000 if quick else 200_000
    repeats = 2 if quick else 5
    folder = Path(workdir) if workdir is not None else HERE / "out"
    folder.mkdir(parents=True, exist_ok=True)
    csv_path, keys_path = write_files(folder, n)
    sides: dict[str, list[str]] = {"tandem": tandem_command(csv_path, keys_path)}
    notes: dict[str, str] = {}
    if quick:
        notes["r"] = notes["pingouin"] = "skipped in --quick"
    else:
        ok, notes["r"] = r_ready()
        if ok:
            script = folder / "alpha.R"
            script.write_text(R_SCRIPT)
            sides["r"] = ["Rscript", str(script), str(csv_path), str(keys_path)]
        python, notes["pingouin"] = pingouin_python(HERE / "out")
        if python is not None:
            script = folder / "alpha_pingouin.py"
            script.write_text(PINGOUIN_SCRIPT)
            sides["pingouin"] = [str(python), str(script), str(csv_path), str(keys_path)]

    times: dict[str, list[float]] = {side: [] for side in sides}
    outputs: dict[str, str] = {}
    for side, command in sides.items():  # one untimed run each: files and libraries cached
        outputs[side] = timed(command)[1]
    for _ in range(repeats):
        for side, command in sides.items():
            elapsed, outputs[side] = timed(command)
            times[side].append(elapsed)

    ours = {k: v["raw_alpha"] for k, v in json.loads(outputs["tandem"])["scales"].items()}
    for side in sides:
        if side != "tandem":
            theirs = alphas(outputs[side])
            if set(theirs) != set(ours) or any(abs(theirs[k] - ours[k]) > 1e-6 for k in ours):
                raise AssertionError(f"{side} alphas differ from tandem's: {theirs} vs {ours}")

    median = {side: statistics.median(t) for side, t in times.items()}
    metrics: dict[str, Any] = {f"{side}_s": round(m, 3) for side, m in median.items()}
    metrics.update({f"{side}_runs_s": [round(v, 3) for v in t] for side, t in times.items()})
    ratios = {side: median[side] / median["tandem"] for side in median if side != "tandem"}
    metrics.update({f"{side}_over_tandem": round(r, 2) for side, r in ratios.items()})
    metrics["r"] = notes["r"]
    metrics["pingouin"] = notes["pingouin"]
    passed = (
        "r" in ratios and "pingouin" in ratios and ratios["r"] >= 20 and ratios["pingouin"] >= 4
    )
    return {
        "name": NAME,
        "size": f"{n:,} rows x 40 items, 8 scales of 5, one CSV (median of {repeats} runs each, "
        "fresh process, reading included)",
        "metrics": metrics,
        "ratio": round(min(ratios.values()), 2) if ratios else round(median["tandem"], 3),
        "ratio_meaning": "smallest of R / tandem and pingouin / tandem"
        if ratios
        else "tandem seconds (no other side in --quick)",
        "requirement": REQUIREMENT + (" (not checked in --quick: no R, no venv)" if quick else ""),
        "passed": bool(passed) or quick,
    }
