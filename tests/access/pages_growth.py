"""Access matrix rows for growth: plans, habits, quick feedback, progress."""

from __future__ import annotations

from tests.access.statuses import Pages

PAGES: Pages = {}

PUBLIC_OR_TESTED_ELSEWHERE: set[str] = set()

MATRIX_URL_NAMES: set[str] = set()
