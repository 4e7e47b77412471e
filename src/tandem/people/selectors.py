"""Reads for organisations and people. Every read is scoped to one organisation."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from tandem.people.models import Organisation, Person, PersonStatus
from tandem.people.records import PersonRecord


def person_records_by_employee_id(
    *, organisation: Organisation, for_update: bool = False
) -> dict[str, tuple[PersonRecord, bool]]:
    """Everyone Tandem knows in the organisation, as records, with whether they are active."""
    people = Person.objects.filter(organisation=organisation).select_related("manager")
    if for_update:
        people = people.select_for_update(of=("self",))
    return {
        p.employee_id: (
            PersonRecord(
                employee_id=p.employee_id,
                name=p.name,
                email=p.email,
                manager_id=p.manager.employee_id if p.manager else "",
                title=p.title,
                department=p.department,
                location=p.location,
                start_date=p.start_date,
                track=p.track,
                level=p.level,
            ),
            p.status == PersonStatus.ACTIVE,
        )
        for p in people
    }


def people_active(*, organisation: Organisation) -> QuerySet[Person]:
    return Person.objects.filter(organisation=organisation, status=PersonStatus.ACTIVE)


def person_get(*, organisation: Organisation, person_id: int) -> Person | None:
    return (
        Person.objects.filter(organisation=organisation, pk=person_id)
        .select_related("manager")
        .first()
    )


@dataclass(frozen=True)
class ChartNode:
    person: Person
    report_count: int


def _with_report_counts(people: QuerySet[Person]) -> list[ChartNode]:
    annotated = people.annotate(
        active_reports=Count("reports", filter=Q(reports__status=PersonStatus.ACTIVE))
    ).order_by("name")
    return [ChartNode(person=p, report_count=p.active_reports) for p in annotated]


def chart_roots(*, organisation: Organisation) -> list[ChartNode]:
    """The top of the chart: active people whose manager is absent or has left."""
    active = people_active(organisation=organisation)
    roots = active.filter(Q(manager__isnull=True) | ~Q(manager__status=PersonStatus.ACTIVE))
    return _with_report_counts(roots)


def chart_children(*, organisation: Organisation, manager: Person) -> list[ChartNode]:
    return _with_report_counts(people_active(organisation=organisation).filter(manager=manager))


def people_search(*, organisation: Organisation, query: str, limit: int = 25) -> list[Person]:
    query = query.strip()
    if not query:
        return []
    return list(
        people_active(organisation=organisation)
        .filter(Q(name__icontains=query) | Q(title__icontains=query))
        .select_related("manager")
        .order_by("name")[:limit]
    )


def reporting_chain(*, person: Person) -> list[Person]:
    """From the person's manager up to the top; stops on a loop rather than spinning."""
    chain: list[Person] = []
    seen = {person.pk}
    current = person.manager
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.manager
    return chain


def direct_reports(*, person: Person) -> QuerySet[Person]:
    return person.reports.filter(status=PersonStatus.ACTIVE).order_by("name")


def department_names(*, organisation: Organisation) -> list[str]:
    return list(
        people_active(organisation=organisation)
        .exclude(department="")
        .order_by("department")
        .values_list("department", flat=True)
        .distinct()
    )


def organisation_named(text: str) -> Organisation:
    """The organisation a command line names by id or exact name; LookupError says what exists."""
    by_name = list(Organisation.objects.filter(name=text)[:2])
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        raise LookupError(
            f"More than one organisation is called '{text}'. Give its id instead "
            f"({', '.join(str(o.pk) for o in Organisation.objects.filter(name=text))})."
        )
    if text.strip().isdigit():
        found = Organisation.objects.filter(pk=int(text)).first()
        if found is not None:
            return found
    raise LookupError(
        f"No organisation has the id or exact name '{text}'. Organisations: "
        + (
            ", ".join(f"{o.pk} ({o.name})" for o in Organisation.objects.order_by("pk")[:20])
            or "none yet"
        )
        + "."
    )


def reporting_loop(*, person: Person, manager: Person) -> list[Person]:
    """The chain ``[manager, their manager, …, person]`` that would go round in a loop if
    ``person`` reported to ``manager``; empty when there would be no loop."""
    chain = [manager]
    seen = {manager.pk}
    current = manager
    while current.manager_id is not None and current.manager_id not in seen:
        if current.manager_id == person.pk:
            return [*chain, person]
        seen.add(current.manager_id)
        current = Person.objects.only("pk", "name", "employee_id", "status", "manager_id").get(
            pk=current.manager_id
        )
        chain.append(current)
    return [*chain, person] if manager.pk == person.pk else []
