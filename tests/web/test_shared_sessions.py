"""With Redis as the shared cache (``REDIS_URL``), sessions are read from it and written
through to the database; signing out ends the session in both."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import Personas

REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/14",
    }
}


@pytest.fixture
def shared_sessions() -> Any:
    with override_settings(
        CACHES=REDIS, SESSION_ENGINE="django.contrib.sessions.backends.cached_db"
    ):
        cache.clear()
        yield
        cache.clear()


def test_a_signed_in_page_reads_its_session_from_redis_and_signing_out_ends_it(
    personas: Personas, shared_sessions: Any
) -> None:
    client = Client()
    client.force_login(personas.employee)
    key = client.cookies["sessionid"].value
    assert Session.objects.filter(session_key=key).exists()  # written through
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cycles:home")).status_code == 200
    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]
    # The user is read with their membership: no query of its own for it.
    assert not [q for q in queries.captured_queries if 'FROM "accounts_membership"' in q["sql"]]
    client.post(reverse("accounts:logout"))
    assert not Session.objects.filter(session_key=key).exists()
    stale = Client()
    stale.cookies["sessionid"] = key
    response = stale.get(reverse("cycles:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
