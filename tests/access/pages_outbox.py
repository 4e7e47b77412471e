"""Access matrix rows for undelivered email: the people team's page and its one action."""

from __future__ import annotations

from django.urls import reverse

from tests.access.statuses import DENIED, LOGIN, OK, Pages

REDIRECT = 302

PAGES: Pages = {
    "undelivered email": (
        "get",
        lambda p: reverse("outbox:undelivered"),
        [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED],
    ),
    "send email again": (
        "post",
        lambda p: reverse("outbox:send_again"),
        [LOGIN, DENIED, DENIED, REDIRECT, REDIRECT, REDIRECT, DENIED],
    ),
}

PUBLIC_OR_TESTED_ELSEWHERE: set[str] = set()

MATRIX_URL_NAMES = {"outbox:undelivered", "outbox:send_again"}
