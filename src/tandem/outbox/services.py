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
from collections.abc import Iterable, Iterator, Sequence
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
CLAIM = dt.timedelta(minutes=10)
"""How long a process holds the emails it is sending before others may take them."""


def mail_queue(
    *,
    organisation: Organisation | None,
    messages: Iterable[Mail],
    kind: str = "",
    about: str = "",
) -> list[OutgoingMail]:
    """Queue emails (one row per recipient) in the current transaction; deliver after commit."""
    return mail_queue_each(messages=[(organisation, m) for m in messages], kind=kind, about=about)


def mail_queue_each(
    *, messages: Iterable[tuple[Organisation | None, Mail]], kind: str = "", about: str = ""
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
            about=about,
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
    if len(ids) <= settings.MAIL_SEND_AT_ONCE_UP_TO:
        transaction.on_commit(lambda: deliver_after_commit(ids))
    else:
        hand_to_workers(ids)
    return rows


def deliver_after_commit(ids: list[int]) -> None:
    """Try the queued emails now; whatever happens, the caller's request goes on."""
    try:
        mail_deliver(ids=ids)
    except Exception:  # the change is saved; the worker retries what is still queued
        log.exception("delivering email after commit failed; it stays queued")


def hand_to_workers(ids: list[int]) -> None:
    """Queue one delivery task per :data:`BATCH` emails (queued when the change commits), so
    that a large send runs on the workers, in parallel, and not in the request."""
    from tandem.outbox.tasks import deliver_mail_batch

    for start in range(0, len(ids), BATCH):
        deliver_mail_batch.enqueue(ids[start : start + BATCH])


@dataclass(frozen=True)
class Delivery:
    sent: int
    failed: int


def mail_deliver(*, ids: Sequence[int] | None = None, now: dt.datetime | None = None) -> Delivery:
    """Deliver queued emails that are due (only ``ids`` when given); record each outcome.

    Each batch is first claimed for :data:`CLAIM` (in its own transaction, skipping rows another
    process holds), then sent one by one, each outcome saved as soon as it is known. A process
    killed mid-batch therefore sends again at most the one email it was sending; the rest of its
    claim is due again when the claim runs out (and ``ids`` given to a task are looked at again
    then, :func:`tandem.outbox.tasks.deliver_mail_batch`).
    """
    now = now or timezone.now()
    sent = failed = 0
    while rows := _claim(ids, now):
        for row, error in zip(rows, _send(rows), strict=True):
            _record(row, error, now)
            OutgoingMail.objects.filter(pk=row.pk).update(
                status=row.status,
                attempts=row.attempts,
                last_error=row.last_error,
                next_attempt_at=row.next_attempt_at,
                sent_at=row.sent_at,
                body=row.body,
            )
            sent += error is None
            failed += error is not None
    if failed:
        _schedule_retry()
    return Delivery(sent=sent, failed=failed)


@transaction.atomic
def _claim(ids: Sequence[int] | None, now: dt.datetime) -> list[OutgoingMail]:
    due = OutgoingMail.objects.filter(status=MailStatus.QUEUED, next_attempt_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=ids)
    rows = list(due.select_for_update(skip_locked=True).order_by("pk")[:BATCH])
    OutgoingMail.objects.filter(pk__in=[row.pk for row in rows]).update(next_attempt_at=now + CLAIM)
    return rows


def _send(rows: list[OutgoingMail]) -> Iterator[str | None]:
    """Send each row in turn, yielding None for a delivered row, else the error in plain
    words (one connection for the batch; the caller records each outcome as it comes)."""
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as exc:
        yield from [_describe(exc)] * len(rows)
        return
    try:
        for row in rows:
            message = EmailMessage(
                row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.to], connection=connection
            )
            try:
                message.send()
            except Exception as exc:
                yield _describe(exc)
            else:
                yield None
    finally:
        try:
            connection.close()
        except Exception:
            log.warning("closing the mail connection failed", exc_info=True)


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
