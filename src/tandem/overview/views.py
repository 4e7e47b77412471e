"""The organisation view: the page, its CSV and its PDF, all from one OrganisationView."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from tandem import access
from tandem.cycles.models import Cycle
from tandem.cycles.reporting.numbers import format_score
from tandem.overview.bench import leadership_bench
from tandem.overview.charts import heatmap_svg, placements_svg
from tandem.overview.export import organisation_csv
from tandem.overview.pdf import render_organisation_pdf
from tandem.overview.selectors import OrganisationView, organisation_view, released_cycles
from tandem.people.models import Organisation


def _organisation(request: HttpRequest) -> Organisation:
    organisation = access.organisation_required(request.user)
    if not access.overview.can_view_organisation_view(request.user, organisation):
        raise PermissionDenied
    return organisation


def _chosen_cycle(request: HttpRequest, organisation: Organisation) -> Cycle | None:
    """``?cycle=ID`` among the released cycles, else the newest; a wrong id is a 404."""
    cycles = released_cycles(organisation=organisation)
    wanted = request.GET.get("cycle", "")
    if not wanted:
        return cycles.first()
    if not wanted.isdigit():
        raise Http404
    chosen = cycles.filter(pk=int(wanted)).first()
    if chosen is None:
        raise Http404
    return chosen


def _heatmap_data(view: OrganisationView) -> dict[str, Any]:
    """What the page's chart script draws (the same cells as the table and the PDF), with the
    numbers and counts already worded in the reader's language (``*_text``)."""
    return {
        "columns": list(view.column_labels),
        "departments": list(view.departments),
        "low": view.colour_low,
        "high": view.colour_high,
        "low_text": number_format(f"{view.colour_low:.1f}", decimal_pos=1),
        "high_text": number_format(f"{view.colour_high:.1f}", decimal_pos=1),
        "cells": [
            {
                "department": cell.department,
                "label": cell.label,
                "row": cell.row,
                "first": cell.first_column,
                "last": cell.last_column,
                "n": cell.n,
                "n_text": ngettext("%(n)s participant", "%(n)s participants", cell.n)
                % {"n": cell.n},
                "leadership": round(cell.leadership, 4),
                "management": round(cell.management, 4),
                "leadership_text": format_score(cell.leadership),
                "management_text": format_score(cell.management),
            }
            for cell in view.cells
        ],
    }


def _view(request: HttpRequest) -> tuple[Organisation, OrganisationView]:
    organisation = _organisation(request)
    cycle = _chosen_cycle(request, organisation)
    return organisation, organisation_view(cycle=cycle, reader=request.user)


def _context(request: HttpRequest) -> dict[str, Any]:
    """What the page and the PDF show: the view, its charts and the bench."""
    organisation, view = _view(request)
    bench = None
    if access.overview.can_view_leadership_bench(request.user, organisation):
        bench = leadership_bench(organisation=organisation, reader=request.user)
    return {
        "organisation": organisation,
        "cycles": released_cycles(organisation=organisation),
        "view": view,
        "bench": bench,
        "heatmap_data": _heatmap_data(view),
        "leadership_svg": heatmap_svg(view, measure="leadership") if view.cells else "",
        "management_svg": heatmap_svg(view, measure="management") if view.cells else "",
        "placements_svg": placements_svg(view) if view.placements else "",
    }


def _filename(view: OrganisationView, extension: str) -> str:
    name = slugify(view.cycle.name) if view.cycle is not None else "no-cycle"
    return f"tandem-organisation-{name or 'cycle'}.{extension}"


@login_required
@require_GET
def organisation(request: HttpRequest) -> HttpResponse:
    """Leadership and management by department and level, placements, the leadership bench."""
    return render(request, "overview/organisation.html", _context(request))


@login_required
@require_GET
def organisation_export_csv(request: HttpRequest) -> HttpResponse:
    _, view = _view(request)
    response = HttpResponse(organisation_csv(view), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(view, "csv")}"'
    return response


@login_required
@require_GET
def organisation_export_pdf(request: HttpRequest) -> HttpResponse:
    context = _context(request)
    context["made_on"] = timezone.localdate()
    view: OrganisationView = context["view"]
    response = HttpResponse(render_organisation_pdf(context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(view, "pdf")}"'
    return response
