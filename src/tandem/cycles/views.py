"""Pages for everyone: my cycles, choosing raters, approving a list, reading a report."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from tandem import access
from tandem.cycles import selectors
from tandem.cycles.forms import NominationForm
from tandem.cycles.models import CycleStatus, NominationsState, Participant
from tandem.cycles.reporting.export import report_csv_rows
from tandem.cycles.reporting.presentation import ReportView
from tandem.cycles.reporting.rendered import (
    RenderedReport,
    rendered,
    report_body,
    report_data_digest,
    report_pdf_bytes,
)
from tandem.cycles.services import (
    CycleError,
    nomination_add,
    nomination_remove,
    nominations_approve,
    nominations_submit,
    participant_set_manager_view,
)
from tandem.web.inputs import whole_number


def _participant(request: HttpRequest, participant_id: int) -> Participant:
    organisation = access.organisation_required(request.user)
    participant = (
        Participant.objects.filter(pk=participant_id, cycle__organisation=organisation)
        .select_related("cycle__instrument", "cycle__organisation", "person__manager")
        .first()
    )
    if participant is None:
        raise Http404
    return participant


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    organisation = access.organisation_required(request.user)
    if not access.cycles.can_view_cycles(request.user, organisation):
        raise PermissionDenied
    person = access.person_of(request.user)
    team_reports = list(selectors.team_reports(person).select_related("person")) if person else []
    context = {
        "participations": selectors.participations_of(person) if person else [],
        "sheets": selectors.sheets_to_fill(person) if person else [],
        "reviews": selectors.reviews_waiting(person) if person else [],
        "team_reports": [
            (p, access.growth.can_view_plan(request.user, p.person)) for p in team_reports
        ],
        "can_manage": access.cycles.can_manage_cycles(request.user, organisation),
    }
    return render(request, "cycles/home.html", context)


def _nomination_form(request: HttpRequest, participant: Participant) -> NominationForm:
    data = request.POST if request.POST.get("do") == "add" else None
    return NominationForm(data, participant=participant)


def _edit_list(request: HttpRequest, participant: Participant) -> str | None:
    """Handle add / remove on a list of raters. Returns an error message, or None."""
    do = request.POST.get("do")
    try:
        if do == "add":
            form = NominationForm(request.POST, participant=participant)
            if not form.is_valid():
                return "; ".join(str(e) for errors in form.errors.values() for e in errors)
            nomination_add(
                participant=participant,
                rater=form.cleaned_data["rater"],
                group=form.cleaned_data["group"],
                actor=request.user,
            )
            messages.success(
                request, gettext("%(name)s added.") % {"name": form.cleaned_data["rater"].name}
            )
        elif do == "remove":
            chosen = whole_number(request.POST.get("nomination"))
            nomination = (
                participant.nominations.filter(pk=chosen).first() if chosen is not None else None
            )
            if nomination is None:
                raise Http404
            nomination_remove(nomination=nomination, actor=request.user)
            messages.success(
                request, gettext("%(name)s removed.") % {"name": nomination.rater.name}
            )
    except CycleError as exc:
        return str(exc)
    return None


def _list_context(participant: Participant) -> dict[str, object]:
    return {
        "participant": participant,
        "cycle": participant.cycle,
        "nominations": participant.nominations.exclude(group="self").select_related("rater"),
        "warnings": [o.sentence() for o in selectors.group_outcomes(participant)],
        "form": NominationForm(participant=participant),
    }


@login_required
@require_http_methods(["GET", "POST"])
def participate(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """The participant's page: rate yourself, choose raters, decide who reads the report."""
    organisation = access.organisation_required(request.user)
    person = access.person_of(request.user)
    participant = (
        Participant.objects.filter(
            cycle_id=cycle_id, cycle__organisation=organisation, person=person
        )
        .select_related("cycle")
        .first()
        if person
        else None
    )
    if participant is None:
        raise Http404
    if not access.cycles.can_take_part(request.user, participant):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        do = request.POST.get("do")
        editable = participant.nominations_state == NominationsState.OPEN
        if do in ("add", "remove") and editable:
            error = _edit_list(request, participant)
        elif do == "submit" and editable:
            try:
                nominations_submit(participant=participant, actor=request.user)
                messages.success(request, gettext("Sent to your manager for approval."))
            except CycleError as exc:
                error = str(exc)
        elif do == "manager_view":
            allowed = request.POST.get("allowed") == "yes"
            participant_set_manager_view(
                participant=participant, allowed=allowed, actor=request.user
            )
            messages.success(
                request,
                gettext("Your manager will be able to read your report.")
                if allowed
                else gettext("Only you will be able to read your report."),
            )
        elif do in ("add", "remove", "submit"):
            error = gettext("Your list has been sent: your manager can still change it.")
        if error is None:
            return redirect("cycles:participate", cycle_id=cycle_id)
    context = _list_context(participant)
    context.update(
        {
            "self_sheet": participant.nominations.filter(group="self").first(),
            "editable": participant.nominations_state == NominationsState.OPEN
            and participant.cycle.status == CycleStatus.OPEN,
            "error": error,
        }
    )
    return render(request, "cycles/participate.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, participant_id: int) -> HttpResponse:
    """The manager checks the list, changes it if needed, and approves it."""
    participant = _participant(request, participant_id)
    if not access.cycles.can_review_nominations(request.user, participant):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        do = request.POST.get("do")
        if participant.cycle.status != CycleStatus.OPEN:
            error = gettext("This cycle is not open.")
        elif do in ("add", "remove"):
            error = _edit_list(request, participant)
        elif do == "approve":
            try:
                nominations_approve(participant=participant, actor=request.user)
                messages.success(request, gettext("Approved: every rater now has their link."))
            except CycleError as exc:
                error = str(exc)
        if error is None:
            return redirect("cycles:review", participant_id=participant.pk)
    context = _list_context(participant)
    context["error"] = error
    return render(request, "cycles/review.html", context, status=400 if error else 200)


# --- reports ------------------------------------------------------------------------------


def _rendered(request: HttpRequest, participant_id: int) -> RenderedReport:
    """A released report its reader may open, in the reader's language.

    One query reads the participant with their cycle, their person and the report's kept
    renderings (not the report's data, which only a fresh rendering decodes), so a report
    already rendered costs that query and the comments'.
    """
    organisation = access.organisation_required(request.user)
    found = list(
        Participant.objects.filter(pk=participant_id, cycle__organisation=organisation)
        .select_related("cycle", "person", "report")
        .defer("cycle__statistics", "report__data")
        .annotate(data_digest=report_data_digest("report__data"))
        .order_by()[:1]
    )
    if not found:
        raise Http404
    participant = found[0]
    participant.cycle.organisation = organisation  # the filter above made sure of it
    if not access.cycles.can_view_report(request.user, participant):
        raise PermissionDenied
    stored = getattr(participant, "report", None)
    if stored is None:
        raise Http404
    return rendered(
        participant,
        stored,
        translation.get_language(),
        data_digest=participant.data_digest,
    )


def _report_view(request: HttpRequest, participant_id: int) -> ReportView:
    return _rendered(request, participant_id).view()


@login_required
@require_GET
def report(request: HttpRequest, participant_id: int) -> HttpResponse:
    item = _rendered(request, participant_id)
    participant = item.participant
    own = access.person_of(request.user) == participant.person
    context = {
        "person_name": participant.person.name,
        "body_html": mark_safe(report_body(item)),  # rendered by our own template, escaped
        "participant_id": participant_id,
        "plan_url": reverse("growth:plan_new", args=[participant.pk]) if own else None,
    }
    return render(request, "cycles/report/page.html", context)


@login_required
@require_GET
def report_pdf(request: HttpRequest, participant_id: int) -> HttpResponse:
    item = _rendered(request, participant_id)
    response = HttpResponse(report_pdf_bytes(item), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="tandem-report.pdf"'
    return response


@login_required
@require_GET
def report_csv(request: HttpRequest, participant_id: int) -> HttpResponse:
    view = _report_view(request, participant_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="tandem-report.csv"'
    writer = csv.writer(response)
    for row in report_csv_rows(view):
        writer.writerow(row)
    return response
