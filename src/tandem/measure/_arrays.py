"""Small helpers shared by the measurement modules: array types and input checks."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.intp]
BoolArray = NDArray[np.bool_]


def as_float_matrix(
    data: ArrayLike, *, name: str, min_rows: int = 1, min_cols: int = 1
) -> FloatArray:
    """Return ``data`` as a 2-D float64 array (NaN = missing), or raise ValueError."""
    arr = np.asarray(data)
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric; got values of type {arr.dtype}")
    if arr.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D table (rows x columns); got {arr.ndim} dimension(s)"
        )
    if arr.shape[0] < min_rows:
        raise ValueError(f"{name} needs at least {min_rows} rows; got {arr.shape[0]}")
    if arr.shape[1] < min_cols:
        raise ValueError(f"{name} needs at least {min_cols} columns; got {arr.shape[1]}")
    out = np.asarray(arr, dtype=np.float64)
    if np.isinf(out).any():
        raise ValueError(f"{name} contains infinite values")
    return out


def as_float_vector(data: ArrayLike, *, name: str) -> FloatArray:
    """Return ``data`` as a 1-D float64 array, or raise ValueError."""
    arr = np.asarray(data)
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric; got values of type {arr.dtype}")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be 1-D; got {arr.ndim} dimension(s)")
    return np.asarray(arr, dtype=np.float64)


def as_float_array(data: ArrayLike, *, name: str) -> FloatArray:
    """Return ``data`` as a float64 array of any shape, or raise ValueError."""
    arr = np.asarray(data)
    if arr.dtype == object or arr.dtype.kind not in "biuf":
        raise ValueError(f"{name} must be numeric; got values of type {arr.dtype}")
    return np.asarray(arr, dtype=np.float64)


def check_level(level: float) -> float:
    """Check a confidence level such as 0.95."""
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must be between 0 and 1 (for example 0.95); got {level}")
    return float(level)


def to_python(value: Any) -> Any:
    """Turn numpy scalars and arrays into plain Python (NaN becomes None), for JSON."""
    if isinstance(value, np.ndarray):
        return [to_python(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [to_python(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_python(v) for k, v in value.items()}
    if isinstance(value, (np.floating, float)):
        f = float(value)
        return None if f != f else f
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    return value
