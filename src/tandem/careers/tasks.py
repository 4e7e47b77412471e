"""Background work for careers: the quarterly summary reminder.

django-tasks has no scheduler: run ``manage.py careers_quarter_reminders`` from cron once a
quarter (for example in the last two weeks of it), or enqueue ``quarter_reminders`` yourself.
"""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from tandem.careers.services import quarter_reminders_send
from tandem.people.models import Organisation


@task()
def quarter_reminders(organisation_id: int | None = None, base_url: str = "") -> int:
    """Email everyone without a summary for the current quarter; returns how many were sent."""
    organisations = Organisation.objects.all()
    if organisation_id is not None:
        organisations = organisations.filter(pk=organisation_id)
    today = timezone.localdate()
    return sum(
        quarter_reminders_send(organisation=organisation, today=today, base_url=base_url)
        for organisation in organisations
    )
