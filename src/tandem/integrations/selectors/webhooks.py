"""Reading webhook endpoints and their deliveries (never their secrets)."""

from __future__ import annotations

from django.db.models import Count, F, Q, QuerySet

from tandem.integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from tandem.people.models import Organisation

RECENT = 50


def webhooks_of(*, organisation: Organisation) -> QuerySet[WebhookEndpoint]:
    """The organisation's endpoints, live ones first, with counts of their deliveries."""
    return (
        WebhookEndpoint.objects.filter(organisation=organisation)
        .select_related("created_by")
        .annotate(
            delivered=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.DELIVERED)),
            waiting=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.QUEUED)),
            failed=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)),
        )
        .order_by(F("disabled_at").asc(nulls_first=True), "-created_at", "-id")
    )


def webhook_for_organisation(*, organisation: Organisation, webhook_id: int) -> WebhookEndpoint:
    """One of the organisation's endpoints; another organisation's raise DoesNotExist."""
    return WebhookEndpoint.objects.get(organisation=organisation, pk=webhook_id)


def recent_deliveries(*, endpoint: WebhookEndpoint) -> list[WebhookDelivery]:
    """The newest deliveries with every try, newest first."""
    return list(endpoint.deliveries.prefetch_related("tries").order_by("-created_at")[:RECENT])
