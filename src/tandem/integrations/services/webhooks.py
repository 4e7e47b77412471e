"""Webhooks: an admin registers an endpoint and its events; Tandem POSTs each event there,
signed, from the background workers, retrying with growing waits, and logs every answer.

What a delivery carries is decided here, once per event, by :func:`webhooks_emit`'s callers:
ids, names, dates and states: what an API token could read, never answers, comments, scores,
reports or who raised a hazard.

Signing: ``Tandem-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`` with the
endpoint's secret. A receiver recomputes it over the raw body and refuses old timestamps.
Deliveries can arrive more than once (a worker killed after the POST, before it recorded the
answer): ``Tandem-Delivery`` is the same on every try, for the receiver to skip repeats.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from tandem.audit.services import audit_record
from tandem.integrations.models import (
    DeliveryStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from tandem.outbox.services import RETRY_AFTER  # the same waits as an email's
from tandem.people.models import Organisation

CLAIM = dt.timedelta(minutes=5)
"""How long a worker holds a delivery it is sending before another may try it."""
TIMEOUT_SECONDS = 10
USER_AGENT = "Tandem-Webhooks/1"


class WebhookError(ValueError):
    """An endpoint cannot be registered as asked."""


@dataclass(frozen=True)
class CreatedEndpoint:
    endpoint: WebhookEndpoint
    secret: str


def url_problem(url: str) -> str | None:
    """Why ``url`` cannot receive webhooks, or None. HTTPS only, except to this machine
    (http://127.0.0.1, http://localhost) for trying things out."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return gettext("Give a full address starting with https://.")
    if parts.username or parts.password:
        return gettext("Put no user name or password in the address: Tandem signs every delivery.")
    if parts.scheme == "http" and not _is_this_machine(parts.hostname):
        return gettext("Use https:// (plain http is allowed only to this machine, for trying out).")
    return None


def _is_this_machine(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@transaction.atomic
def webhook_create(
    *, organisation: Organisation, url: str, events: list[str], name: str = "", created_by: Any
) -> CreatedEndpoint:
    """Register an endpoint; the returned secret is shown once (the admin copies it)."""
    problem = url_problem(url)
    if problem:
        raise WebhookError(problem)
    unknown = [e for e in events if e not in WebhookEvent.values]
    if unknown or not events:
        values = {"events": ", ".join(WebhookEvent.values), "unknown": ", ".join(unknown)}
        if unknown:
            raise WebhookError(
                gettext("Choose at least one event of: %(events)s (%(unknown)s is not one).")
                % values
            )
        raise WebhookError(gettext("Choose at least one event of: %(events)s.") % values)
    secret = f"whsec_{secrets.token_urlsafe(32)}"
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation,
        name=name.strip()[:100],
        url=url.strip(),
        events=list(dict.fromkeys(events)),
        secret=secret,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    audit_record(
        organisation=organisation,
        actor=created_by,
        action="webhook.create",
        target=endpoint,
        changes={"url": endpoint.url, "events": ", ".join(endpoint.events)},
    )
    return CreatedEndpoint(endpoint=endpoint, secret=secret)


@transaction.atomic
def webhook_disable(*, endpoint: WebhookEndpoint, actor: Any) -> bool:
    """Stop sending to an endpoint (what is queued for it is not sent). False if it was."""
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.disabled_at is not None:
        return False
    endpoint.disabled_at = timezone.now()
    endpoint.save(update_fields=["disabled_at"])
    audit_record(
        organisation=endpoint.organisation,
        actor=actor,
        action="webhook.disable",
        target=endpoint,
        changes={"disabled": [False, True]},
    )
    return True


@transaction.atomic
def webhook_send_again(*, delivery: WebhookDelivery, actor: Any) -> bool:
    """Queue a delivery that was given up on once more, from its first try (the same message
    and id). False when it is not a given-up delivery of a live endpoint."""
    delivery = (
        WebhookDelivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
    )
    if delivery.status != DeliveryStatus.FAILED or delivery.endpoint.disabled_at is not None:
        return False
    delivery.status = DeliveryStatus.QUEUED
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    audit_record(
        organisation=delivery.endpoint.organisation,
        actor=actor,
        action="webhook.send_again",
        target=delivery.endpoint,
        changes={"delivery": str(delivery.pk), "event": delivery.event},
    )
    ids = [str(delivery.pk)]
    transaction.on_commit(lambda: _queue(ids))
    return True


def webhooks_emit(
    *, organisation: Organisation, event: WebhookEvent, data: dict[str, Any]
) -> list[WebhookDelivery]:
    """Queue ``event`` for every live endpoint of the organisation that asked for it, in the
    caller's transaction (so it exists exactly when the change does); workers send it."""
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(organisation=organisation, disabled_at=None)
        if event in e.events
    ]
    if not endpoints:
        return []
    now = timezone.now()
    deliveries = []
    for endpoint in endpoints:
        delivery_id = uuid.uuid4()
        payload = {
            "id": str(delivery_id),
            "event": str(event),
            "created_at": now.isoformat(),
            "organisation": organisation.pk,
            "data": data,
        }
        deliveries.append(
            WebhookDelivery(
                id=delivery_id,
                endpoint=endpoint,
                event=event,
                payload=payload,
                next_attempt_at=now,
            )
        )
    WebhookDelivery.objects.bulk_create(deliveries)
    ids = [str(d.pk) for d in deliveries]
    transaction.on_commit(lambda: _queue(ids))
    return deliveries


def _queue(ids: list[str], run_after: dt.datetime | None = None) -> None:
    from tandem.integrations.tasks import webhook_deliver

    task = webhook_deliver.using(run_after=run_after) if run_after else webhook_deliver
    for delivery_id in ids:
        task.enqueue(delivery_id)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The ``Tandem-Signature`` header for ``body`` sent at ``timestamp``."""
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def webhook_send(*, delivery_id: str, now: dt.datetime | None = None) -> str:
    """Try one delivery if it is due; record the answer; schedule the next try after a
    failure. Returns the delivery's status afterwards ("skipped" when it was not due)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .select_related("endpoint")
            .filter(pk=delivery_id, status=DeliveryStatus.QUEUED, next_attempt_at__lte=now)
            .first()
        )
        if delivery is None:
            _look_again_when_due(delivery_id, now)
            return "skipped"
        if delivery.endpoint.disabled_at is not None:
            delivery.status = DeliveryStatus.FAILED
            delivery.save(update_fields=["status"])
            return str(delivery.status)
        delivery.next_attempt_at = now + CLAIM
        delivery.save(update_fields=["next_attempt_at"])
    attempt = _post(delivery)
    attempt.save()
    delivery.attempts += 1
    if attempt.status_code is not None and 200 <= attempt.status_code < 300:
        delivery.status = DeliveryStatus.DELIVERED
        delivery.delivered_at = attempt.at
    elif delivery.attempts > len(RETRY_AFTER):
        delivery.status = DeliveryStatus.FAILED
    else:
        delivery.next_attempt_at = now + RETRY_AFTER[delivery.attempts - 1]
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "delivered_at"])
    if delivery.status == DeliveryStatus.QUEUED:
        _queue([str(delivery.pk)], run_after=delivery.next_attempt_at)
    return str(delivery.status)


def _look_again_when_due(delivery_id: str, now: dt.datetime) -> None:
    """A delivery still waiting but not due is held by a claim (its worker may have died
    before recording anything) or waits for a retry: look at it again when it is due, so a
    killed worker's delivery is not lost. Bounded: once sent or given up, nothing requeues."""
    due = (
        WebhookDelivery.objects.filter(
            pk=delivery_id, status=DeliveryStatus.QUEUED, next_attempt_at__gt=now
        )
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if due is not None:
        _queue([delivery_id], run_after=due)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A webhook endpoint answers itself: a redirect is an answer (a failure), not a hop."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirects())


def _post(delivery: WebhookDelivery) -> WebhookAttempt:
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked at registration
        delivery.endpoint.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "Tandem-Event": delivery.event,
            "Tandem-Delivery": str(delivery.pk),
            "Tandem-Signature": signature(delivery.endpoint.secret, timestamp, body),
        },
    )
    attempt = WebhookAttempt(delivery=delivery, at=timezone.now())
    started = time.perf_counter()
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            attempt.status_code = response.status
            attempt.response = _text(response.read(500))
    except urllib.error.HTTPError as answer:
        attempt.status_code = answer.code
        attempt.response = _text(answer.read(500))
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        attempt.error = f"{type(exc).__name__}: {reason}"[:500]
    attempt.milliseconds = int(1000 * (time.perf_counter() - started))
    return attempt


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")[:500]
