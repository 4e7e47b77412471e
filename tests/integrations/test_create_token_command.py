"""``manage.py create_token``: the token alone on the last line, clear errors otherwise."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tandem.audit.models import AuditEvent
from tandem.integrations.models import OrganisationToken
from tandem.integrations.services import token_authenticate
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("create_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_prints_a_working_scim_token_alone_on_the_last_line() -> None:
    acme = make_organisation("Acme")
    secret = run("--organisation", "Acme", "--kind", "scim").splitlines()[-1]
    token = token_authenticate(presented=secret, kind="scim", scope="scim:users")
    assert token is not None and token.organisation == acme
    assert secret.startswith("tandem_scim_") and " " not in secret


def test_it_finds_the_organisation_by_id_and_keeps_only_a_hash() -> None:
    acme = make_organisation("Acme")
    secret = run(
        "--organisation",
        str(acme.pk),
        "--kind",
        "api",
        "--scope",
        "people:read",
        "--scope",
        "people:write",
    ).splitlines()[-1]
    token = OrganisationToken.objects.get()
    assert token.scopes == ["people:read", "people:write"]
    assert secret not in str(token.__dict__)
    assert AuditEvent.objects.filter(action="token.create", organisation=acme).count() == 1


def test_an_api_token_without_scopes_only_reads() -> None:
    make_organisation("Acme")
    run("--organisation", "Acme", "--kind", "api")
    assert all(scope.endswith(":read") for scope in OrganisationToken.objects.get().scopes)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--organisation", "Nobody", "--kind", "scim"),
            "No organisation has the id or exact name",
        ),
        (
            ("--organisation", "999999", "--kind", "scim"),
            "No organisation has the id or exact name",
        ),
        (("--organisation", "Acme", "--kind", "ftp"), "'ftp' is not a kind of token"),
        (
            ("--organisation", "Acme", "--kind", "scim", "--scope", "people:read"),
            "cannot have the scope 'people:read'",
        ),
    ],
)
def test_it_refuses_unknown_organisations_kinds_and_scopes(
    args: tuple[str, ...], message: str
) -> None:
    make_organisation("Acme")
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not OrganisationToken.objects.exists()


def test_a_failing_command_exits_non_zero() -> None:
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "manage.py", "create_token", "--organisation", "Nobody", "--kind", "x"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**__import__("os").environ, "DATABASE_URL": "sqlite:///:memory:"},
    )
    assert result.returncode != 0
    assert result.stdout == ""
