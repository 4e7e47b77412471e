"""Reads of outgoing email for the people team: what has not been delivered."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from tandem.outbox.models import MailStatus, OutgoingMail
from tandem.people.models import Organisation


def undelivered(*, organisation: Organisation) -> QuerySet[OutgoingMail]:
    """Emails given up on, and emails still being retried after a failure, newest first."""
    return OutgoingMail.objects.filter(organisation=organisation).filter(
        Q(status=MailStatus.FAILED) | Q(status=MailStatus.QUEUED, attempts__gt=0)
    )


def undelivered_count(*, organisation: Organisation) -> int:
    return undelivered(organisation=organisation).count()
