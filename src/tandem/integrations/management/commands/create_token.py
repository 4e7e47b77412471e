"""``manage.py create_token``: a token for automation. The token alone is the last line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tandem.integrations.scopes import ORGANISATION_KINDS, SCOPES
from tandem.integrations.services import TokenError, token_create
from tandem.people.models import Organisation


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
        found = _organisation(organisation)
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


def _organisation(text: str) -> Organisation:
    by_name = list(Organisation.objects.filter(name=text)[:2])
    if len(by_name) == 1:
        return by_name[0]
    if len(by_name) > 1:
        raise CommandError(
            f"More than one organisation is called '{text}'. Give its id instead "
            f"({', '.join(str(o.pk) for o in Organisation.objects.filter(name=text))})."
        )
    if text.strip().isdigit():
        found = Organisation.objects.filter(pk=int(text)).first()
        if found is not None:
            return found
    raise CommandError(
        f"No organisation has the id or exact name '{text}'. Organisations: "
        + (
            ", ".join(f"{o.pk} ({o.name})" for o in Organisation.objects.order_by("pk")[:20])
            or "none yet"
        )
        + "."
    )
