from __future__ import annotations

import datetime

from django.db.models import QuerySet

from tandem.audit.models import AuditEvent
from tandem.people.models import Organisation


def audit_events(
    *,
    organisation: Organisation,
    action: str = "",
    actor: str = "",
    target: str = "",
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEvent]:
    """The organisation's audit events, newest first, narrowed by the given filters."""
    events = AuditEvent.objects.filter(organisation=organisation)
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if target:
        events = events.filter(target_label__icontains=target)
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events.order_by("-created_at", "-id")


def audit_actions(*, organisation: Organisation) -> list[str]:
    return list(
        AuditEvent.objects.filter(organisation=organisation)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
