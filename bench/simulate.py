"""A seeded simulation of an organisation's 360, for benchmarks and tests.

Each ratee is rated by ``raters`` people (self, a manager, peers, direct reports, others) on an
instrument of six Kotter scales. Leadership and management are two correlated factors;
raters add their own leniency and every answer its own noise, so the numbers behave like
real 360 data (moderate agreement, self-ratings a little higher than others').
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from tandem.measure import GROUPS, Instrument, parse_instrument

KOTTER = (
    ("planning_budgeting", "management"),
    ("organising_staffing", "management"),
    ("controlling_problem_solving", "management"),
    ("setting_direction", "leadership"),
    ("aligning_people", "leadership"),
    ("motivating_inspiring", "leadership"),
)
# Rater mixes per ratee (10 raters each). Some put peers or reports below the minimum of 3,
# so the anonymity rule has to pool or drop them.
MIXES = (
    (
        "self",
        "manager",
        "peer",
        "peer",
        "peer",
        "direct_report",
        "direct_report",
        "direct_report",
        "other",
        "other",
    ),
    ("self", "manager", "peer", "peer", "peer", "peer", "peer", "other", "other", "other"),
    (
        "self",
        "manager",
        "peer",
        "peer",
        "direct_report",
        "direct_report",
        "direct_report",
        "direct_report",
        "other",
        "other",
    ),
    (
        "self",
        "manager",
        "peer",
        "peer",
        "peer",
        "peer",
        "direct_report",
        "direct_report",
        "other",
        "other",
    ),
)


def bench_instrument_document(items_per_scale: int = 8) -> dict[str, Any]:
    """An instrument with six Kotter scales of ``items_per_scale`` items (the 7th is reversed)."""
    scales = []
    for sid, role in KOTTER:
        prefix = "".join(part[0] for part in sid.split("_"))
        items = [
            {
                "id": f"{prefix}{k + 1}",
                "self": f"I do behaviour {k + 1} of {sid}.",
                "observer": f"They do behaviour {k + 1} of {sid}.",
                "reverse": k == 6,
            }
            for k in range(items_per_scale)
        ]
        scales.append(
            {"id": sid, "name": sid.replace("_", " ").title(), "role": role, "items": items}
        )
    return {
        "format": "tandem-instrument/1",
        "id": "bench",
        "version": 1,
        "title": "Benchmark instrument",
        "response_scales": {
            "frequency": {
                "min": 1,
                "max": 5,
                "labels": {1: "Never", 2: "Rarely", 3: "Sometimes", 4: "Often", 5: "Almost always"},
                "not_observed": {"code": 0, "label": "Not observed"},
            }
        },
        "rated": {"response_scale": "frequency", "scales": scales},
        "indices": {
            "leadership": [s for s, role in KOTTER if role == "leadership"],
            "management": [s for s, role in KOTTER if role == "management"],
        },
    }


def bench_instrument(items_per_scale: int = 8) -> Instrument:
    return parse_instrument(bench_instrument_document(items_per_scale), source="bench")


def write_instrument(path: Path, items_per_scale: int = 8) -> Path:
    path.write_text(yaml.safe_dump(bench_instrument_document(items_per_scale), sort_keys=False))
    return path


@dataclass(frozen=True)
class Organisation:
    """Long answers as codes: one row per (ratee, rater, item)."""

    n_ratees: int
    raters: int
    ratee: np.ndarray  # int32, per row
    rater: np.ndarray  # int32 person id, per row
    pair: np.ndarray  # int32 (ratee, rater) pair, per row
    group: np.ndarray  # int8, per row
    item: np.ndarray  # int16, per row
    value: np.ndarray  # int8, -1 = not observed, per row
    pair_ratee: np.ndarray
    pair_group: np.ndarray

    @property
    def n_rows(self) -> int:
        return int(self.item.shape[0])


def simulate(
    n_ratees: int,
    *,
    raters: int = 10,
    instrument: Instrument,
    seed: int = 2024,
    not_observed: float = 0.04,
) -> Organisation:
    """Simulate every rater answering every rated item about their ratee."""
    rng = np.random.default_rng(seed)
    n_items = len(instrument.items)
    scale_of = np.array([instrument.scale_ids.index(it.scale) for it in instrument.items])
    lead_scale = np.array([role == "leadership" for _sid, role in KOTTER])
    reverse = instrument.reverse_mask()

    factors = rng.multivariate_normal([0, 0], [[1, 0.5], [0.5, 1]], size=n_ratees) * 0.45
    true_scale = np.where(lead_scale, factors[:, [0]], factors[:, [1]]) + rng.normal(
        0, 0.2, size=(n_ratees, len(KOTTER))
    )
    mix = rng.integers(0, len(MIXES), size=n_ratees)
    mix_groups = np.array([[GROUPS.index(g) for g in m[:raters]] for m in MIXES], dtype=np.int8)
    pair_group = mix_groups[mix].reshape(-1)
    pair_ratee = np.repeat(np.arange(n_ratees, dtype=np.int32), raters)
    offsets = np.arange(raters, dtype=np.int64) * 7919 % max(n_ratees, 1)
    offsets[0] = 0
    pair_rater = (
        (pair_ratee.astype(np.int64) + offsets[np.tile(np.arange(raters), n_ratees)])
        % max(n_ratees, 1)
    ).astype(np.int32)
    if n_ratees < raters:
        pair_rater = np.arange(pair_ratee.size, dtype=np.int32)
        pair_rater[pair_group == 0] = pair_ratee[pair_group == 0]
    leniency = rng.normal(0, 0.3, size=pair_ratee.size) + np.where(pair_group == 0, 0.25, 0.0)

    rows = np.empty((pair_ratee.size, n_items), dtype=np.int8)
    step = 200_000
    for start in range(0, pair_ratee.size, step):
        sl = slice(start, start + step)
        latent = (
            3.4
            + true_scale[pair_ratee[sl]][:, scale_of]
            + leniency[sl, None]
            + rng.normal(0, 0.7, size=(rows[sl].shape[0], n_items))
        )
        answer = np.clip(np.rint(latent), 1, 5).astype(np.int8)
        answer = np.where(reverse, 6 - answer, answer)
        answer[rng.random(answer.shape) < not_observed] = -1
        rows[sl] = answer
    n_pairs = pair_ratee.size
    return Organisation(
        n_ratees=n_ratees,
        raters=raters,
        ratee=np.repeat(pair_ratee, n_items),
        rater=np.repeat(pair_rater, n_items),
        pair=np.repeat(np.arange(n_pairs, dtype=np.int32), n_items),
        group=np.repeat(pair_group, n_items),
        item=np.tile(np.arange(n_items, dtype=np.int16), n_pairs),
        value=rows.reshape(-1),
        pair_ratee=pair_ratee,
        pair_group=pair_group,
    )


def _table(strings: list[str]) -> np.ndarray:
    width = max(len(s) for s in strings)
    return (
        np.array([s.encode() for s in strings], dtype=f"S{width}")
        .view(np.uint8)
        .reshape(len(strings), width)
    )


def person_id(k: int) -> str:
    return f"E{k:06d}"


def write_csv(
    org: Organisation, instrument: Instrument, path: Path, *, chunk: int = 2_000_000
) -> int:
    """Write the organisation as a long CSV (ratee,rater,group,item,value); returns bytes."""
    people = _table([person_id(k) for k in range(max(org.n_ratees, int(org.rater.max()) + 1))])
    groups = _table(list(GROUPS))
    items = _table(list(instrument.item_ids))
    digits = np.array([0, 0, 49, 50, 51, 52, 53], dtype=np.uint8)  # index value + 1: -1 -> empty
    widths = [people.shape[1], people.shape[1], groups.shape[1], items.shape[1], 1]
    line = sum(widths) + len(widths)
    written = 0
    with path.open("wb") as handle:
        handle.write(b"ratee,rater,group,item,value\n")
        for start in range(0, org.n_rows, chunk):
            sl = slice(start, start + chunk)
            n = org.item[sl].shape[0]
            mat = np.zeros((n, line), dtype=np.uint8)
            pos = 0
            for k, block in enumerate(
                (
                    people[org.ratee[sl]],
                    people[org.rater[sl]],
                    groups[org.group[sl]],
                    items[org.item[sl]],
                    digits[org.value[sl].astype(np.int64) + 1][:, None],
                )
            ):
                mat[:, pos : pos + widths[k]] = block
                pos += widths[k]
                mat[:, pos] = 44 if k < 4 else 10
                pos += 1
            data = mat[mat != 0].tobytes()
            handle.write(data)
            written += len(data)
    return written
