"""The SCIM 2.0 service at /scim/v2/ (RFC 7644): discovery, and Users.

Every request needs a live SCIM token of the organisation (``Authorization: Bearer ...``);
the token decides the organisation, and nothing of another organisation is ever seen. Writes
go through ``services.scim``, which applies the people import's rules.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import (
    Context,
    Error,
    InvalidSyntaxException,
    ListResponse,
    NotFoundException,
    PatchOp,
    ResourceType,
    ResponseParameters,
    Schema,
    SCIMException,
    SearchRequest,
    UnauthorizedException,
)

from tandem.integrations.models import OrganisationToken
from tandem.integrations.scim.filters import filter_query
from tandem.integrations.scim.mapping import UserValues, user_from_person, values_from_user
from tandem.integrations.scim.schema import (
    CONTENT_TYPE,
    DEFAULT_PAGE_SIZE,
    MAX_RESULTS,
    POLICY,
    User,
    discovery_schemas,
    service_provider_config,
    user_resource_type,
)
from tandem.integrations.scopes import SCIM_USERS, TokenKind
from tandem.integrations.selectors.scim import scim_people, scim_person
from tandem.integrations.services import token_authenticate
from tandem.integrations.services.scim import (
    scim_user_create,
    scim_user_remove,
    scim_user_update,
)
from tandem.people.models import Person

View = Callable[..., HttpResponse]
_QUERY_PARAMETERS = ("filter", "startIndex", "count", "attributes", "excludedAttributes")


class MethodNotAllowed(SCIMException):
    status = 405
    _default_detail = "This endpoint does not take that method."


def _response(data: dict[str, Any] | None, status: int = 200, **headers: str) -> HttpResponse:
    body = "" if data is None else json.dumps(data)
    response = HttpResponse(body, status=status, content_type=CONTENT_TYPE)
    if data is None:
        del response["Content-Type"]
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _error(error: Error) -> HttpResponse:
    response = _response(
        error.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE), error.status or 400
    )
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="Tandem SCIM"'
    return response


def _token(request: HttpRequest) -> OrganisationToken | None:
    scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not presented.strip():
        return None
    return token_authenticate(presented=presented.strip(), kind=TokenKind.SCIM, scope=SCIM_USERS)


def scim_endpoint(*methods: str) -> Callable[[View], View]:
    """A SCIM endpoint: bearer token first, then the method, and SCIM errors as SCIM errors."""

    def decorate(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                token = _token(request)
                if token is None:
                    raise UnauthorizedException(
                        detail="A live SCIM token of the organisation is needed, sent as "
                        "'Authorization: Bearer <token>'. Make one on Tandem's Integrations "
                        "page; a revoked token or an API token is refused."
                    )
                if request.method not in methods:
                    raise MethodNotAllowed(
                        detail=f"{request.path} takes {', '.join(methods)}, not {request.method}."
                    )
                return view(request, token, *args, **kwargs)
            except SCIMException as error:
                return _error(error.to_error())
            except ValidationError as error:
                return _error(Error.from_validation_errors(error)[0])

        return wrapped

    return decorate


def _body(request: HttpRequest) -> dict[str, Any]:
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError) as error:
        raise InvalidSyntaxException(detail=f"The body is not JSON: {error}") from error
    if not isinstance(data, dict):
        raise InvalidSyntaxException(detail="The body must be a JSON object.")
    return data


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("scim:users")).removesuffix("/Users")


def _dump_user(
    request: HttpRequest, person: Person, parameters: ResponseParameters[Any] | None = None
) -> dict[str, Any]:
    user = user_from_person(person, base_url=_base_url(request))
    return user.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=parameters)


def _fresh(token: OrganisationToken, person: Person) -> Person:
    found = scim_person(organisation_id=token.organisation_id, scim_id=str(person.pk))
    if found is None:  # pragma: no cover - just written in this request
        raise NotFoundException(detail=f"No user has the SCIM id '{person.pk}'.")
    return found


def _written(
    request: HttpRequest, token: OrganisationToken, person: Person, status: int = 200
) -> HttpResponse:
    person = _fresh(token, person)
    parameters = _response_parameters(request)
    data = _dump_user(request, person, parameters)
    headers = {"ETag": data.get("meta", {}).get("version") or ""}
    if status == 201:
        headers["Location"] = data.get("meta", {}).get("location") or ""
    return _response(data, status, **headers)


def _response_parameters(request: HttpRequest) -> ResponseParameters[Any] | None:
    wanted = {k: request.GET[k] for k in ("attributes", "excludedAttributes") if k in request.GET}
    if not wanted:
        return None
    parameters: ResponseParameters[Any] = ResponseParameters[User].model_validate(wanted)
    return parameters


# --- discovery ----------------------------------------------------------------------------


def _whole_list(listing: ListResponse[Any]) -> dict[str, Any]:
    dumped: dict[str, Any] = listing.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    return dumped


def _all_on_one_page(resources: list[Any]) -> dict[str, Any]:
    """The fields of a list response that holds every resource on its one page."""
    return {
        "total_results": len(resources),
        "start_index": 1,
        "items_per_page": len(resources),
        "resources": resources,
    }


@scim_endpoint("GET")
def service_provider_config_view(request: HttpRequest, token: OrganisationToken) -> HttpResponse:
    documentation = request.build_absolute_uri(reverse("integrations:tokens"))
    config = service_provider_config(documentation)
    return _response(config.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@scim_endpoint("GET")
def resource_types_view(request: HttpRequest, token: OrganisationToken) -> HttpResponse:
    resources = [user_resource_type()]
    return _response(_whole_list(ListResponse[ResourceType](**_all_on_one_page(resources))))


@scim_endpoint("GET")
def resource_type_view(
    request: HttpRequest, token: OrganisationToken, resource_type_id: str
) -> HttpResponse:
    resource_type = user_resource_type()
    if resource_type_id != resource_type.id:
        raise NotFoundException(
            detail=f"No resource type '{resource_type_id}'. Tandem serves 'User' only."
        )
    return _response(resource_type.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))


@scim_endpoint("GET")
def schemas_view(request: HttpRequest, token: OrganisationToken) -> HttpResponse:
    schemas = discovery_schemas()
    return _response(_whole_list(ListResponse[Schema](**_all_on_one_page(schemas))))


@scim_endpoint("GET")
def schema_view(request: HttpRequest, token: OrganisationToken, schema_id: str) -> HttpResponse:
    for schema in discovery_schemas():
        if schema.id == schema_id:
            return _response(schema.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE))
    raise NotFoundException(detail=f"No schema '{schema_id}'.")


@scim_endpoint("GET", "POST", "PUT", "PATCH", "DELETE")
def not_found_view(request: HttpRequest, token: OrganisationToken, **_: Any) -> HttpResponse:
    raise NotFoundException(
        detail=f"{request.path} is not a SCIM endpoint of Tandem. It serves /Users, "
        "/ServiceProviderConfig, /ResourceTypes and /Schemas."
    )


# --- users --------------------------------------------------------------------------------


def _search(
    request: HttpRequest, token: OrganisationToken, search: SearchRequest[Any]
) -> HttpResponse:
    people = scim_people(organisation_id=token.organisation_id)
    if search.filter:
        people = people.filter(filter_query(str(search.filter)))
    total = people.count()
    start = max(search.start_index or 1, 1)
    count = DEFAULT_PAGE_SIZE if search.count is None else max(0, min(search.count, MAX_RESULTS))
    page = list(people.order_by("pk")[start - 1 : start - 1 + count]) if count else []
    base_url = _base_url(request)
    listing = ListResponse[User](
        total_results=total,
        start_index=start,
        items_per_page=len(page),
        resources=[user_from_person(person, base_url=base_url) for person in page],
    )
    return _response(
        listing.model_dump(scim_ctx=Context.SEARCH_RESPONSE, response_parameters=search)
    )


@scim_endpoint("GET", "POST")
def users_view(request: HttpRequest, token: OrganisationToken) -> HttpResponse:
    if request.method == "GET":
        wanted = {k: request.GET[k] for k in _QUERY_PARAMETERS if k in request.GET}
        search = SearchRequest[User].model_validate(wanted, scim_ctx=Context.SEARCH_REQUEST)
        return _search(request, token, search)
    body = _body(request)
    body.setdefault("active", True)
    user = User.model_validate(body, scim_ctx=Context.RESOURCE_CREATION_REQUEST, scim_policy=POLICY)
    person = scim_user_create(
        organisation=token.organisation, values=values_from_user(user), token=token
    )
    return _written(request, token, person, status=201)


@scim_endpoint("POST")
def search_view(request: HttpRequest, token: OrganisationToken) -> HttpResponse:
    """POST /Users/.search, and /.search (Users are the only resources Tandem serves)."""
    search = SearchRequest[User].model_validate(
        _body(request), scim_ctx=Context.SEARCH_REQUEST, scim_policy=POLICY
    )
    return _search(request, token, search)


@scim_endpoint("GET", "PUT", "PATCH", "DELETE")
def user_view(request: HttpRequest, token: OrganisationToken, scim_id: str) -> HttpResponse:
    if_match = request.headers.get("If-Match")
    if request.method == "GET":
        person = scim_person(organisation_id=token.organisation_id, scim_id=scim_id)
        if person is None:
            raise NotFoundException(detail=f"No user has the SCIM id '{scim_id}'.")
        data = _dump_user(request, person, _response_parameters(request))
        version = data["meta"]["version"] if "meta" in data else ""
        if version and version in request.headers.get("If-None-Match", ""):
            return _response(None, 304, ETag=version)
        return _response(data, ETag=version)
    if request.method == "DELETE":
        scim_user_remove(
            organisation=token.organisation, scim_id=scim_id, token=token, if_match=if_match
        )
        return _response(None, 204)
    if request.method == "PUT":
        body = _body(request)
        base_url = _base_url(request)

        def replaced(person: Person) -> UserValues:
            current = user_from_person(person, base_url=base_url)
            # A PUT without active leaves it as it is (Tandem requires it, providers may not).
            body.setdefault("active", current.active)
            replacement = User.model_validate(
                body, scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST, scim_policy=POLICY
            )
            replacement.replace(current)
            return values_from_user(replacement)

        desired = replaced
    else:
        patch = PatchOp[User].model_validate(
            _body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST, scim_policy=POLICY
        )
        base_url = _base_url(request)

        def patched(person: Person) -> UserValues:
            current = user_from_person(person, base_url=base_url)
            patch.patch(current, POLICY)
            return values_from_user(current)

        desired = patched
    person = scim_user_update(
        organisation=token.organisation,
        scim_id=scim_id,
        desired=desired,
        token=token,
        if_match=if_match,
    )
    return _written(request, token, person)
