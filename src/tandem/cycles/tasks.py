"""Background work for cycles: reminders and closing on the date, run by ``make worker``.

Launching a cycle enqueues :func:`cycle_reminders` for a day later; each run sends what is due
and enqueues the next run while the cycle is open. ``manage.py cycles_tick`` does the same for
every cycle, for installations that prefer cron.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from tandem.cycles.models import Cycle, CycleStatus
from tandem.cycles.services import CycleError, cycle_close, reminders_send

CHECK_EVERY = dt.timedelta(days=1)


def schedule_reminders(cycle_id: int, *, now: dt.datetime | None = None) -> None:
    """Queue the next reminder run for one cycle."""
    run_after = (now or timezone.now()) + CHECK_EVERY
    cycle_reminders.using(run_after=run_after).enqueue(cycle_id)


@task()
def cycle_reminders(cycle_id: int) -> int:
    """Remind raters with unfinished sheets, close the cycle after its date, then requeue."""
    cycle = Cycle.objects.filter(pk=cycle_id).first()
    if cycle is None or cycle.status != CycleStatus.OPEN:
        return 0
    now = timezone.now()
    if timezone.localdate(now) > cycle.closes_on:
        cycle_close(cycle=cycle, actor=None, now=now)
        return 0
    sent = reminders_send(cycle=cycle, now=now)
    schedule_reminders(cycle.pk, now=now)
    return sent


@task()
def reports_prerender(cycle_id: int) -> int:
    """Render and keep every released report's page body and PDF, so each reader gets them at
    once: queue one :func:`reports_render_batch` per ``REPORTS_PER_TASK`` reports (25 by
    default: about ten seconds of a worker's time), for the workers to share. Returns how many
    tasks it queued. Safe to run again."""
    from django.conf import settings

    from tandem.cycles.models import Participant

    ids = list(
        Participant.objects.filter(
            cycle_id=cycle_id, cycle__status=CycleStatus.RELEASED, report__isnull=False
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    size = max(1, settings.REPORTS_PER_TASK)
    batches = [ids[start : start + size] for start in range(0, len(ids), size)]
    for batch in batches:
        reports_render_batch.enqueue(cycle_id, batch)
    return len(batches)


@task()
def reports_render_batch(cycle_id: int, participant_ids: list[int]) -> int:
    """Render and keep these participants' reports. Safe to run again (a worker killed halfway
    leaves its task to another): what is kept and current is skipped; a report that changed is
    rendered afresh. Returns how many were rendered."""
    from tandem.cycles.models import Participant
    from tandem.cycles.reporting.rendered import reports_render

    participants = list(
        Participant.objects.filter(
            pk__in=participant_ids, cycle_id=cycle_id, cycle__status=CycleStatus.RELEASED
        )
        .select_related("cycle__instrument", "person")
        .order_by("pk")
    )
    return reports_render(participants)


@task()
def instrument_health_pool(cycle_id: int) -> bool:
    """Instrument health over a released cycle and the earlier ones that asked the same
    questions (``docs/instrument-health.md``), kept in the cycle's statistics as
    ``health_across``; a cycle released before Tandem checked instrument health at release
    gets its own ``health`` too, from its kept sheets. Returns whether there was anything to
    pool. Safe to run again."""
    from tandem.cycles.health_pool import health_across, health_over
    from tandem.cycles.instruments import instrument_of

    cycle = Cycle.objects.filter(pk=cycle_id, status=CycleStatus.RELEASED).first()
    if cycle is None:
        return False
    statistics = dict(cycle.statistics or {})
    if "health" not in statistics:
        own = health_over([cycle], instrument_of(cycle.instrument))
        statistics["health"] = own if own is not None else {"status": "no_lenses"}
    pooled = health_across(cycle)
    statistics["health_across"] = pooled if pooled is not None else {"status": "single"}
    Cycle.objects.filter(pk=cycle.pk).update(statistics=statistics)
    return pooled is not None


@task()
def cycle_release_queued(cycle_id: int, actor_id: int | None) -> bool:
    """Release a cycle that was too large to release in its request
    (:func:`tandem.cycles.release.cycle_release_queue`). The release is one transaction, so a
    worker killed halfway leaves nothing behind and the task runs again on another; a cycle
    released already is left alone. Returns whether this run released it."""
    from tandem.accounts.models import User
    from tandem.cycles.release import cycle_release

    cycle = Cycle.objects.filter(pk=cycle_id, status=CycleStatus.CLOSED).first()
    if cycle is None:
        return False
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    try:
        cycle_release(cycle=cycle, actor=actor)
    except CycleError:  # released by another run meanwhile
        return False
    return True
