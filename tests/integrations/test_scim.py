"""SCIM provisioning by the people import's rules, and who may use each SCIM route.

scim2-tester (tests/integrations/test_scim_conformance.py) checks the protocol; these tests
check Tandem's own promises: tokens decide the organisation, deactivating archives and never
deletes, a manager loop or a bad value is refused with a SCIM error that says what and where
and changes nothing, and every change is audited.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from tandem.audit.models import AuditEvent
from tandem.integrations.services import token_create, token_revoke
from tandem.people.models import Person, PersonStatus
from tests.conftest import Personas
from tests.factories import make_person

pytestmark = pytest.mark.django_db

USER = "urn:ietf:params:scim:schemas:core:2.0:User"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
SCIM_JSON = "application/scim+json"


def _client(secret: str | None) -> Client:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    return Client(**headers)


def _send(client: Client, method: str, path: str, body: Any = None, **extra: Any) -> Any:
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(f"/scim/v2/{path}", data, content_type=SCIM_JSON, **extra)


def _user(user_name: str, email: str, **more: Any) -> dict[str, Any]:
    return {
        "schemas": [USER, ENTERPRISE],
        "userName": user_name,
        "name": {"givenName": "Nia", "familyName": "Okafor"},
        "emails": [{"value": email, "type": "work", "primary": True}],
        "active": True,
        **more,
    }


@pytest.fixture
def scim(personas: Personas) -> Client:
    return _client(token_create(organisation=personas.organisation, kind="scim").secret)


# --- who may use which route: every SCIM route, every kind of token -----------------------

ROUTES = {
    "scim:service_provider_config": ("get", "ServiceProviderConfig"),
    "scim:resource_types": ("get", "ResourceTypes"),
    "scim:resource_type": ("get", "ResourceTypes/User"),
    "scim:schemas": ("get", "Schemas"),
    "scim:schema": ("get", f"Schemas/{USER}"),
    "scim:users": ("get", "Users"),
    "scim:users_search": ("post", "Users/.search"),
    "scim:search": ("post", ".search"),
    "scim:user": ("get", "Users/{manny}"),
    "scim:not_found": ("get", "Groups"),
}

# token kind -> the status every route answers (the valid token: per route, below)
REFUSED = {"none": 401, "api": 401, "revoked scim": 401, "malformed": 401}
WITH_SCIM_TOKEN = {name: 200 for name in ROUTES} | {"scim:not_found": 404}


def _token_for(kind: str, personas: Personas) -> str | None:
    acme = personas.organisation
    if kind == "none":
        return None
    if kind == "malformed":
        return "not-a-token"
    if kind == "api":
        return token_create(organisation=acme, kind="api").secret
    made = token_create(organisation=acme, kind="scim")
    if kind == "revoked scim":
        token_revoke(token=made.token, revoked_by=personas.admin)
    return made.secret


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize("kind", [*REFUSED, "scim", "other organisation's scim"])
def test_every_scim_route_for_every_token_kind(personas: Personas, route: str, kind: str) -> None:
    method, path = ROUTES[route]
    path = path.format(manny=personas.manager_person.pk)
    body = {"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]}
    if kind == "other organisation's scim":
        secret: str | None = token_create(
            organisation=personas.other_organisation, kind="scim"
        ).secret
    else:
        secret = _token_for(kind, personas)
    response = _send(_client(secret), method, path, body if method == "post" else None)
    if kind in REFUSED:
        expected = REFUSED[kind]
    elif kind == "scim":
        expected = WITH_SCIM_TOKEN[route]
    else:  # Globex's token sees Globex only: Acme's Manny does not exist for it.
        expected = 404 if route == "scim:user" else WITH_SCIM_TOKEN[route]
    assert response.status_code == expected, f"{kind} on {route}"
    if response.status_code >= 400:
        error = response.json()
        assert error["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
        assert error["detail"]
    if response.status_code == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_the_token_matrix_covers_every_scim_route() -> None:
    from tests.access.test_matrix import _all_url_names

    assert {name for name in _all_url_names() if name.startswith("scim:")} == set(ROUTES)


def test_a_globex_token_never_lists_acme(personas: Personas) -> None:
    globex = _client(token_create(organisation=personas.other_organisation, kind="scim").secret)
    listed = _send(globex, "get", "Users").json()
    assert [r["userName"] for r in listed["Resources"]] == [personas.outsider_person.email]


# --- provisioning by the import's rules ------------------------------------------------------


def test_a_provisioned_user_becomes_a_person_with_manager_and_department(
    personas: Personas, scim: Client
) -> None:
    body = _user(
        "nia@acme.example",
        "Nia@Acme.example",
        title="Designer",
        **{
            ENTERPRISE: {
                "employeeNumber": "E-77",
                "department": "Design",
                "manager": {"value": str(personas.manager_person.pk)},
            }
        },
    )
    response = _send(scim, "post", "Users", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert response["Location"].endswith(f"/scim/v2/Users/{created['id']}")
    nia = Person.objects.get(pk=created["id"])
    assert (nia.name, nia.email, nia.employee_id, nia.department, nia.title) == (
        "Nia Okafor",
        "nia@acme.example",
        "E-77",
        "Design",
        "Designer",
    )
    assert nia.manager == personas.manager_person and nia.organisation == personas.organisation
    event = AuditEvent.objects.get(action="person.add", target_id=str(nia.pk))
    assert "SCIM" in event.changes["source"]
    # Filtering and paging find her, the way identity providers look users up.
    found = _send(scim, "get", 'Users?filter=userName eq "NIA@acme.example"').json()
    assert [r["id"] for r in found["Resources"]] == [created["id"]]
    page = _send(scim, "get", "Users?startIndex=2&count=2").json()
    assert page["startIndex"] == 2 and page["itemsPerPage"] == 2
    assert page["totalResults"] == Person.objects.filter(organisation=personas.organisation).count()


def test_deactivating_and_deleting_archive_and_never_delete(
    personas: Personas, scim: Client
) -> None:
    emma = personas.employee_person
    off = {"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": False}]}
    response = _send(scim, "patch", f"Users/{emma.pk}", off)
    assert response.status_code == 200 and response.json()["active"] is False
    emma.refresh_from_db()
    assert emma.status == PersonStatus.ARCHIVED and emma.archived_at is not None
    assert AuditEvent.objects.filter(action="person.archive", target_id=str(emma.pk)).exists()
    eli = personas.sibling_person
    assert _send(scim, "delete", f"Users/{eli.pk}").status_code == 204
    eli.refresh_from_db()
    assert eli.status == PersonStatus.ARCHIVED  # still there, with their history
    assert _send(scim, "get", f"Users/{eli.pk}").status_code == 404


def test_a_manager_loop_is_refused_with_what_and_where_and_changes_nothing(
    personas: Personas, scim: Client
) -> None:
    manny, emma = personas.manager_person, personas.employee_person
    loop = {
        "schemas": [PATCH],
        "Operations": [
            {"op": "replace", "path": f"{ENTERPRISE}:manager", "value": {"value": str(emma.pk)}}
        ],
    }
    before = AuditEvent.objects.count()
    response = _send(scim, "patch", f"Users/{manny.pk}", loop)
    assert response.status_code == 400
    error = response.json()
    assert error["scimType"] == "invalidValue"
    assert "manager" in error["detail"] and "loop" in error["detail"]
    assert "Manny Manager" in error["detail"] and "Emma Employee" in error["detail"]
    manny.refresh_from_db()
    assert manny.manager == personas.ceo and AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (_user("x@acme.example", "not an email"), "is not an email address"),
        (_user("", "x@acme.example"), "userName"),
        (_user("x@acme.example", "x@acme.example", title="t" * 500), "title: is 500 characters"),
        (
            _user(
                "x@acme.example", "x@acme.example", **{ENTERPRISE: {"manager": {"value": "999999"}}}
            ),
            "not the SCIM id of anyone",
        ),
    ],
)
def test_a_bad_value_is_refused_and_nothing_is_created(
    personas: Personas, scim: Client, change: dict[str, Any], words: str
) -> None:
    people = Person.objects.count()
    response = _send(scim, "post", "Users", change)
    assert response.status_code == 400, response.content
    assert words in response.json()["detail"]
    assert Person.objects.count() == people


def test_an_email_held_by_someone_else_is_a_uniqueness_error(
    personas: Personas, scim: Client
) -> None:
    emma = personas.employee_person
    response = _send(scim, "post", "Users", _user("emma.again@acme.example", emma.email.upper()))
    assert response.status_code == 409
    assert response.json()["scimType"] == "uniqueness"
    assert f"SCIM id {emma.pk}" in response.json()["detail"]


def test_a_stale_etag_is_refused(personas: Personas, scim: Client) -> None:
    emma = personas.employee_person
    read = _send(scim, "get", f"Users/{emma.pk}")
    version = read["ETag"]
    rename = {
        "schemas": [PATCH],
        "Operations": [{"op": "replace", "path": "title", "value": "Lead"}],
    }
    ok = _send(scim, "patch", f"Users/{emma.pk}", rename, HTTP_IF_MATCH=version)
    assert ok.status_code == 200 and ok["ETag"] != version
    stale = _send(scim, "patch", f"Users/{emma.pk}", rename, HTTP_IF_MATCH=version)
    assert stale.status_code == 412
    assert _send(scim, "get", f"Users/{emma.pk}", HTTP_IF_NONE_MATCH=ok["ETag"]).status_code == 304


def test_people_imported_before_scim_are_found_by_email(personas: Personas, scim: Client) -> None:
    make_person(personas.organisation, "Imported Irma", email="irma@acme.example")
    found = _send(scim, "get", 'Users?filter=emails.value eq "irma@acme.example"').json()
    assert found["totalResults"] == 1
    assert found["Resources"][0]["userName"] == "irma@acme.example"
