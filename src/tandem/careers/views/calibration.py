"""Pages for calibration: the session board with its bias flags, and the demographic fields
behind the four-fifths checks."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from tandem import access
from tandem.careers import selectors
from tandem.careers.calibration import (
    CONFIDENCE_GAP,
    FOUR_FIFTHS,
    RATE_ALPHA,
    SMALL_GROUP,
)
from tandem.careers.forms import DemographicsForm
from tandem.careers.services import CareersError, demographics_import
from tandem.careers.views._common import organisation_of


@login_required
@require_GET
def calibration(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    if not access.careers.can_view_calibration(request.user, organisation):
        raise PermissionDenied
    today = timezone.localdate()
    since = today - datetime.timedelta(days=365)
    raw = request.GET.get("since", "")
    if raw:
        try:
            since = datetime.date.fromisoformat(raw)
        except ValueError:
            messages.error(
                request, f"'{raw}' is not a date like 2026-01-31; showing the last year."
            )
    board = selectors.calibration_board(organisation=organisation, since=since)
    context = {
        "board": board,
        "since": since,
        "show_demographics": access.careers.can_view_demographic_flags(request.user, organisation),
        "rules": {
            "gap": CONFIDENCE_GAP,
            "alpha": RATE_ALPHA,
            "four_fifths": FOUR_FIFTHS,
            "small": SMALL_GROUP,
        },
    }
    return render(request, "careers/calibration.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def demographics(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    if not access.careers.can_edit_demographics(request.user, organisation):
        raise PermissionDenied
    form = DemographicsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = demographics_import(
                organisation=organisation, text=form.cleaned_data["text"], actor=request.user
            )
        except CareersError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, f"Demographic fields saved for {count} people.")
            return redirect("careers:demographics")
    records = selectors.demographics_in(organisation=organisation)
    fields = sorted({f for r in records for f in r.fields})
    rows = [(r.person.name, [r.fields.get(f, "") for f in fields]) for r in records]
    context = {"form": form, "rows": rows, "fields": fields}
    return render(request, "careers/demographics.html", context)
