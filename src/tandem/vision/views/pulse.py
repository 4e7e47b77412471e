"""The understanding pulse: members answer anonymously; managers and HR see scores that meet
the minimum."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import access
from tandem.vision import selectors
from tandem.vision.forms import PulseForm
from tandem.vision.models import Pulse
from tandem.vision.selectors import (
    has_answered,
    pulse_get,
    pulse_minimum,
    pulse_scores,
    pulses_to_answer,
)
from tandem.vision.services import PulseError, pulse_answer, pulse_close, pulse_open
from tandem.vision.views._common import organisation_of, team_of


def _pulse(request: HttpRequest, pulse_id: int) -> Pulse:
    found = pulse_get(organisation=organisation_of(request), pulse_id=pulse_id)
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    person = access.person_of(request.user)
    scores = pulse_scores(organisation=organisation)
    rows = []
    teams = list(selectors.teams(organisation=organisation))
    openable = access.vision.teams_pulse_openable_by(request.user, teams)
    scored = access.vision.teams_scored_for(request.user, teams)
    for team in teams:
        can_open = team.pk in openable
        can_view = team.pk in scored
        if can_open or can_view:
            found = scores.get(team.pk)
            rows.append(
                {
                    "team": team,
                    "members": team.active_reports,  # type: ignore[attr-defined]
                    "score": found if can_view else None,
                    "pulse": found.pulse if found else None,
                    "can_open": can_open,
                }
            )
    context = {
        "to_answer": pulses_to_answer(person=person) if person else [],
        "rows": rows,
        "minimum": pulse_minimum(),
    }
    return render(request, "vision/pulse.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, pulse_id: int) -> HttpResponse:
    found = _pulse(request, pulse_id)
    person = access.person_of(request.user)
    if person is None or not access.vision.can_answer_pulse(request.user, found):
        raise PermissionDenied
    if has_answered(pulse=found, person=person):
        messages.info(request, gettext("You have answered this pulse already: thank you."))
        return redirect("vision:pulse")
    data = request.POST if request.method == "POST" else None
    form = PulseForm(data, statements=found.statements)
    if request.method == "POST" and form.is_valid():
        try:
            pulse_answer(pulse=found, person=person, answers=form.answers(), actor=request.user)
        except PulseError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, gettext("Thank you. Your answers are counted, and not kept as yours.")
            )
        return redirect("vision:pulse")
    return render(
        request,
        "vision/pulse_answer.html",
        {"pulse": found, "form": form, "minimum": pulse_minimum()},
    )


@login_required
@require_POST
def open_pulse(request: HttpRequest, team_id: int) -> HttpResponse:
    team = team_of(request, team_id)
    if not access.vision.can_open_pulse(request.user, team):
        raise PermissionDenied
    try:
        pulse_open(team=team, actor=request.user)
    except PulseError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, gettext("The pulse is open to the team of %(name)s.") % {"name": team.name}
        )
    return redirect("vision:pulse")


@login_required
@require_POST
def close_pulse(request: HttpRequest, pulse_id: int) -> HttpResponse:
    found = _pulse(request, pulse_id)
    if not access.vision.can_open_pulse(request.user, found.team):
        raise PermissionDenied
    pulse_close(pulse=found, actor=request.user)
    messages.success(request, gettext("The pulse is closed. Its score stays until the next one."))
    return redirect("vision:pulse")
