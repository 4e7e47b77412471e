"""Hazards: raised on a goal, climbing the manager chain, seen by leaders on one board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from tandem import access
from tandem.vision.forms import HazardForm, SeverityFilterForm
from tandem.vision.models import Hazard, Severity
from tandem.vision.selectors import hazard_get, hazards_open
from tandem.vision.services import escalation_interval, hazard_acknowledge, hazard_raise
from tandem.vision.views._common import goal_of, organisation_of
from tandem.vision.views.cascade import goal_form, goal_page_context


def _hazard(request: HttpRequest, hazard_id: int) -> Hazard:
    found = hazard_get(organisation=organisation_of(request), hazard_id=hazard_id)
    if found is None:
        raise Http404
    if not access.vision.can_view_hazard(request.user, found):
        raise PermissionDenied
    return found


@login_required
@require_POST
def hazard_new(request: HttpRequest, goal_id: int) -> HttpResponse:
    goal = goal_of(request, goal_id)
    if not access.vision.can_raise_hazard(request.user, goal):
        raise PermissionDenied
    form = HazardForm(request.POST)
    if not form.is_valid():
        # The goal page again, with what was typed and each error by its field.
        messages.error(
            request, gettext("The hazard is not raised yet: see what to fix under Hazards.")
        )
        context = goal_page_context(request, goal, form=goal_form(request, goal), hazard_form=form)
        return render(request, "vision/goal.html", context, status=400)
    hazard = hazard_raise(
        goal=goal,
        kind=form.cleaned_data["kind"],
        severity=form.cleaned_data["severity"],
        description=form.cleaned_data["description"],
        raised_by=access.person_of(request.user),
        actor=request.user,
    )
    messages.success(
        request,
        gettext(
            "Thank you. %(name)s is told now; if no one acknowledges it, it goes up "
            "the manager chain."
        )
        % {"name": goal.owner.name},
    )
    return redirect("vision:hazard", hazard.pk)


@login_required
@require_GET
def hazard(request: HttpRequest, hazard_id: int) -> HttpResponse:
    found = _hazard(request, hazard_id)
    context = {
        "hazard": found,
        "can_acknowledge": access.vision.can_acknowledge_hazard(request.user, found),
        "interval_hours": int(escalation_interval().total_seconds() // 3600),
    }
    return render(request, "vision/hazard.html", context)


@login_required
@require_POST
def acknowledge(request: HttpRequest, hazard_id: int) -> HttpResponse:
    found = _hazard(request, hazard_id)
    person = access.person_of(request.user)
    if person is None or not access.vision.can_acknowledge_hazard(request.user, found):
        raise PermissionDenied
    hazard_acknowledge(hazard=found, by=person, actor=request.user)
    messages.success(
        request, gettext("Acknowledged: it climbs no further, and it is yours to carry.")
    )
    return redirect("vision:hazard", found.pk)


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """Every open hazard at or above a chosen severity, for leaders."""
    organisation = organisation_of(request)
    if not access.vision.can_view_hazard_board(request.user, organisation):
        raise PermissionDenied
    form = SeverityFilterForm(request.GET or None)
    min_severity = Severity.LOW
    if form.is_valid() and form.cleaned_data["severity"]:
        min_severity = form.cleaned_data["severity"]
    context = {
        "form": form,
        "hazards": list(hazards_open(organisation=organisation, min_severity=min_severity)),
        "min_severity": Severity(min_severity),
    }
    return render(request, "vision/hazards.html", context)
