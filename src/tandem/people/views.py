from __future__ import annotations

from dataclasses import replace
from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import access
from tandem.accounts.models import User
from tandem.accounts.services import memberships_link_people
from tandem.people import hris
from tandem.people.forms import MappingForm, UploadForm
from tandem.people.models import Organisation, PeopleImport, PeopleImportStatus
from tandem.people.records import FIELD_LABELS, ParsedPeople, SyncPlan
from tandem.people.selectors import (
    chart_children,
    chart_roots,
    direct_reports,
    people_active,
    people_search,
    person_get,
    person_records_by_employee_id,
    reporting_chain,
)
from tandem.people.services import ImportConflict, people_import_apply

PREVIEW_LIMIT = 200


def _organisation(request: HttpRequest) -> Organisation:
    return access.organisation_required(request.user)


@login_required
@require_GET
def chart(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if not access.can_view_organisation_chart(request.user, organisation):
        raise PermissionDenied
    context = {
        "roots": chart_roots(organisation=organisation),
        "people_count": people_active(organisation=organisation).count(),
        "can_import": access.can_import_people(request.user, organisation),
    }
    return render(request, "people/chart.html", context)


@login_required
@require_GET
def chart_branch(request: HttpRequest, person_id: int) -> HttpResponse:
    """The direct reports under one person, loaded when their branch is opened."""
    organisation = _organisation(request)
    manager = person_get(organisation=organisation, person_id=person_id)
    if manager is None:
        raise Http404
    if not access.can_view_organisation_chart(request.user, organisation):
        raise PermissionDenied
    nodes = chart_children(organisation=organisation, manager=manager)
    return render(request, "people/_chart_nodes.html", {"nodes": nodes})


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if not access.can_view_organisation_chart(request.user, organisation):
        raise PermissionDenied
    query = request.GET.get("q", "")
    results = people_search(organisation=organisation, query=query)
    template = (
        "people/_search_results.html" if request.headers.get("HX-Request") else "people/search.html"
    )
    return render(request, template, {"query": query, "results": results})


@login_required
@require_GET
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    organisation = _organisation(request)
    person = person_get(organisation=organisation, person_id=person_id)
    if person is None or not access.can_view_person(request.user, person):
        raise Http404
    context = {
        "person": person,
        "chain": reporting_chain(person=person),
        "reports": direct_reports(person=person),
        "show_private": access.can_view_person_private_details(request.user, person),
        "can_invite": access.can_invite(request.user, organisation)
        and not hasattr(person, "membership"),
        "can_view_growth": access.careers.can_view_growth(request.user, person),
        "can_view_plan": access.growth.can_view_plan(request.user, person),
        "is_me": access.person_of(request.user) == person,
    }
    return render(request, "people/person.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if not access.can_import_people(request.user, organisation):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            table = hris.read_table(data=data, filename=upload.name)
        except hris.HrisFileError as error:
            form.add_error("file", str(error))
        else:
            batch = PeopleImport.objects.create(
                organisation=organisation,
                created_by=cast(User, request.user),
                filename=upload.name,
                data=data,
                mapping=hris.guess_mapping(table.headers),
            )
            return redirect("people:import_review", import_id=batch.pk)
    recent = PeopleImport.objects.filter(organisation=organisation).only(
        "filename", "status", "created_at", "applied_at"
    )[:10]
    return render(request, "people/import_upload.html", {"form": form, "recent": recent})


def _draft_import(request: HttpRequest, import_id: int) -> PeopleImport:
    organisation = _organisation(request)
    if not access.can_import_people(request.user, organisation):
        raise PermissionDenied
    batch = PeopleImport.objects.filter(
        organisation=organisation, pk=import_id, status=PeopleImportStatus.DRAFT
    ).first()
    if batch is None:
        raise Http404(gettext("This import was already applied or discarded."))
    return batch


def _review(
    batch: PeopleImport, table: hris.Table, mapping: dict[str, str | None]
) -> tuple[ParsedPeople, SyncPlan | None]:
    """Validate the file and plan the sync. A plan is returned only when it may be applied."""
    parsed = hris.parse_people(table=table, mapping=mapping)
    if not parsed.ok:
        return parsed, None
    existing = person_records_by_employee_id(organisation=batch.organisation)
    plan = hris.plan_sync(records=parsed.records, existing=existing)
    if plan.conflicts:
        return replace(parsed, problems=plan.conflicts), None
    return parsed, plan


def _table(batch: PeopleImport) -> hris.Table:
    return hris.read_table(data=bytes(batch.data), filename=batch.filename)


@login_required
@require_http_methods(["GET", "POST"])
def import_review(request: HttpRequest, import_id: int) -> HttpResponse:
    """Match columns, then see exactly what would change. Nothing is saved here."""
    batch = _draft_import(request, import_id)
    table = _table(batch)
    form = MappingForm(request.POST or None, headers=table.headers, initial=batch.mapping)
    parsed: ParsedPeople | None = None
    plan: SyncPlan | None = None
    if request.method == "POST":
        if form.is_valid():
            batch.mapping = form.mapping()
            batch.save(update_fields=["mapping"])
            parsed, plan = _review(batch, table, batch.mapping)
    elif form.initial and all(form.initial.get(f) for f in ("employee_id", "name", "email")):
        parsed, plan = _review(batch, table, batch.mapping)
    context = {
        "batch": batch,
        "table": table,
        "form": form,
        "parsed": parsed,
        "plan": plan,
        "limit": PREVIEW_LIMIT,
        "field_labels": FIELD_LABELS,
        "sample_rows": table.rows[:5],
    }
    return render(request, "people/import_review.html", context)


@login_required
@require_POST
def import_apply(request: HttpRequest, import_id: int) -> HttpResponse:
    batch = _draft_import(request, import_id)
    parsed, plan = _review(batch, _table(batch), batch.mapping)
    if plan is None:
        messages.error(request, gettext("The file still has problems, so nothing was imported."))
        return redirect("people:import_review", import_id=batch.pk)
    try:
        outcome = people_import_apply(
            organisation=batch.organisation,
            records=parsed.records,
            actor=request.user,
            source=batch.filename,
        )
    except ImportConflict:
        messages.error(
            request, gettext("Someone changed people in the meantime; review the file again.")
        )
        return redirect("people:import_review", import_id=batch.pk)
    batch.status = PeopleImportStatus.APPLIED
    batch.applied_at = timezone.now()
    batch.save(update_fields=["status", "applied_at"])
    # Accounts made before anyone was imported (the first admin) now find their person.
    memberships_link_people(organisation=batch.organisation)
    messages.success(
        request,
        gettext(
            "Imported %(filename)s: %(added)s added, %(changed)s changed, %(archived)s archived, "
            "%(returned)s back, %(unchanged)s unchanged."
        )
        % {
            "filename": batch.filename,
            "added": outcome.added,
            "changed": outcome.changed,
            "archived": outcome.archived,
            "returned": outcome.returned,
            "unchanged": outcome.unchanged,
        },
    )
    return redirect("people:chart")


@login_required
@require_POST
def import_discard(request: HttpRequest, import_id: int) -> HttpResponse:
    batch = _draft_import(request, import_id)
    batch.status = PeopleImportStatus.DISCARDED
    batch.data = b""
    batch.save(update_fields=["status", "data"])
    messages.info(
        request,
        gettext("Discarded %(filename)s. Nothing was imported.") % {"filename": batch.filename},
    )
    return redirect("people:import_upload")


@login_required
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    if not access.can_import_people(request.user, organisation):
        raise PermissionDenied
    records = [
        record
        for record, active in person_records_by_employee_id(organisation=organisation).values()
        if active
    ]
    response = HttpResponse(hris.write_people_csv(records), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people.csv"'
    return response
