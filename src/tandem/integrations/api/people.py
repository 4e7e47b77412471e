"""People and reporting lines: ``/api/v1/people``."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, Field

from tandem.integrations.api.auth import token_with
from tandem.integrations.api.schemas import ERRORS, PeoplePage, PersonDetail, Problem
from tandem.people.hris import EMAIL_PATTERN, HIGHEST_LEVEL, LOWEST_LEVEL, MAX_LENGTHS
from tandem.people.models import Organisation, Person
from tandem.people.services import PersonChangeRefused, person_change

router = Router(tags=["people"])
PEOPLE_READ = "people:read"
PEOPLE_WRITE = "people:write"
MAX_PAGE = 500


class PeopleQuery(Schema):
    status: Literal["active", "archived"] | None = None
    department: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=100, ge=1, le=MAX_PAGE)
    offset: int = Field(default=0, ge=0)


class PersonChange(Schema):
    """The fields to change; a field left out stays as it is. ``manager_id``, ``track`` and
    ``level`` may be null (no manager, no track, no level)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(default=None, pattern=r"\S", max_length=MAX_LENGTHS["name"])  # type: ignore[assignment]
    email: str = Field(default=None, pattern=EMAIL_PATTERN, max_length=MAX_LENGTHS["email"])  # type: ignore[assignment]
    title: str = Field(default=None, max_length=MAX_LENGTHS["title"])  # type: ignore[assignment]
    department: str = Field(default=None, max_length=MAX_LENGTHS["department"])  # type: ignore[assignment]
    location: str = Field(default=None, max_length=MAX_LENGTHS["location"])  # type: ignore[assignment]
    manager_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    track: Literal["ic", "manager", "lead"] | None = None
    level: int | None = Field(default=None, ge=LOWEST_LEVEL, le=HIGHEST_LEVEL)
    status: Literal["active", "archived"] = Field(default=None)  # type: ignore[arg-type]


def person_out(person: Person) -> dict[str, object]:
    return {
        "id": person.pk,
        "employee_id": person.employee_id,
        "name": person.name,
        "email": person.email,
        "title": person.title,
        "department": person.department,
        "location": person.location,
        "start_date": person.start_date,
        "status": person.status,
        "manager_id": person.manager_id,
        "track": person.track,
        "level": person.level,
    }


@router.get("/people", response={200: PeoplePage, **ERRORS}, summary="List people")
def people_list(request: HttpRequest, query: Query[PeopleQuery]) -> dict[str, object]:
    """Everyone in the organisation (archived people too, unless ``status`` says otherwise),
    ordered by id, ``limit`` at a time from ``offset``."""
    token = token_with(request, PEOPLE_READ)
    people = Person.objects.in_organisation(token.organisation).order_by("pk")
    if query.status:
        people = people.filter(status=query.status)
    if query.department is not None:
        people = people.filter(department=query.department)
    page = people[query.offset : query.offset + query.limit]
    return {"count": people.count(), "items": [person_out(p) for p in page]}


@router.get("/people/{person_id}", response={200: PersonDetail, **ERRORS}, summary="One person")
def person_detail(request: HttpRequest, person_id: int) -> dict[str, object]:
    """A person with the ids of their direct reports (active and archived)."""
    token = token_with(request, PEOPLE_READ)
    return _detail(token.organisation, person_id)


def _detail(organisation: Organisation, person_id: int) -> dict[str, object]:
    person = Person.objects.in_organisation(organisation).filter(pk=person_id).first()
    if person is None:
        raise HttpError(404, f"No person with id {person_id} in this organisation.")
    reports = list(person.reports.order_by("pk").values_list("pk", flat=True))
    return {**person_out(person), "direct_report_ids": reports}


@router.patch(
    "/people/{person_id}",
    response={200: PersonDetail, 400: Problem, 409: Problem, **ERRORS},
    summary="Change a person",
)
def person_update(request: HttpRequest, person_id: int, change: PersonChange) -> Any:
    """Change some of a person's fields by the people import's rules. A value of the wrong
    shape is refused with 422; a change that the organisation's people as they are now rule
    out is refused with 409, saying why: an email someone else has, a manager who is not in
    the organisation, a loop in reporting lines (naming the people in it). Someone who leaves
    is archived with ``"status": "archived"``, never deleted. Audited with the token's name."""
    token = token_with(request, PEOPLE_WRITE)
    changes: dict[str, Any] = change.model_dump(exclude_unset=True)
    try:
        person_change(
            organisation=token.organisation,
            person_id=person_id,
            changes=changes,
            actor_label=str(token)[:254],
            source=f"REST API ({token.visible})",
        )
    except Person.DoesNotExist:
        raise HttpError(404, f"No person with id {person_id} in this organisation.") from None
    except PersonChangeRefused as refusal:
        raise HttpError(409 if refusal.conflict else 422, str(refusal)) from None
    return _detail(token.organisation, person_id)
