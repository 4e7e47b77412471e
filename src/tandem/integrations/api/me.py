"""A person's own reading through a personal token: ``/api/v1/me``. The released reports they
may read in Tandem, with the figures each report shows, decided once at release."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from tandem import access
from tandem.cycles.models import Participant
from tandem.cycles.reporting.rendered import rendered
from tandem.cycles.reporting.report_view import IndexView
from tandem.integrations.api.auth import token_with
from tandem.integrations.api.schemas import ERRORS, ReadableReportOut, ReportFiguresOut

router = Router(tags=["me"])
RESULTS_READ = "results:read"


def _readable(request: HttpRequest) -> tuple[object, list[Participant]]:
    token = token_with(request, RESULTS_READ)
    return token.user, access.cycles.reports_readable_by(token.user)


def _summary(participant: Participant, user: object) -> dict[str, object]:
    return {
        "participant_id": participant.pk,
        "person_id": participant.person_id,
        "person_name": participant.person.name,
        "cycle_id": participant.cycle_id,
        "cycle_name": participant.cycle.name,
        "released_at": participant.cycle.released_at,
        "own": access.person_of(user) == participant.person,
    }


@router.get(
    "/me/reports",
    response={200: list[ReadableReportOut], **ERRORS},
    summary="The released reports you may read",
)
def my_reports(request: HttpRequest) -> list[dict[str, object]]:
    """Your own released reports, and your direct reports' where they let you read them."""
    user, readable = _readable(request)
    return [_summary(p, user) for p in readable]


def _index(view: IndexView) -> dict[str, float | None]:
    return {
        "score": view.score,
        "lower": view.lower,
        "upper": view.upper,
        "cut": view.cut,
        "self_score": view.self_score,
    }


@router.get(
    "/me/reports/{participant_id}",
    response={200: ReportFiguresOut, **ERRORS},
    summary="One report's figures",
)
def my_report(request: HttpRequest, participant_id: int) -> dict[str, object]:
    """The figures the report page shows: each scale by rater group (only the groups the
    anonymity rule shows), its norm percentile, and the placement with its ranges."""
    user, readable = _readable(request)
    participant = next((p for p in readable if p.pk == participant_id), None)
    if participant is None:
        raise HttpError(404, f"No report {participant_id} that you may read.")
    # The API's texts (scale names) are English, whoever asks: programs read it.
    view = rendered(participant, participant.report, settings.LANGUAGE_CODE).view()
    placement = view.placement
    return {
        **_summary(participant, user),
        "placement": None
        if placement is None
        else {
            "code": placement.code,
            "title": placement.title,
            "borderline": placement.borderline,
            "leadership": _index(placement.leadership),
            "management": _index(placement.management),
        },
        "placement_note": view.placement_note,
        "scales": [
            {
                "id": scale.id,
                "name": scale.name,
                "role": scale.role,
                "percentile": scale.percentile,
                "groups": [
                    {"group": row.label, "title": row.title, "n": row.n, "mean": row.mean}
                    for row in scale.rows
                ],
            }
            for scale in view.scales
        ],
    }
