"""The careful reader on 100,000 random rater mixes: no combination of shown figures leaks.

Requirement (anonymity issue): a run of at least 100,000 mixes finds no leak under the
disclosure decision. Each mix is one person with 0-1 self and 0-8 raters in every other group,
random minimums (or the defaults), a random share of a scale to answer and random "not
observed" answers, scored with a two-scale instrument of three questions each. The reader
(tests/measure/careful_reader.py) learns every shown figure's exact coefficients and checks in
two prime fields that neither the participant nor the manager can isolate any set of raters
below its minimum.

A control runs in the same process: the same reader on the first mixes under the previous
per-figure rule must find leaks, or the check would have no teeth. The ratio is that control's
share of leaking mixes.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from tests.measure.careful_reader import find_leaks, per_figure_reports, random_mix, tiny_instrument

NAME = "anonymity"
REQUIREMENT = "0 leaking mixes of >= 100,000 under the disclosure decision; control finds leaks"
SEED = 20261203


def _check(chunk: tuple[int, int]) -> tuple[int, int, list[str]]:
    """Check mixes ``start..stop-1`` (each from its own seed); returns (mixes, leaky, examples)."""
    start, stop = chunk
    instrument = tiny_instrument()
    leaky, examples = 0, []
    for k in range(start, stop):
        rng = np.random.default_rng([SEED, k])
        mix = random_mix(rng)
        leaks = find_leaks(mix, instrument, rng)
        if leaks:
            leaky += 1
            if len(examples) < 3:
                examples.append(f"mix {k}: {leaks[:2]}\n{mix.describe()}")
    return stop - start, leaky, examples


def _control(n: int) -> int:
    instrument = tiny_instrument()
    leaky = 0
    for k in range(n):
        rng = np.random.default_rng([SEED, k])
        mix = random_mix(rng)
        leaky += bool(find_leaks(mix, instrument, rng, per_figure_reports))
    return leaky


def run(*, quick: bool = False, workdir: Path | None = None) -> dict[str, Any]:
    n = 200 if quick else 100_000
    control_n = 100 if quick else 2_000
    processes = max(1, min(os.cpu_count() or 1, 2))
    step = 50 if quick else 500
    chunks = [(a, min(a + step, n)) for a in range(0, n, step)]
    started = time.perf_counter()
    checked = leaky = 0
    examples: list[str] = []
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        for done, bad, found in pool.imap_unordered(_check, chunks):
            checked += done
            leaky += bad
            examples += found
            if not quick and checked % 10_000 < step:
                rate = checked / (time.perf_counter() - started)
                print(f"   {checked:,} mixes, {leaky} leaking, {rate:.0f}/s", file=sys.stderr)
    elapsed = time.perf_counter() - started
    t = time.perf_counter()
    control = _control(control_n)
    control_s = time.perf_counter() - t
    if examples:
        print("\n".join(examples), file=sys.stderr)
    share = control / control_n
    return {
        "name": NAME,
        "size": (
            f"{n:,} random mixes (0-1 self, 0-8 per other group, random minimums, shares, "
            f"not observed), 2 scales x 3 questions, 2 readers, {processes} processes"
        ),
        "metrics": {
            "mixes": checked,
            "leaking_mixes": leaky,
            "seconds": round(elapsed, 1),
            "mixes_per_s": round(checked / elapsed, 1),
            "control_mixes": control_n,
            "control_leaking": control,
            "control_s": round(control_s, 1),
        },
        "ratio": round(share, 3),
        "ratio_meaning": "share of control mixes that leak under the previous per-figure rule",
        "requirement": REQUIREMENT,
        "passed": leaky == 0 and checked >= (200 if quick else 100_000) and control > 0,
    }
