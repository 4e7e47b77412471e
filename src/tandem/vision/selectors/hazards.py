"""Reads of hazards, scoped to one organisation."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from tandem.people.models import Organisation
from tandem.vision.models import Goal, Hazard


def hazard_get(*, organisation: Organisation, hazard_id: int) -> Hazard | None:
    return (
        Hazard.objects.filter(organisation=organisation, pk=hazard_id)
        .select_related("goal", "holder", "raised_by", "acknowledged_by", "organisation")
        .prefetch_related("steps__person")
        .first()
    )


def hazards_open(*, organisation: Organisation, min_severity: int = 1) -> QuerySet[Hazard]:
    """Every open hazard at or above ``min_severity``, worst first, then oldest."""
    return (
        Hazard.objects.filter(
            organisation=organisation, acknowledged_at__isnull=True, severity__gte=min_severity
        )
        .select_related("goal__team", "holder", "raised_by")
        .order_by("-severity", "raised_at", "id")
    )


def hazards_of_goal(*, goal: Goal) -> QuerySet[Hazard]:
    return (
        Hazard.objects.filter(goal=goal)
        .select_related("holder", "acknowledged_by")
        .order_by("acknowledged_at", "-severity", "raised_at")
    )


def open_hazard_counts(*, organisation: Organisation) -> dict[int, int]:
    """How many open hazards each goal has, by goal id, in one query."""
    return dict(
        Hazard.objects.filter(organisation=organisation, acknowledged_at__isnull=True)
        .values("goal_id")
        .annotate(n=Count("id"))
        .values_list("goal_id", "n")
    )
