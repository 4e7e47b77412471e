"""``manage.py sso_break_glass``: a one-time sign-in link for an admin when single sign-on fails.

The documented way back in for an organisation that turned passwords off ("single sign-on
only") and whose identity provider is down or misconfigured. Only someone who can run commands
on the server can make one; the link works once, for 15 minutes, and both its making and its
use are audited.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tandem.accounts.services import AccountError
from tandem.accounts.sso.services import BREAK_GLASS_LIFETIME, break_glass_link
from tandem.people.selectors import organisation_named


class Command(BaseCommand):
    help = (
        "Print a one-time link (15 minutes) that signs an organisation admin in without single "
        "sign-on. The link is alone on the last line of standard output."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--organisation", required=True, help="the organisation's id or exact name"
        )
        parser.add_argument("--email", required=True, help="the email of one of its admins")

    def handle(self, *args: Any, organisation: str, email: str, **_: Any) -> None:
        try:
            found = organisation_named(organisation)
            link = break_glass_link(organisation=found, email=email)
        except (LookupError, AccountError) as error:
            raise CommandError(str(error)) from None
        minutes = int(BREAK_GLASS_LIFETIME.total_seconds() // 60)
        self.stderr.write(
            f"One-time sign-in link for {email} in {found.name}, valid for {minutes} minutes "
            "and recorded in the audit log. Open it in a browser and press the button:"
        )
        self.stdout.write(link)
