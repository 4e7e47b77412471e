"""Cycles and how far they are: ``/api/v1/cycles``. Counts of sheets, never answers."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from tandem.cycles.models import Cycle, CycleStatus
from tandem.cycles.selectors import cycle_progress, cycles_of, release_progress
from tandem.integrations.api.auth import token_with
from tandem.integrations.api.schemas import ERRORS, CycleDetail, CycleOut

router = Router(tags=["cycles"])
CYCLES_READ = "cycles:read"


def cycle_out(cycle: Cycle) -> dict[str, object]:
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "status": cycle.status,
        "scope": cycle.scope,
        "department": cycle.department,
        "opens_on": cycle.opens_on,
        "closes_on": cycle.closes_on,
        "launched_at": cycle.launched_at,
        "closed_at": cycle.closed_at,
        "released_at": cycle.released_at,
    }


@router.get("/cycles", response={200: list[CycleOut], **ERRORS}, summary="List cycles")
def cycle_list(request: HttpRequest) -> list[dict[str, object]]:
    """Every cycle of the organisation, newest first."""
    token = token_with(request, CYCLES_READ)
    cycles = cycles_of(token.organisation).order_by("-opens_on", "-pk")
    return [cycle_out(cycle) for cycle in cycles]


@router.get(
    "/cycles/{cycle_id}", response={200: CycleDetail, **ERRORS}, summary="One cycle's progress"
)
def cycle_detail(request: HttpRequest, cycle_id: int) -> dict[str, object]:
    """A cycle with its participants and, per rater group, how many sheets were asked for,
    started and finished; once released, how many reports are laid out."""
    token = token_with(request, CYCLES_READ)
    cycle = cycles_of(token.organisation).filter(pk=cycle_id).first()
    if cycle is None:
        raise HttpError(404, f"No cycle with id {cycle_id} in this organisation.")
    progress = cycle_progress(cycle)
    groups = [
        {
            "group": g.group,
            "label": str(g.label),
            "asked": g.asked,
            "started": g.started,
            "finished": g.finished,
        }
        for g in progress.groups
    ]
    prepared = release_progress(cycle).prepared if cycle.status == CycleStatus.RELEASED else None
    return {
        **cycle_out(cycle),
        "participants": progress.participants,
        "groups": groups,
        "reports_prepared": prepared,
    }
