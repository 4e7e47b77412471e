"""Who is calling the REST API, what they may read, and how often.

An API token (``tandem_api_…``, made by an admin under Integrations or by ``manage.py
create_token``) acts for its organisation as the people team would read it through these
routes: people and reporting lines, cycles and their progress, the career framework and
placements, the vision and goals. Never answers, comments or reports.

A personal token (``tandem_personal_…``, made by a person for themselves) reads only what that
person may read in Tandem: the released reports :func:`tandem.access.cycles.can_view_report`
lets them read, with the figures the report shows.

Each route needs one scope (:mod:`tandem.integrations.scopes`); a token without it gets 403.
"""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from tandem.access.core import in_organisation
from tandem.integrations.models import OrganisationToken
from tandem.integrations.scopes import TokenKind
from tandem.integrations.services import token_authenticate
from tandem.integrations.tokens import parse_token


class RateLimited(HttpError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(429, f"Too many requests for this token: try again in {retry_after} s.")
        self.retry_after = retry_after


class ApiToken(HttpBearer):
    """A live API token, or a personal token of a person still in the organisation, of any
    scope; :func:`token_with` checks the route's own scope."""

    def authenticate(self, request: HttpRequest, token: str) -> OrganisationToken | None:
        parsed = parse_token(token)
        if parsed is None or parsed.kind not in (TokenKind.API, TokenKind.PERSONAL):
            return None
        found = token_authenticate(presented=token, kind=parsed.kind, scope=None)
        if found is None:
            return None
        if found.kind == TokenKind.PERSONAL and not (
            found.user is not None
            and found.user.is_active
            and in_organisation(found.user, found.organisation)
        ):
            return None  # its person left the organisation or was deactivated
        _count_request(found)
        return found


def _count_request(token: OrganisationToken) -> None:
    """At most ``API_REQUESTS_PER_MINUTE`` requests per token and minute (in the shared cache,
    so every web process counts together when ``REDIS_URL`` is set)."""
    limit = settings.API_REQUESTS_PER_MINUTE
    minute = int(time.time() // 60)
    key = f"api-rate:{token.lookup}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=120)
        used = 1
    if used > limit:
        raise RateLimited(retry_after=60 - int(time.time() % 60))


def token_with(request: HttpRequest, scope: str) -> OrganisationToken:
    """The request's token, which must hold ``scope`` (403 otherwise)."""
    token: Any = getattr(request, "auth", None)
    if not isinstance(token, OrganisationToken):  # ninja checked it already: never here
        raise HttpError(401, "Send an API token: Authorization: Bearer tandem_api_…")
    if not token.has_scope(scope):
        raise HttpError(403, f"This token may not do this: it needs the scope '{scope}'.")
    return token
