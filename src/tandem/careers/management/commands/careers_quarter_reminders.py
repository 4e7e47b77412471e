"""Remind people who have not yet summarised the current quarter. Run it from cron."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tandem.careers.tasks import quarter_reminders
from tandem.people.models import Organisation


class Command(BaseCommand):
    help = "Email everyone without a summary for the current quarter a reminder to write one."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--organisation", type=int, default=None, help="only this organisation's id"
        )
        parser.add_argument(
            "--base-url",
            default="",
            help="the site's address for the link in the email, e.g. https://tandem.example.org",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="hand the work to the task worker (manage.py db_worker) instead of doing it now",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation_id = options["organisation"]
        if (
            organisation_id is not None
            and not Organisation.objects.filter(pk=organisation_id).exists()
        ):
            raise CommandError(f"No organisation has id {organisation_id}.")
        if options["enqueue"]:
            result = quarter_reminders.enqueue(organisation_id, options["base_url"])
            self.stdout.write(f"Enqueued as task {result.id}.")
            return
        sent = quarter_reminders.call(organisation_id, options["base_url"])
        self.stdout.write(f"Sent {sent} reminder{'s' if sent != 1 else ''}.")
