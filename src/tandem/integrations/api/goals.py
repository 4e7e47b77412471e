"""The vision and the goals that carry it down: ``/api/v1/goals``."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from tandem.integrations.api.auth import token_with
from tandem.integrations.api.schemas import ERRORS, CascadeOut
from tandem.vision.models import Goal
from tandem.vision.selectors.cascade import vision_get

router = Router(tags=["goals"])
GOALS_READ = "goals:read"


@router.get("/goals", response={200: CascadeOut, **ERRORS}, summary="The vision and every goal")
def goals(request: HttpRequest) -> dict[str, object]:
    """The vision and every team goal with its key results; ``parent_ids`` are the goals a goal
    translates (the cascade, top down)."""
    token = token_with(request, GOALS_READ)
    vision = vision_get(organisation=token.organisation)
    found = (
        Goal.objects.filter(organisation=token.organisation)
        .prefetch_related("parents", "key_results")
        .order_by("pk")
    )
    return {
        "vision": vision.destination if vision else None,
        "why": vision.why if vision else None,
        "goals": [
            {
                "id": goal.pk,
                "title": goal.title,
                "meaning": goal.meaning,
                "why": goal.why,
                "team_manager_id": goal.team_id,
                "owner_id": goal.owner_id,
                "parent_ids": sorted(parent.pk for parent in goal.parents.all()),
                "links_to_vision": goal.links_to_vision,
                "key_results": [
                    {
                        "title": kr.title,
                        "target": float(kr.target),
                        "current": float(kr.current),
                        "progress": kr.progress,
                    }
                    for kr in goal.key_results.all()
                ],
                "changed_at": goal.changed_at,
            }
            for goal in found
        ],
    }
