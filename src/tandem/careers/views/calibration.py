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
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods

from tandem import access
from tandem.careers import selectors
from tandem.careers.calibration import (
    CONFIDENCE_GAP,
    FOUR_FIFTHS,
    MIN_PROPOSALS,
    MIN_REPORTS,
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
                request,
                gettext("'%(raw)s' is not a date like 2026-01-31; showing the last year.")
                % {"raw": raw},
            )
    board = selectors.calibration_board(organisation=organisation, since=since)
    show_demographics = access.careers.can_view_demographic_flags(request.user, organisation)
    # Patterns across the round first, then the flags about single cases. A check with
    # nothing to raise is named once in a line, not given a heading and "None." of its own;
    # one that could not run yet (too few proposals) says so on its own line instead.
    rates_title = gettext("Managers whose proposal rate stands out")
    rates_ran = board.manager_rates.enough_proposals
    kinds = [
        (rates_title, board.manager_rate, gettext("managers' proposal rates")),
        (
            gettext("Criteria argued without evidence"),
            board.unevidenced,
            gettext("criteria argued without evidence"),
        ),
        (
            gettext("Confidence without evidence"),
            board.confidence,
            gettext("confidence without evidence"),
        ),
    ]
    if show_demographics and (board.group_rates or board.approval_rates):
        kinds.insert(
            1,
            (
                gettext("Groups under four-fifths"),
                board.four_fifths + board.approval_four_fifths,
                gettext("selection rates by group (four-fifths rule)"),
            ),
        )
    context = {
        "board": board,
        "since": since,
        "show_demographics": show_demographics,
        "raised": [(title, flags) for title, flags, _ in kinds if flags],
        "quiet": [
            name
            for title, flags, name in kinds
            if not flags and (rates_ran or title != rates_title)
        ],
        "rules": {
            "gap": CONFIDENCE_GAP,
            "alpha": RATE_ALPHA,
            "min_proposals": MIN_PROPOSALS,
            "min_reports": MIN_REPORTS,
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
            messages.success(
                request,
                ngettext(
                    "Demographic fields saved for %(count)s person.",
                    "Demographic fields saved for %(count)s people.",
                    count,
                )
                % {"count": count},
            )
            return redirect("careers:demographics")
    records = selectors.demographics_in(organisation=organisation)
    fields = sorted({f for r in records for f in r.fields})
    rows = [(r.person.name, [r.fields.get(f, "") for f in fields]) for r in records]
    context = {"form": form, "rows": rows, "fields": fields}
    return render(request, "careers/demographics.html", context)
