"""Climb every unacknowledged hazard that has waited long enough with its holder.

Run it from cron (for example every hour); it is safe to run as often as you like.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from tandem.vision.services import escalation_interval, hazards_escalate


class Command(BaseCommand):
    help = "Move each unacknowledged hazard one level up its manager chain when it is due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="Pretend it is this ISO date-time (for trying the schedule out); default: now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["now"]:
            now = datetime.datetime.fromisoformat(options["now"])
            if timezone.is_naive(now):
                now = timezone.make_aware(now)
        moved = hazards_escalate(now=now)
        for step in moved:
            self.stdout.write(
                f"hazard {step.hazard_id}: {step.from_person} -> {step.to_person} "
                f"(level {step.level})"
            )
        hours = escalation_interval().total_seconds() / 3600
        self.stdout.write(f"{len(moved)} hazard(s) moved up; the interval is {hours:g} hours.")
