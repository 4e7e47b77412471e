"""``manage.py create_token``: a token for automation. The token alone is the last line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tandem.integrations.scopes import ORGANISATION_KINDS, SCOPES
from tandem.integrations.services import TokenError, token_create
from tandem.people.selectors import organisation_named


class Command(BaseCommand):
    help = (
        "Make an organisation token and print it (only once: Tandem keeps a hash). "
        "The token is alone on the last line of standard output."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--organisation", required=True, help="the organisation's id or exact name"
        )
        parser.add_argument(
            "--kind",
            required=True,
            help=f"one of: {', '.join(k.value for k in ORGANISATION_KINDS)}",
        )
        scopes = "; ".join(
            f"{kind}: {', '.join(names)}"
            for kind, names in SCOPES.items()
            if kind in ORGANISATION_KINDS
        )
        parser.add_argument(
            "--scope",
            action="append",
            default=None,
            help=f"a scope to give (repeat for more; default: the kind's usual ones). {scopes}",
        )
        parser.add_argument("--name", default="", help="what the token is for (shown in lists)")

    def handle(
        self, *args: Any, organisation: str, kind: str, scope: list[str] | None, name: str, **_: Any
    ) -> None:
        try:
            found = organisation_named(organisation)
        except LookupError as error:
            raise CommandError(str(error)) from None
        try:
            created = token_create(
                organisation=found, kind=kind, scopes=scope, name=name or "made by create_token"
            )
        except TokenError as error:
            raise CommandError(str(error)) from error
        self.stderr.write(
            f"Made a {kind} token for {found.name} (id {found.pk}) with scopes "
            f"{', '.join(created.token.scopes)}. Keep it now: Tandem cannot show it again."
        )
        self.stdout.write(created.secret)
