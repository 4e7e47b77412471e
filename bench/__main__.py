"""Run every benchmark (bench/bench_*.py) and record the results: ``python -m bench``.

Options: ``--quick`` (tiny sizes, a smoke run), ``--only NAME[,NAME]``, ``--no-record``.
Results are appended, with the machine and the date, to bench/results/results.md (readable)
and bench/results/results.jsonl (one JSON object per benchmark and run).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def modules() -> list[str]:
    return sorted(p.stem for p in HERE.glob("bench_*.py"))


def machine() -> dict[str, Any]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory": memory,
        "OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS", "(unset)"),
    }


def run_all(
    *,
    quick: bool = False,
    only: list[str] | None = None,
    record: bool = True,
    workdir: Path | None = None,
) -> list[dict[str, Any]]:
    """Run the benchmarks and return their results (recording them unless record=False)."""
    info = machine()
    results = []
    base = Path(workdir) if workdir is not None else HERE / "out"
    base.mkdir(parents=True, exist_ok=True)
    for name in modules():
        short = name.removeprefix("bench_")
        if only and short not in only:
            continue
        module = importlib.import_module(f"bench.{name}")
        scratch = Path(tempfile.mkdtemp(prefix=f"{short}-", dir=base))
        try:
            print(
                f"== {short}: running{' (quick)' if quick else ''}...", file=sys.stderr, flush=True
            )
            result = module.run(quick=quick, workdir=scratch)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        result["quick"] = quick
        results.append(result)
        print(summary_line(result), flush=True)
    if record and results:
        write_records(info, results)
    return results


def summary_line(result: dict[str, Any]) -> str:
    verdict = "PASS" if result["passed"] else "FAIL"
    metrics = ", ".join(f"{k} {v}" for k, v in result["metrics"].items())
    return (
        f"{result['name']}: ratio {result['ratio']} ({result['ratio_meaning']}); "
        f"requirement {result['requirement']}: {verdict}\n    {result['size']}\n    {metrics}"
    )


def write_records(info: dict[str, Any], results: list[dict[str, Any]]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    with (RESULTS / "results.jsonl").open("a") as handle:
        for result in results:
            handle.write(json.dumps({"machine": info, **result}) + "\n")
    lines = [
        f"\n## {info['date']}{' (quick run)' if results[0]['quick'] else ''}\n",
        f"Machine: {info['cpu']}, {info['cpus']} CPUs, {info['memory']}; {info['platform']}; "
        f"Python {info['python']}, numpy {info['numpy']}, "
        f"OPENBLAS_NUM_THREADS={info['OPENBLAS_NUM_THREADS']}.\n",
        "| benchmark | size | ratio | requirement | result | measurements |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        metrics = "<br>".join(f"{k}: {v}" for k, v in r["metrics"].items())
        lines.append(
            f"| {r['name']} | {r['size']} | {r['ratio']} ({r['ratio_meaning']}) | "
            f"{r['requirement']} | {'pass' if r['passed'] else 'FAIL'} | {metrics} |"
        )
    path = RESULTS / "results.md"
    if not path.exists():
        path.write_text("# Benchmark results\n\nAppended by `make bench` (python -m bench).\n")
    with path.open("a") as handle:
        handle.write("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    parser.add_argument("--only", help="comma-separated benchmark names (e.g. alpha,score)")
    parser.add_argument("--no-record", action="store_true", help="do not append to bench/results")
    args = parser.parse_args(argv)
    only = [s.strip() for s in args.only.split(",")] if args.only else None
    results = run_all(quick=args.quick, only=only, record=not args.no_record)
    return 0 if all(r["passed"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
