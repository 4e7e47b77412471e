"""Queueing and delivering email. Sending never fails the change that asked for it.

:func:`mail_queue` writes the emails in the caller's transaction, so they exist exactly when
the change does; right after the commit they are delivered. A delivery that fails (mail server
down, refused address) is retried after 1 minute, 5 minutes, 30 minutes, 2 hours and 12 hours
by the background worker (:func:`tandem.outbox.tasks.deliver_due_mail`, or ``manage.py
send_queued_mail`` from cron); after that it is marked undelivered and shown to the people
team, who can send it again.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from tandem.audit.services import audit_record
from tandem.outbox.models import MailStatus, OutgoingMail
from tandem.people.models import Organisation

log = logging.getLogger(__name__)

Mail = tuple[str, str, str | None, Sequence[str]]
"""subject, body, sender (None for DEFAULT_FROM_EMAIL), recipients: as send_mass_mail takes."""

RETRY_AFTER = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
BATCH = 200


def mail_queue(
    *, organisation: Organisation | None, messages: Iterable[Mail], kind: str = ""
) -> list[OutgoingMail]:
    """Queue emails (one row per recipient) in the current transaction; deliver after commit."""
    return mail_queue_each(messages=[(organisation, m) for m in messages], kind=kind)


def mail_queue_each(
    *, messages: Iterable[tuple[Organisation | None, Mail]], kind: str = ""
) -> list[OutgoingMail]:
    """:func:`mail_queue` for emails of several organisations (a scheduled reminder run)."""
    now = timezone.now()
    rows = [
        OutgoingMail(
            organisation=organisation,
            to=recipient,
            subject=subject[:255],
            body=body,
            kind=kind,
            next_attempt_at=now,
        )
        for organisation, (subject, body, _sender, recipients) in messages
        for recipient in recipients
        if recipient
    ]
    if not rows:
        return []
    OutgoingMail.objects.bulk_create(rows)
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: deliver_after_commit(ids))
    return rows


def deliver_after_commit(ids: list[int]) -> None:
    """Try the queued emails now; whatever happens, the caller's request goes on."""
    try:
        mail_deliver(ids=ids)
    except Exception:  # the change is saved; the worker retries what is still queued
        log.exception("delivering email after commit failed; it stays queued")


@dataclass(frozen=True)
class Delivery:
    sent: int
    failed: int


def mail_deliver(*, ids: Sequence[int] | None = None, now: dt.datetime | None = None) -> Delivery:
    """Deliver queued emails that are due (only ``ids`` when given); record each outcome."""
    now = now or timezone.now()
    sent = failed = 0
    while True:
        with transaction.atomic():
            due = OutgoingMail.objects.filter(status=MailStatus.QUEUED, next_attempt_at__lte=now)
            if ids is not None:
                due = due.filter(pk__in=ids)
            rows = list(due.select_for_update(skip_locked=True).order_by("pk")[:BATCH])
            if not rows:
                break
            outcome = _send(rows)
            for row, error in zip(rows, outcome, strict=True):
                _record(row, error, now)
                sent += error is None
                failed += error is not None
            OutgoingMail.objects.bulk_update(
                rows,
                ["status", "attempts", "last_error", "next_attempt_at", "sent_at", "body"],
            )
    if failed:
        _schedule_retry()
    return Delivery(sent=sent, failed=failed)


def _send(rows: list[OutgoingMail]) -> list[str | None]:
    """Send each row; returns None for a delivered row, else the error in plain words."""
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:
        return [_describe(exc)] * len(rows)
    outcome: list[str | None] = []
    try:
        for row in rows:
            message = EmailMessage(
                row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.to], connection=connection
            )
            try:
                message.send()
                outcome.append(None)
            except Exception as exc:
                outcome.append(_describe(exc))
    finally:
        try:
            connection.close()
        except Exception:
            log.warning("closing the mail connection failed", exc_info=True)
    return outcome


def _describe(exc: Exception) -> str:
    text = str(exc) or exc.__class__.__name__
    return f"{exc.__class__.__name__}: {text}"[:500]


def _record(row: OutgoingMail, error: str | None, now: dt.datetime) -> None:
    row.attempts += 1
    if error is None:
        row.status = MailStatus.SENT
        row.sent_at = now
        row.body = ""  # personal links must not outlive their delivery
        row.last_error = ""
        return
    row.last_error = error
    if row.attempts > len(RETRY_AFTER):
        row.status = MailStatus.FAILED
    else:
        row.next_attempt_at = now + RETRY_AFTER[row.attempts - 1]


def _schedule_retry() -> None:
    from tandem.outbox.tasks import schedule_delivery

    try:
        schedule_delivery()
    except Exception:  # cron's send_queued_mail still finds the queued rows
        log.exception("could not queue the email retry task")


@transaction.atomic
def mail_send_again(*, organisation: Organisation, mail_ids: Sequence[int], actor: Any) -> int:
    """Queue undelivered emails of ``organisation`` again, from the first attempt."""
    rows = list(
        OutgoingMail.objects.select_for_update().filter(
            organisation=organisation, pk__in=mail_ids, status=MailStatus.FAILED
        )
    )
    now = timezone.now()
    for row in rows:
        row.status = MailStatus.QUEUED
        row.attempts = 0
        row.next_attempt_at = now
    OutgoingMail.objects.bulk_update(rows, ["status", "attempts", "next_attempt_at"])
    if rows:
        audit_record(
            organisation=organisation,
            actor=actor,
            action="mail.send_again",
            changes={"emails": len(rows), "to": sorted({row.to for row in rows})[:20]},
        )
        ids = [row.pk for row in rows]
        transaction.on_commit(lambda: deliver_after_commit(ids))
    return len(rows)
