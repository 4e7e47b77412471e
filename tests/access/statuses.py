"""The answers a page can give in the access matrix, and the personas that ask."""

from __future__ import annotations

from collections.abc import Callable

from tests.conftest import Personas

# "outsider" is the admin of another organisation: org-level pages show them their own
# organisation, and anything of Acme's is hidden from them.
ROLES = ["anonymous", "employee", "manager", "hr", "admin", "outsider", "superuser"]

# 302 for anonymous means "sent to sign in"; 404 hides things in other organisations.
OK, DENIED, HIDDEN, LOGIN = 200, 403, 404, 302

# page -> (method, url builder, expected status per role in ROLES order)
Pages = dict[str, tuple[str, Callable[[Personas], str], list[int]]]
