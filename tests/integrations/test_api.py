"""The REST API: every route against every kind of token, what each route shows, and what no
route ever shows (answers, comments, reports)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from tandem.careers.services.framework import framework_default_install
from tandem.integrations.services import token_create, token_revoke
from tandem.people.models import PersonStatus
from tandem.vision.services.cascade import goal_create, vision_save
from tests.access.test_matrix import client_for
from tests.conftest import Personas
from tests.cycles.builders import fill_sheet, launched_cycle, released_participant

pytestmark = pytest.mark.django_db


def _client(secret: str | None) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}") if secret else Client()


def _furnished(p: Personas) -> dict[str, int]:
    """Something behind every route: an open cycle with one answered sheet, Emma's released
    report, a framework, a goal."""
    released = released_participant(p)
    cycle = launched_cycle(p)
    fill_sheet(cycle.participants.get().nominations.get(group="self"), 4)
    framework_default_install(organisation=p.organisation, actor=p.hr)
    vision_save(organisation=p.organisation, destination="Somewhere", why="Because", actor=p.ceo)
    goal_create(
        organisation=p.organisation,
        team=p.manager_person,
        owner=p.manager_person,
        title="Ship it",
        meaning="It ships",
        why="Users wait",
        links_to_vision=True,
        actor=p.manager,
    )
    return {"cycle": cycle.pk, "person": p.employee_person.pk, "participant": released.pk}


# route -> (method, path, the scope it needs)
ROUTES = {
    "api:people_list": ("get", "/api/v1/people", "people:read"),
    "api:person_detail": ("get", "/api/v1/people/{person}", "people:read"),
    "api:person_update": ("patch", "/api/v1/people/{person}", "people:write"),
    "api:cycle_list": ("get", "/api/v1/cycles", "cycles:read"),
    "api:cycle_detail": ("get", "/api/v1/cycles/{cycle}", "cycles:read"),
    "api:framework": ("get", "/api/v1/careers/framework", "careers:read"),
    "api:placements": ("get", "/api/v1/careers/placements", "careers:read"),
    "api:goals": ("get", "/api/v1/goals", "goals:read"),
    "api:my_reports": ("get", "/api/v1/me/reports", "results:read"),
    "api:my_report": ("get", "/api/v1/me/reports/{participant}", "results:read"),
}
# What a write route is sent in the matrix: a change that is allowed.
BODIES = {"api:person_update": {"title": "Staff Engineer"}}
# Open to all: the schema describes the API, holds no data, and tools read it before a token.
OPEN = {"api:openapi-json": "/api/v1/openapi.json"}
# ninja's own root: nothing is served there.
NOTHING = {"api:api-root": "/api/v1/"}
KINDS = [
    "none",
    "malformed",
    "scim token",
    "revoked api token",
    "api token without the scope",
    "other organisation's api token",
    "api token",
]
DETAIL_ROUTES = {"api:person_detail", "api:person_update", "api:cycle_detail", "api:my_report"}


def _secret(kind: str, p: Personas, scope: str) -> str | None:
    """A token of ``kind``; for a route of a personal scope, "api token" means the personal
    token of the person whose report it is (Emma), and "without the scope" an API token."""
    if scope == "results:read" and kind in {
        "api token",
        "revoked api token",
        "other organisation's api token",
        "api token without the scope",
    }:
        if kind == "api token without the scope":
            return token_create(organisation=p.organisation, kind="api").secret
        user, organisation = p.employee, p.organisation
        if kind == "other organisation's api token":
            user, organisation = p.outsider, p.other_organisation
        made = token_create(organisation=organisation, kind="personal", user=user)
        if kind == "revoked api token":
            token_revoke(token=made.token, revoked_by=user)
        return made.secret
    organisation = p.organisation
    if kind == "none":
        return None
    if kind == "malformed":
        return "tandem_api_nothing"
    if kind == "scim token":
        return token_create(organisation=organisation, kind="scim").secret
    if kind == "other organisation's api token":
        organisation = p.other_organisation
    others = [s for s in ("people:read", "goals:read") if s != scope]
    scopes = others if kind == "api token without the scope" else [scope]
    made = token_create(organisation=organisation, kind="api", scopes=scopes)
    if kind == "revoked api token":
        token_revoke(token=made.token, revoked_by=p.admin)
    return made.secret


def _expected(kind: str, route: str) -> int:
    if kind in {"none", "malformed", "scim token", "revoked api token"}:
        return 401
    if kind == "api token without the scope":
        return 403
    if kind == "other organisation's api token":  # Globex's token sees Globex only
        return 404 if route in DETAIL_ROUTES or route == "api:framework" else 200
    return 200


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize("kind", KINDS)
def test_every_api_route_for_every_token_kind(personas: Personas, route: str, kind: str) -> None:
    ids = _furnished(personas)
    method, path, scope = ROUTES[route]
    client = _client(_secret(kind, personas, scope))
    if method == "get":
        response = client.get(path.format(**ids))
    else:
        response = getattr(client, method)(
            path.format(**ids), json.dumps(BODIES[route]), content_type="application/json"
        )
    assert response.status_code == _expected(kind, route), f"{kind} on {route}"
    body = response.json()
    if response.status_code >= 400:
        assert isinstance(body["detail"], str) and body["detail"]
    if response.status_code == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")
    if response.status_code == 403:
        assert scope in body["detail"]
    if kind == "other organisation's api token" and response.status_code == 200:
        text = json.dumps(body)
        for acme in (personas.employee_person, personas.manager_person, personas.ceo):
            assert acme.email not in text and acme.name not in text
        assert "Ship it" not in text and "Autumn 360" not in text


@pytest.mark.parametrize("kind", KINDS)
def test_the_schema_is_open_and_the_root_serves_nothing(personas: Personas, kind: str) -> None:
    client = _client(_secret(kind, personas, "people:read"))
    schema = client.get(OPEN["api:openapi-json"])
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    assert client.get(NOTHING["api:api-root"]).status_code == 404


def test_the_token_matrix_covers_every_api_route(personas: Personas) -> None:
    """Every URL and every operation the schema describes (method and path) is in ROUTES."""
    from tests.access.test_matrix import _all_url_names

    served = {name for name in _all_url_names() if name.startswith("api:")}
    assert served <= set(ROUTES) | set(OPEN) | set(NOTHING)
    schema = _client(None).get(OPEN["api:openapi-json"]).json()
    operations = {
        (method, re.sub(r"\{[^}]+\}", "{}", path))
        for path, item in schema["paths"].items()
        for method in item
    }
    listed = {(method, re.sub(r"\{[^}]+\}", "{}", path)) for method, path, _ in ROUTES.values()}
    assert operations == listed


def test_no_route_serves_answers_comments_or_item_figures(personas: Personas) -> None:
    """Scores appear only in a personal token's own reports (the figures the report shows)."""
    schema = _client(None).get("/api/v1/openapi.json").json()
    names: set[str] = set()
    for component in schema["components"]["schemas"].values():
        names |= set(component.get("properties", {}))
    names |= {path for path in schema["paths"]}
    forbidden = ("answer", "comment", "value", "rater", "report_data", "item_id", "question")
    assert not {name for name in names if any(word in name.lower() for word in forbidden)}


def test_people_pages_filter_and_show_reporting_lines(personas: Personas) -> None:
    secret = token_create(organisation=personas.organisation, kind="api").secret
    client = _client(secret)
    personas.outsider_person.refresh_from_db()
    everyone = client.get("/api/v1/people").json()
    acme = personas.organisation.people.count()
    assert everyone["count"] == acme == len(everyone["items"])
    first = client.get("/api/v1/people?limit=2&offset=1").json()
    assert first["count"] == acme and [p["id"] for p in first["items"]] == [
        p["id"] for p in everyone["items"][1:3]
    ]
    manny = client.get(f"/api/v1/people/{personas.manager_person.pk}").json()
    assert personas.employee_person.pk in manny["direct_report_ids"]
    emma = client.get(f"/api/v1/people/{personas.employee_person.pk}").json()
    assert emma["manager_id"] == personas.manager_person.pk
    personas.employee_person.status = PersonStatus.ARCHIVED
    personas.employee_person.save(update_fields=["status"])
    archived = client.get("/api/v1/people?status=archived").json()
    assert [p["id"] for p in archived["items"]] == [personas.employee_person.pk]
    engineering = client.get("/api/v1/people?department=Engineering").json()
    assert {p["department"] for p in engineering["items"]} == {"Engineering"}
    bad = client.get("/api/v1/people?limit=0")
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["query", "limit"]
    assert client.get("/api/v1/people?status=gone").status_code == 422


def test_a_cycle_shows_counts_of_sheets_never_answers(personas: Personas) -> None:
    ids = _furnished(personas)
    client = _client(token_create(organisation=personas.organisation, kind="api").secret)
    cycle = client.get(f"/api/v1/cycles/{ids['cycle']}").json()
    assert cycle["status"] == "open" and cycle["participants"] == 1
    own = next(g for g in cycle["groups"] if g["group"] == "self")
    # Emma answered her own sheet and has not sent it yet.
    assert own == {"group": "self", "label": own["label"], "asked": 1, "started": 1, "finished": 0}
    assert cycle["reports_prepared"] is None
    assert ids["cycle"] in [c["id"] for c in client.get("/api/v1/cycles").json()]


def test_the_framework_and_goals_read_as_the_pages_show_them(personas: Personas) -> None:
    _furnished(personas)
    client = _client(token_create(organisation=personas.organisation, kind="api").secret)
    framework = client.get("/api/v1/careers/framework").json()
    assert {t["key"] for t in framework["tracks"]} >= {"ic", "manager"}
    level = framework["tracks"][0]["levels"][0]
    assert level["criteria"] and level["criteria"][0]["text"]
    goals = client.get("/api/v1/goals").json()
    assert goals["vision"] == "Somewhere"
    (goal,) = goals["goals"]
    assert goal["title"] == "Ship it" and goal["team_manager_id"] == personas.manager_person.pk
    placements = client.get("/api/v1/careers/placements").json()
    assert {p["person_id"] for p in placements} == set(
        personas.organisation.people.filter(status="active").values_list("pk", flat=True)
    )


def test_a_token_is_limited_per_minute_with_a_retry_after(
    personas: Personas, settings: Any
) -> None:
    settings.API_REQUESTS_PER_MINUTE = 3
    client = _client(token_create(organisation=personas.organisation, kind="api").secret)
    statuses = [client.get("/api/v1/cycles").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
    limited = client.get("/api/v1/cycles")
    assert 0 < int(limited["Retry-After"]) <= 60 and "Too many requests" in limited.json()["detail"]
    other = _client(token_create(organisation=personas.organisation, kind="api").secret)
    assert other.get("/api/v1/cycles").status_code == 200  # counted per token


def test_a_personal_token_reads_the_figures_its_person_reads_on_the_report(
    personas: Personas,
) -> None:
    from tandem.cycles.reporting.export import report_csv_rows
    from tandem.cycles.reporting.rendered import rendered

    participant = released_participant(personas, peers=4)
    emma = _client(
        token_create(
            organisation=personas.organisation, kind="personal", user=personas.employee
        ).secret
    )
    (listed,) = emma.get("/api/v1/me/reports").json()
    assert listed["participant_id"] == participant.pk and listed["own"] is True
    figures = emma.get(f"/api/v1/me/reports/{participant.pk}").json()
    view = rendered(participant, participant.report).view()
    csv_rows = [row[1:4] for row in list(report_csv_rows(view))[1:]]
    api_rows = [[g["title"], g["n"], g["mean"]] for s in figures["scales"] for g in s["groups"]]
    assert api_rows == csv_rows and api_rows  # the same figures as the report's own export
    # Her personal token reads nothing of the organisation's.
    assert emma.get("/api/v1/people").status_code == 403

    # Manny reads Emma's report only while she lets him.
    participant.manager_may_view = False
    participant.save(update_fields=["manager_may_view"])
    manny_secret = token_create(
        organisation=personas.organisation, kind="personal", user=personas.manager
    ).secret
    manny = _client(manny_secret)
    assert manny.get("/api/v1/me/reports").json() == []
    assert manny.get(f"/api/v1/me/reports/{participant.pk}").status_code == 404
    participant.manager_may_view = True
    participant.save(update_fields=["manager_may_view"])
    (shared,) = manny.get("/api/v1/me/reports").json()
    assert shared["participant_id"] == participant.pk and shared["own"] is False
    assert manny.get(f"/api/v1/me/reports/{participant.pk}").status_code == 200
    # The people team and admins never read a report, through the API either.
    for user in (personas.hr, personas.admin):
        secret = token_create(organisation=personas.organisation, kind="personal", user=user)
        assert _client(secret.secret).get("/api/v1/me/reports").json() == []
    # A person who leaves: their token stops.
    personas.manager.is_active = False
    personas.manager.save(update_fields=["is_active"])
    assert _client(manny_secret).get("/api/v1/me/reports").status_code == 401


def test_personal_tokens_are_made_by_their_person_only(personas: Personas) -> None:
    from tandem.integrations.services import TokenError

    with pytest.raises(TokenError, match="made by its own person"):
        token_create(organisation=personas.organisation, kind="personal")
    with pytest.raises(TokenError, match="not a member"):
        token_create(organisation=personas.organisation, kind="personal", user=personas.outsider)
    page = client_for("employee", personas).post("/integrations/my-tokens/", {"name": "notebook"})
    text = page.content.decode()
    assert page.status_code == 200 and "tandem_personal_" in text
    assert page["Cache-Control"] == "no-store"
    admin_page = client_for("admin", personas).get("/integrations/tokens/").content.decode()
    assert "notebook" not in admin_page  # people's own tokens are theirs, not the admin's list


def _writer(p: Personas) -> Client:
    secret = token_create(
        organisation=p.organisation, kind="api", scopes=["people:read", "people:write"]
    ).secret
    return _client(secret)


def _patch(client: Client, person_id: int, body: dict[str, Any]) -> Any:
    return client.patch(
        f"/api/v1/people/{person_id}", json.dumps(body), content_type="application/json"
    )


def test_a_person_is_changed_by_the_import_rules_and_audited(personas: Personas) -> None:
    from tandem.audit.models import AuditEvent

    client = _writer(personas)
    emma = personas.employee_person
    response = _patch(
        client,
        emma.pk,
        {"title": "Staff Engineer", "manager_id": personas.ceo.pk, "track": "lead", "level": 5},
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["manager_id"], body["track"], body["level"]) == (
        "Staff Engineer",
        personas.ceo.pk,
        "lead",
        5,
    )
    event = AuditEvent.objects.get(action="person.update", target_id=str(emma.pk))
    assert event.changes["title"] == [emma.title, "Staff Engineer"]
    assert event.changes["source"].startswith("REST API (tandem_api_")
    assert event.actor is None and event.actor_label
    # null clears the manager, the track and the level; a field left out stays.
    cleared = _patch(client, emma.pk, {"manager_id": None, "track": None, "level": None}).json()
    assert (cleared["manager_id"], cleared["track"], cleared["level"], cleared["title"]) == (
        None,
        "",
        None,
        "Staff Engineer",
    )
    # Someone who leaves is archived, never deleted.
    archived = _patch(client, emma.pk, {"status": "archived"})
    assert archived.json()["status"] == "archived"
    assert AuditEvent.objects.filter(action="person.archive", target_id=str(emma.pk)).exists()


def test_a_change_that_breaks_a_rule_changes_nothing_and_says_why(personas: Personas) -> None:
    client = _writer(personas)
    manny, emma = personas.manager_person, personas.employee_person
    before = client.get(f"/api/v1/people/{manny.pk}").json()
    loop = _patch(client, manny.pk, {"title": "Boss", "manager_id": emma.pk})
    assert loop.status_code == 409
    assert "loop" in loop.json()["detail"] and "Emma Employee" in loop.json()["detail"]
    taken = _patch(client, manny.pk, {"title": "Boss", "email": emma.email.upper()})
    assert taken.status_code == 409 and "Emma Employee" in taken.json()["detail"]
    nobody = _patch(client, manny.pk, {"manager_id": 2_000_000})
    assert nobody.status_code == 409 and "2000000" in nobody.json()["detail"]
    outsider = _patch(client, manny.pk, {"manager_id": personas.outsider_person.pk})
    assert outsider.status_code == 409  # another organisation's person is nobody here
    malformed = (
        {"name": ""},
        {"name": "   "},
        {"name": None},
        {"email": "not-an-address"},
        {"level": 12},
        {"track": "boss"},
        {"shoe": 1},
    )
    for bad in malformed:
        assert _patch(client, manny.pk, bad).status_code == 422, bad
    assert client.get(f"/api/v1/people/{manny.pk}").json() == before
    reading_only = _client(token_create(organisation=personas.organisation, kind="api").secret)
    refused = _patch(reading_only, manny.pk, {"title": "Boss"})
    assert refused.status_code == 403 and "people:write" in refused.json()["detail"]
