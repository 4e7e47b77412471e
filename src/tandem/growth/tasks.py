"""Background work for growth: the weekly habit reminders.

``send_habit_reminders`` runs the reminder service and, on a backend that can run tasks later
(the database backend can), enqueues its own next run for the next morning, so one call of
``manage.py send_habit_reminders --schedule`` keeps it going. The service sends at most one
reminder per person and habit set per ISO week, so an extra run never sends twice.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import default_task_backend, task

from tandem.growth.services import habit_reminders_send

RUN_AT = datetime.time(7, 0)


def next_run_after(now: datetime.datetime) -> datetime.datetime:
    """Tomorrow at 07:00, local time."""
    local = timezone.localtime(now) if timezone.is_aware(now) else now
    tomorrow = local.date() + datetime.timedelta(days=1)
    when = datetime.datetime.combine(tomorrow, RUN_AT)
    return timezone.make_aware(when) if timezone.is_aware(now) else when


def schedule_habit_reminders(*, run_after: datetime.datetime | None = None) -> None:
    """Enqueue the reminder task once the current transaction commits."""

    def enqueue() -> None:
        if run_after is not None and default_task_backend.supports_defer:
            send_habit_reminders.using(run_after=run_after).enqueue()
        else:
            send_habit_reminders.enqueue()

    transaction.on_commit(enqueue)


@task()
def send_habit_reminders() -> int:
    now = timezone.now()
    sent = habit_reminders_send(now=now)
    if default_task_backend.supports_defer:
        schedule_habit_reminders(run_after=next_run_after(now))
    return sent
