"""Deliver queued email that is due: for installations that run cron instead of the worker."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tandem.outbox.services import mail_deliver


class Command(BaseCommand):
    help = "Deliver queued email that is due (retries included)."

    def handle(self, *args: Any, **options: Any) -> None:
        delivery = mail_deliver()
        self.stdout.write(f"{delivery.sent} sent, {delivery.failed} not delivered this time")
