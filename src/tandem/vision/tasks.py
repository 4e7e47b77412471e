"""Background work of the vision cascade, run by the django-tasks worker (``db_worker``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def escalate_hazards() -> int:
    """Climb every hazard that waited long enough; returns how many moved.

    Raising a hazard enqueues this task for when it is due; each run that moves a hazard
    enqueues the next. ``manage.py escalate_hazards`` does the same from cron.
    """
    from tandem.vision.services.hazards import hazards_escalate

    return len(hazards_escalate(now=timezone.now()))
