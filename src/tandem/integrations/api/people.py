"""People and reporting lines: ``/api/v1/people``."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from tandem.integrations.api.auth import token_with
from tandem.integrations.api.schemas import ERRORS, PeoplePage, PersonDetail
from tandem.people.models import Person

router = Router(tags=["people"])
PEOPLE_READ = "people:read"
MAX_PAGE = 500


class PeopleQuery(Schema):
    status: Literal["active", "archived"] | None = None
    department: str | None = Field(default=None, max_length=200)
    limit: int = Field(default=100, ge=1, le=MAX_PAGE)
    offset: int = Field(default=0, ge=0)


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
    person = Person.objects.in_organisation(token.organisation).filter(pk=person_id).first()
    if person is None:
        raise HttpError(404, f"No person with id {person_id} in this organisation.")
    reports = list(person.reports.order_by("pk").values_list("pk", flat=True))
    return {**person_out(person), "direct_report_ids": reports}
