"""Send this week's habit reminders now (for cron), or start the daily background task."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from tandem.growth.services import habit_reminders_send
from tandem.growth.tasks import schedule_habit_reminders


class Command(BaseCommand):
    help = (
        "Email each person keeping weekly habits their checklist for this ISO week (at most "
        "once a week). With --schedule, enqueue the background task that repeats it daily."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="Pretend it is this moment (ISO 8601, e.g. 2026-11-23T08:00:00+00:00).",
        )
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Enqueue the daily background task instead of sending now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            schedule_habit_reminders()
            self.stdout.write("The habit reminder task is enqueued; a worker runs it daily.")
            return
        now = timezone.now()
        if options["now"]:
            try:
                now = datetime.datetime.fromisoformat(options["now"])
            except ValueError as error:
                raise CommandError(f"--now: {error}. Use ISO 8601.") from error
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        sent = habit_reminders_send(now=now)
        self.stdout.write(f"{sent} habit reminder(s) sent.")
