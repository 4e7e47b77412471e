"""The REST API, version 1, at ``/api/v1/`` (schema at ``/api/v1/openapi.json``).

Built on django-ninja: the routes are typed functions, the OpenAPI 3 schema is derived from
those types (so it cannot drift from what is served), pydantic is already here (SCIM uses it),
and it adds one small package where Django REST framework would add a framework beside
Django's. docs/api.md explains tokens, scopes, paging, errors and limits.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from tandem.integrations.api import careers, cycles, goals, me, people
from tandem.integrations.api.auth import ApiToken, RateLimited

api = NinjaAPI(
    title="Tandem API",
    version="1",
    description="Read an organisation's people, cycles, career framework and goals, and change "
    "people, with an organisation's API token (never answers, comments or reports); read the "
    "released reports you may read with your personal token. See docs/api.md.",
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
    auth=ApiToken(),
)
for router in (people.router, cycles.router, careers.router, goals.router, me.router):
    api.add_router("", router)


@api.exception_handler(AuthenticationError)
def unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "Send a live API token: Authorization: Bearer tandem_api_…"},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="Tandem API"'
    return response


@api.exception_handler(RateLimited)
def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = api.create_response(request, {"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
