"""A database that restarts (its connections cut) costs no failed request on PostgreSQL.

Persistent connections are checked before each request reuses them (CONN_HEALTH_CHECKS), so a
connection the server has dropped is replaced instead of failing the request with a 500.

Requests go through Django's real WSGI handler in this thread, as a server would send them:
the test client skips the per-request connection bookkeeping that health checks rely on.
"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse


def _get(handler: WSGIHandler, path: str) -> int:
    statuses: list[str] = []
    body = handler(RequestFactory().get(path).environ, lambda s, h, e=None: statuses.append(s))
    b"".join(body)
    body.close()  # ends the request, as a server does: request_finished runs
    return int(statuses[0].split()[0])


@pytest.mark.django_db(transaction=True)
def test_a_request_after_the_database_dropped_the_connection_succeeds(settings: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("connections are cut on a PostgreSQL server; SQLite has none to cut")
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    connection.settings_dict["CONN_MAX_AGE"] = 600  # kept between requests, as deployed
    connection.close()  # the next connection is opened with that lifetime
    handler = WSGIHandler()
    sign_in = reverse("accounts:login")  # an anonymous page: it reads the database
    try:
        assert _get(handler, sign_in) in (200, 302)  # the set-up page, on an empty database
        assert connection.connection is not None, "the connection is kept for the next request"
        pid = connection.connection.info.backend_pid
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert _get(handler, sign_in) in (200, 302)  # the set-up page, on an empty database
    finally:
        connection.settings_dict["CONN_MAX_AGE"] = 0
        connection.close()
