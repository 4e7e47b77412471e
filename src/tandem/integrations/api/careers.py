"""The career framework and where people stand in it: ``/api/v1/careers``."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from tandem.careers.models import Track
from tandem.careers.selectors.framework import framework_version_get, placements_in
from tandem.integrations.api.auth import token_with
from tandem.integrations.api.schemas import ERRORS, FrameworkOut, PlacementOut

router = Router(tags=["careers"])
CAREERS_READ = "careers:read"


@router.get(
    "/careers/framework",
    response={200: FrameworkOut, **ERRORS},
    summary="The current career framework",
)
def framework(request: HttpRequest) -> dict[str, object]:
    """The newest published version: tracks, their levels and each level's criteria."""
    token = token_with(request, CAREERS_READ)
    version = framework_version_get(organisation=token.organisation)
    if version is None:
        raise HttpError(404, "This organisation has not published a career framework yet.")
    tracks = Track.objects.filter(version=version).prefetch_related("levels__criteria")
    return {
        "version": version.number,
        "name": version.name,
        "published_at": version.published_at,
        "tracks": [
            {
                "key": track.key,
                "name": track.name,
                "description": track.description,
                "levels": [
                    {
                        "number": level.number,
                        "title": level.title,
                        "summary": level.summary,
                        "criteria": [
                            {"theme": c.theme, "text": c.text} for c in level.criteria.all()
                        ],
                    }
                    for level in track.levels.all()
                ],
            }
            for track in tracks
        ],
    }


@router.get(
    "/careers/placements",
    response={200: list[PlacementOut], **ERRORS},
    summary="Where each active person stands",
)
def placements(request: HttpRequest) -> list[dict[str, object]]:
    """Every active person's current track and level: the people team's placement when there
    is one (``placed``), else what the people file says."""
    token = token_with(request, CAREERS_READ)
    return [
        {
            "person_id": row.person.pk,
            "track": row.track_key,
            "level": row.level_number,
            "since": row.since,
            "placed": row.placed,
        }
        for row in placements_in(organisation=token.organisation)
    ]
