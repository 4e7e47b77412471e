"""Validating a people file (the HRIS import) at the largest size it accepts.

The worst case for checking reporting lines is one line of people each reporting to the one
before, and a loop through all of them. The requirement is that validation grows linearly:
the full file (100,000 people, the import's limit) takes at most 2.5 times as long as half of
it, in the same run. For scale, the full file is also timed against a plain ``csv.reader`` pass
over the same bytes (the least any validator must do).
"""

from __future__ import annotations

import csv
import io
import time
from pathlib import Path
from typing import Any

from tandem.people.hris import MAX_ROWS, guess_mapping, parse_people, read_table

NAME = "hris"
REQUIREMENT = "full-size time / half-size time <= 2.5 (linear), loops found in both"
LIMIT = 2.5
HEADER = "Employee ID,Name,Email,Manager ID,Title,Start date,Track,Level"


def line_of_people(people: int, *, loop: bool = False) -> bytes:
    """``people`` in one reporting line; with ``loop`` the first reports to the last."""
    lines = [HEADER]
    for i in range(1, people + 1):
        manager = i - 1 if i > 1 else (people if loop else None)
        lines.append(
            f"E{i},Person {i},person.{i}@acme.example,{f'E{manager}' if manager else ''},"
            f"Engineer,2020-01-{i % 28 + 1:02d},ic,4"
        )
    return ("\n".join(lines) + "\n").encode()


def validate(data: bytes) -> tuple[float, int, int]:
    """Seconds to read and validate, records accepted, problems found."""
    started = time.perf_counter()
    table = read_table(data=data, filename="people.csv")
    parsed = parse_people(table=table, mapping=guess_mapping(table.headers))
    return time.perf_counter() - started, len(parsed.records), len(parsed.problems)


def plain_csv(data: bytes) -> float:
    started = time.perf_counter()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert len(rows) > 1
    return time.perf_counter() - started


def run(*, quick: bool = False, workdir: Path | None = None) -> dict[str, Any]:
    full = 5_000 if quick else MAX_ROWS
    half = full // 2
    files = {
        "line_full": line_of_people(full),
        "line_half": line_of_people(half),
        "loop_full": line_of_people(full, loop=True),
        "loop_half": line_of_people(half, loop=True),
    }
    times: dict[str, list[float]] = {name: [] for name in [*files, "csv_full"]}
    outcome: dict[str, tuple[int, int]] = {}
    for _ in range(2 if quick else 5):  # interleaved, so all see the same machine state
        for name, data in files.items():
            seconds, records, problems = validate(data)
            times[name].append(seconds)
            outcome[name] = (records, problems)
        times["csv_full"].append(plain_csv(files["line_full"]))
    best = {name: min(values) for name, values in times.items()}
    if outcome["line_full"] != (full, 0) or outcome["line_half"] != (half, 0):
        raise AssertionError(f"a clean line of people was refused: {outcome}")
    loops_found = outcome["loop_full"][1] == full and outcome["loop_half"][1] == half
    growth = max(best["line_full"] / best["line_half"], best["loop_full"] / best["loop_half"])
    return {
        "name": NAME,
        "size": f"{full:,} and {half:,} people in one reporting line, without and with a loop "
        "through all of them (best of the runs)",
        "metrics": {
            **{f"{name}_s": round(seconds, 3) for name, seconds in best.items()},
            "validate_vs_plain_csv": round(best["line_full"] / best["csv_full"], 1),
            "loops_found": loops_found,
        },
        "ratio": round(growth, 2),
        "ratio_meaning": "full-size time / half-size time, the worse of line and loop",
        "requirement": REQUIREMENT,
        "passed": growth <= LIMIT and loops_found,
    }
