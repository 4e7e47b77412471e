"""The benchmarks run on tiny sizes, so their code cannot rot (no timing is asserted)."""

from __future__ import annotations

from pathlib import Path

from bench.__main__ import modules, run_all


def test_every_benchmark_runs_quickly(tmp_path: Path) -> None:
    results = run_all(quick=True, record=False, workdir=tmp_path)
    assert {r["name"] for r in results} == {m.removeprefix("bench_") for m in modules()}
    for result in results:
        assert {"size", "metrics", "ratio", "requirement", "passed"} <= set(result)
        assert result["ratio"] > 0
