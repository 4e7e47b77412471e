"""schemathesis, run against the live server with its own schema: it generates valid and
invalid requests for every operation and checks every answer (no server error, every status
and body as the schema says, invalid input refused, a missing token refused)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tandem.integrations.scopes import SCOPES
from tandem.integrations.services import token_create
from tests.conftest import Personas
from tests.integrations.test_api import _furnished

pytestmark = pytest.mark.django_db(transaction=True)

ST = Path(sys.executable).with_name("st")


@pytest.mark.parametrize("kind", ["api", "personal"])
def test_schemathesis_finds_nothing_wrong(
    live_server: Any, personas: Personas, settings: Any, tmp_path: Path, kind: str
) -> None:
    """Once with the organisation's API token (the /me routes answer 403), once with Emma's
    personal token (the organisation's routes answer 403, hers read her released report)."""
    settings.API_REQUESTS_PER_MINUTE = 100_000  # schemathesis is fast; the limit is tested apart
    _furnished(personas)
    user = personas.employee if kind == "personal" else None
    scopes = list(SCOPES[kind])  # every scope, the writing one too
    secret = token_create(
        organisation=personas.organisation, kind=kind, user=user, scopes=scopes
    ).secret
    command = [
        str(ST), "run", f"{live_server.url}/api/v1/openapi.json",
        "--header", f"Authorization: Bearer {secret}",
        "--checks", "all",
        "--phases", "examples,coverage,fuzzing",
        "--max-examples", "30",
        "--seed", "2026",
        "--generation-database", "none",
        "--workers", "1",
        "--no-color",
        "--report", "junit", "--report-dir", str(tmp_path),
    ]  # fmt: skip
    done = subprocess.run(
        command,
        cwd=tmp_path,  # schemathesis keeps a cache of crashes in the working folder
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    print(done.stdout[-6000:], done.stderr[-2000:])
    assert "operations" in done.stdout.lower(), "schemathesis did not run"
    assert done.returncode == 0, "schemathesis found problems: see the output above"
