"""Load the reference datasets copied into tests/reference (never the shared folder)."""

from __future__ import annotations

import csv
import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

REFERENCE = Path(__file__).resolve().parent.parent / "reference"


def _cell(value: str) -> float:
    return float("nan") if value in ("", "NA") else float(value)


@cache
def table(name: str) -> tuple[tuple[str, ...], np.ndarray]:
    """A numeric CSV from tests/reference: (header, float matrix with NaN for NA)."""
    with (REFERENCE / name).open(newline="") as handle:
        rows = list(csv.reader(handle))
    return tuple(rows[0]), np.array([[_cell(v) for v in row] for row in rows[1:]])


def columns(name: str, wanted: list[str]) -> np.ndarray:
    header, data = table(name)
    return data[:, [header.index(c) for c in wanted]]


@cache
def reference() -> dict[str, Any]:
    return json.loads((REFERENCE / "reference.json").read_text())


@cache
def bfi_keys() -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    with (REFERENCE / "bfi_keys.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            keys.setdefault(row["scale"], []).append(row["item"])
    return keys
