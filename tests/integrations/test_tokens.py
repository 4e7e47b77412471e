"""Tokens open nothing once revoked, nothing of another kind, nothing without their scope."""

from __future__ import annotations

import pytest

from tandem.audit.models import AuditEvent
from tandem.integrations.services import token_authenticate, token_create, token_revoke
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def test_a_live_token_opens_its_kind_and_scope_and_records_its_use(personas: Personas) -> None:
    created = token_create(
        organisation=personas.organisation, kind="scim", created_by=personas.admin
    )
    token = token_authenticate(presented=created.secret, kind="scim", scope="scim:users")
    assert token == created.token
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_wrong_secret_with_a_real_lookup_opens_nothing(personas: Personas) -> None:
    created = token_create(organisation=personas.organisation, kind="scim")
    forged = created.secret[:-4] + ("AAAA" if not created.secret.endswith("AAAA") else "BBBB")
    assert token_authenticate(presented=forged, kind="scim", scope="scim:users") is None


def test_another_kind_or_a_missing_scope_opens_nothing(personas: Personas) -> None:
    api = token_create(organisation=personas.organisation, kind="api", scopes=["people:read"])
    assert token_authenticate(presented=api.secret, kind="scim", scope="scim:users") is None
    assert token_authenticate(presented=api.secret, kind="api", scope="people:write") is None
    assert token_authenticate(presented=api.secret, kind="api", scope="people:read") is not None


def test_a_revoked_token_opens_nothing_and_the_revocation_is_audited(personas: Personas) -> None:
    created = token_create(organisation=personas.organisation, kind="scim")
    assert token_revoke(token=created.token, revoked_by=personas.admin)
    assert not token_revoke(token=created.token, revoked_by=personas.admin)
    assert token_authenticate(presented=created.secret, kind="scim", scope="scim:users") is None
    event = AuditEvent.objects.get(action="token.revoke")
    assert event.actor == personas.admin
    assert created.secret not in str(AuditEvent.objects.values_list("changes", flat=True)[::1])
