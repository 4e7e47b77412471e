"""Statements run on nearly every request, prepared once per database connection.

Django's psycopg cursors bind parameters on the client, so PostgreSQL parses and plans every
statement again on every request. For the few statements on the hottest paths (a rater's
answer, a rater's sheet) that is a large share of their time; a prepared statement is planned
once per connection. Elsewhere (SQLite) they run as usual.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import connection


def rows_prepared(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    """Run ``sql`` (``%s`` placeholders) and return its rows; on PostgreSQL as a prepared
    statement. The statement is still logged for Django's query capture, as its own cursor
    would, marked "(prepared)"."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return list(cursor.fetchall())
    connection.ensure_connection()
    started = time.monotonic()
    with connection.connection.cursor() as raw:
        raw.execute(sql, params, prepare=True)
        rows = list(raw.fetchall())
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": f"(prepared) {sql}", "time": f"{time.monotonic() - started:.3f}"}
        )
    return rows
