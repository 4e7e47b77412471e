"""Access matrix rows for assessment cycles."""

from __future__ import annotations

from tests.access.statuses import Pages

PAGES: Pages = {}

PUBLIC_OR_TESTED_ELSEWHERE: set[str] = set()

MATRIX_URL_NAMES: set[str] = set()
