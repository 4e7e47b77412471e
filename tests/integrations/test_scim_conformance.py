"""scim2-tester, written by the authors of scim2-models, run against Tandem's live server.

Every check it makes must pass: discovery, creation, reading (with attributes and
excludedAttributes), replacement, deletion, and PATCH add, replace and remove of every
attribute Tandem publishes.
"""

from __future__ import annotations

from typing import Any

import httpx2
import pytest
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import Status, check_server

from tandem.integrations.services import token_create
from tests.factories import make_organisation, make_person


@pytest.fixture
def scim_client(live_server: Any) -> Any:
    acme = make_organisation("Acme")
    make_person(acme, "Ada Admin")
    secret = token_create(organisation=acme, kind="scim").secret
    with httpx2.Client(
        base_url=f"{live_server.url}/scim/v2",
        headers={"Authorization": f"Bearer {secret}"},
        timeout=30,
    ) as http:
        yield SyncSCIMClient(http)


def test_scim2_tester_finds_nothing_wrong(scim_client: Any) -> None:
    results = check_server(scim_client, raise_exceptions=False)
    failures = [r for r in results if r.status not in (Status.SUCCESS, Status.SKIPPED)]
    for result in failures:
        print(f"{result.status.name} {result.resource_type or ''} {result.title}: {result.reason}")
    skipped = [r for r in results if r.status == Status.SKIPPED]
    for result in skipped:
        print(f"SKIPPED {result.resource_type or ''} {result.title}: {result.reason}")
    print(
        f"{len(results)} checks: {len(results) - len(failures) - len(skipped)} passed, "
        f"{len(skipped)} skipped, {len(failures)} failed"
    )
    assert len(results) > 40
    assert not failures, f"{len(failures)} of {len(results)} scim2-tester checks failed"
