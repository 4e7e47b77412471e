"""The admin makes a token (shown once), sees it listed without its secret, and revokes it."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tandem.integrations.models import OrganisationToken
from tandem.integrations.services import token_create
from tests.conftest import Personas

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_the_admin_sees_a_new_token_once(personas: Personas) -> None:
    client = signed_in(personas.admin)
    response = client.post(
        reverse("integrations:tokens"), {"name": "Okta", "kind": "scim", "scopes": []}
    )
    assert response.status_code == 200
    secret = response.context["created"].secret
    assert secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    listed = client.get(reverse("integrations:tokens")).content.decode()
    assert "Okta" in listed and secret not in listed
    assert OrganisationToken.objects.get().visible.split("…")[0] in listed


def test_a_scope_of_the_other_kind_is_refused(personas: Personas) -> None:
    response = signed_in(personas.admin).post(
        reverse("integrations:tokens"), {"name": "x", "kind": "scim", "scopes": ["people:read"]}
    )
    assert "cannot have people:read" in response.content.decode()
    assert not OrganisationToken.objects.exists()


def test_revoking_from_the_list(personas: Personas) -> None:
    created = token_create(organisation=personas.organisation, kind="scim", name="Entra")
    response = signed_in(personas.admin).post(
        reverse("integrations:token_revoke", args=[created.token.pk]), follow=True
    )
    assert "Revoked" in response.content.decode()
    created.token.refresh_from_db()
    assert created.token.revoked_at is not None


def test_another_organisations_token_is_hidden(personas: Personas) -> None:
    created = token_create(organisation=personas.organisation, kind="scim")
    response = signed_in(personas.outsider).post(
        reverse("integrations:token_revoke", args=[created.token.pk])
    )
    assert response.status_code == 404
    created.token.refresh_from_db()
    assert created.token.revoked_at is None
