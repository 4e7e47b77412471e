"""What the side-by-side benchmarks share: whether R has a package, and a command's wall time."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path


def r_package_available(package: str) -> bool:
    """Is ``Rscript`` on the path with ``package`` installed (Debian's r-cran-*)?"""
    if shutil.which("Rscript") is None:
        return False
    probe = subprocess.run(
        ["Rscript", "-e", f"quit(status = !requireNamespace('{package}', quietly = TRUE))"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


def wall(command: list[str], cwd: Path | None = None) -> float:
    """Seconds a command takes as its own process (start-up included); raises if it fails."""
    started = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, check=False, cwd=cwd)
    if proc.returncode != 0:
        raise RuntimeError(f"{command[0]} failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return time.perf_counter() - started
