"""The interactive cascade map: a page that loads ECharts, and the JSON it draws."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem import access
from tandem.people.models import Organisation
from tandem.vision import selectors
from tandem.vision.selectors_hazards import open_hazard_counts
from tandem.vision.selectors_pulse import PulseScore, pulse_scores
from tandem.vision.views import _organisation


def _map(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """The map for this reader: understanding scores only for teams they may see."""
    scores = pulse_scores(organisation=organisation)
    teams = list(selectors.teams(organisation=organisation))
    scored = access.vision.teams_scored_for(request.user, teams)
    visible: dict[int, PulseScore | None] = {
        team.pk: scores.get(team.pk) for team in teams if team.pk in scored
    }
    hazards = None
    if access.vision.can_view_hazard_board(request.user, organisation):
        hazards = open_hazard_counts(organisation=organisation)
    return selectors.cascade_map(organisation=organisation, scores=visible, open_hazards=hazards)


@login_required
@require_GET
def cascade_map(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    data = _map(request, organisation)
    context = {
        "layers": data["layers"],
        "counts": data["counts"],
        "can_view_hazards": access.vision.can_view_hazard_board(request.user, organisation),
        "can_view_leaders": access.vision.can_view_leaders_network(request.user, organisation),
    }
    return render(request, "vision/map.html", context)


@login_required
@require_GET
def cascade_map_data(request: HttpRequest) -> JsonResponse:
    organisation = _organisation(request)
    response = JsonResponse(_map(request, organisation))
    response["Cache-Control"] = "private, no-store"
    return response
