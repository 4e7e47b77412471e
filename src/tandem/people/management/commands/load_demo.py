"""``make demo``: a demo organisation of about 150 generated people, and a way to sign in to it."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tandem.accounts.models import Role
from tandem.accounts.services import AccountError, invitation_create
from tandem.cycles.demo import demo_cycle_load
from tandem.people.models import Organisation
from tandem.people.services import demo_people_load, organisation_create


class Command(BaseCommand):
    help = (
        "Create a demo organisation of generated people and print a link to sign in as its admin."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--seed", type=int, default=2026, help="generator seed (same seed, same people)"
        )
        parser.add_argument("--name", default="Demo: Northwind Labs", help="organisation name")
        parser.add_argument(
            "--admin-email",
            default="admin@demo.tandem.example",
            help="who gets the admin invitation (no password is set: you choose it from the link)",
        )

    def handle(self, *args: Any, seed: int, name: str, admin_email: str, **options: Any) -> None:
        if Organisation.objects.filter(name=name).exists():
            raise CommandError(
                f"An organisation called '{name}' already exists. Use --name to load another copy."
            )
        with transaction.atomic():
            organisation = organisation_create(name=name, is_demo=True)
            outcome = demo_people_load(organisation=organisation, actor=None, seed=seed)
            self.stdout.write("Simulating a released 360 cycle for everyone (a few seconds)...")
            demo_cycle_load(organisation=organisation, seed=seed)
            try:
                sent = invitation_create(
                    organisation=organisation,
                    email=admin_email,
                    role=Role.ADMIN,
                    invited_by=None,
                    send=False,
                )
            except AccountError as error:
                raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded '{name}' with {outcome.added} people and a released 360 cycle, "
                f"'Demo 360' (seed {seed})."
            )
        )
        self.stdout.write(
            "Open this link to choose the admin's password and sign in (it works once):"
        )
        self.stdout.write(f"  {sent.url}")
