"""What more than one part of the engine needs: formula-like text and values as text."""

from __future__ import annotations

import datetime

# A spreadsheet treats a cell starting with one of these as a formula (tab and CR too, because
# some spreadsheets strip them and then see the next character).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
