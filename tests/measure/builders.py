"""Small, readable 360 data for the tests: the ratee, their manager, peers, reports, others."""

from __future__ import annotations

import csv
from pathlib import Path

from tandem.measure import Instrument, load_instrument


def instrument() -> Instrument:
    return load_instrument("tandem-lm-1")


# Ana is rated by herself, her manager Max, three peers, two direct reports (below the minimum
# of 3) and one other colleague. Ben has only two peers besides his manager.
TEAM = {
    "ana": [
        ("ana", "self"),
        ("max", "manager"),
        ("pia", "peer"),
        ("pete", "peer"),
        ("paz", "peer"),
        ("dora", "direct_report"),
        ("dan", "direct_report"),
        ("olga", "other"),
    ],
    "ben": [("ben", "self"), ("max", "manager"), ("pia", "peer"), ("pete", "peer")],
}


def answer(ratee: str, rater: str, item_index: int) -> int:
    """A deterministic answer in 1..5 that differs between raters and items."""
    return 1 + (len(ratee) * 3 + sum(map(ord, rater)) + item_index * 7) % 5


def team_rows(inst: Instrument | None = None) -> list[list[str]]:
    inst = inst or instrument()
    rows = []
    for ratee, raters in TEAM.items():
        for rater, group in raters:
            for k, item in enumerate(inst.items):
                value = "" if (rater == "paz" and k % 4 == 0) else str(answer(ratee, rater, k))
                rows.append([ratee, rater, group, item.id, value])
            if group == "self":
                for k, item in enumerate(inst.self_items):
                    rows.append([ratee, rater, group, item.id, str(1 + k % 5)])
    return rows


def write_rows(
    path: Path,
    rows: list[list[str]],
    header: tuple[str, ...] = ("ratee", "rater", "group", "item", "value"),
) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path
