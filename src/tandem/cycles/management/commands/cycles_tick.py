from typing import Any

from django.core.management.base import BaseCommand

from tandem.cycles.services import cycles_tick


class Command(BaseCommand):
    help = "Close cycles past their closing date and send the reminders that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        done = cycles_tick()
        self.stdout.write(f"Closed {done['closed']} cycle(s); sent {done['reminded']} reminder(s).")
