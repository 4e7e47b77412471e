"""Background delivery of queued email: large sends in batches, and retries after a failure,
run by ``make worker``."""

from __future__ import annotations

from django.db.models import Min
from django.utils import timezone
from django_tasks import task

from tandem.outbox.models import MailStatus, OutgoingMail


def schedule_delivery() -> None:
    """Queue a delivery run for when the next queued email is due."""
    due = OutgoingMail.objects.filter(status=MailStatus.QUEUED).aggregate(
        first=Min("next_attempt_at")
    )["first"]
    if due is not None:
        deliver_due_mail.using(run_after=max(due, timezone.now())).enqueue()


@task()
def deliver_due_mail() -> int:
    """Deliver what is due; queue the next run while anything waits. Returns emails sent."""
    from tandem.outbox.services import mail_deliver

    delivery = mail_deliver()
    if not delivery.failed:  # a failure schedules its own retry
        schedule_delivery()
    return delivery.sent


@task()
def deliver_mail_batch(ids: list[int]) -> int:
    """Deliver these queued emails (one batch of a large send). Safe to run twice: an email
    already sent, or held by another process, is skipped. What is still queued afterwards (held
    by a process that may have died, or waiting for a retry) is looked at again when it is due.
    Returns emails sent."""
    from tandem.outbox.services import mail_deliver

    sent = mail_deliver(ids=ids).sent
    waiting = OutgoingMail.objects.filter(pk__in=ids, status=MailStatus.QUEUED)
    due = waiting.aggregate(first=Min("next_attempt_at"))["first"]
    if due is not None:
        deliver_mail_batch.using(run_after=max(due, timezone.now())).enqueue(
            sorted(waiting.values_list("pk", flat=True))
        )
    return sent
