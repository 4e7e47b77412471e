"""SAML 2.0 sign-in against a real identity provider on this machine (built on pysaml2's own
IdP server, started by ``tests/sso_providers``): signed assertions, answered once, for the
request Tandem sent, to the organisation that sent it."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import SingleSignOn
from tandem.audit.models import AuditEvent
from tests.conftest import Personas
from tests.sso_providers.saml_idp import SamlIdp

pytestmark = pytest.mark.django_db


def _set_up(personas: Personas, idp: SamlIdp) -> None:
    """Set up through the page with the IdP's metadata URL, and give the IdP Tandem's metadata."""
    admin = Client()
    admin.force_login(personas.admin)
    response = admin.post(
        reverse("accounts:sso_settings"),
        {"is_enabled": "on", "protocol": "saml", "saml_metadata_url": idp.metadata_url},
    )
    assert response.status_code == 302, response.content.decode()
    metadata = Client().get(reverse("accounts:sso_saml_metadata", args=[personas.organisation.pk]))
    assert metadata["Content-Type"] == "application/samlmetadata+xml"
    idp.trust_sp(metadata.content.decode())


def _answer(
    client: Client, personas: Personas, idp: SamlIdp, email: str
) -> tuple[str, dict[str, str]]:
    start = client.get(reverse("accounts:sso_start", args=[personas.organisation.pk]))
    assert start.status_code == 302 and start["Location"].startswith(idp.base_url)
    acs_url, fields = idp.login_response(start["Location"], email)
    assert acs_url == f"http://testserver/accounts/sso/{personas.organisation.pk}/saml/acs/"
    return acs_url.removeprefix("http://testserver"), fields


def test_a_person_signs_in_with_a_signed_assertion(personas: Personas, saml_idp: SamlIdp) -> None:
    _set_up(personas, saml_idp)
    client = Client()
    acs, fields = _answer(client, personas, saml_idp, personas.manager.email.upper())
    response = client.post(acs, fields)
    assert response.status_code == 302 and response["Location"] == reverse("web:home")
    assert client.session["_auth_user_id"] == str(personas.manager.pk)
    assert AuditEvent.objects.get(action="sso.sign_in").changes == {"protocol": "saml"}
    # The same answer posted again (a replay) signs nobody in.
    replay = Client()
    response = replay.post(acs, fields)
    assert response.status_code == 403
    assert "already used" in response.content.decode()
    assert "_auth_user_id" not in replay.session


def test_an_altered_assertion_fails_its_signature(personas: Personas, saml_idp: SamlIdp) -> None:
    _set_up(personas, saml_idp)
    client = Client()
    acs, fields = _answer(client, personas, saml_idp, personas.employee.email)
    xml = base64.b64decode(fields["SAMLResponse"]).decode()
    assert personas.employee.email in xml
    forged = xml.replace(personas.employee.email, personas.admin.email)
    response = client.post(
        acs, {**fields, "SAMLResponse": base64.b64encode(forged.encode()).decode()}
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    refusal = AuditEvent.objects.get(action="sso.sign_in_refused")
    assert "not signed by the key in its metadata" in refusal.changes["reason"]
    assert not AuditEvent.objects.filter(action="sso.sign_in").exists()


def test_an_answer_tandem_did_not_ask_for_is_refused(personas: Personas, saml_idp: SamlIdp) -> None:
    _set_up(personas, saml_idp)
    client = Client()
    acs, fields = _answer(client, personas, saml_idp, personas.employee.email)
    for relay_state in ("", "id-that-tandem-never-sent"):
        response = client.post(acs, {**fields, "RelayState": relay_state})
        assert response.status_code in (400, 403)
        assert "_auth_user_id" not in client.session


def test_an_answer_for_one_organisation_does_not_sign_in_at_another(
    personas: Personas, saml_idp: SamlIdp
) -> None:
    _set_up(personas, saml_idp)
    SingleSignOn.objects.create(
        organisation=personas.other_organisation,
        protocol="saml",
        is_enabled=True,
        saml_metadata_xml=saml_idp.metadata_xml,
    )
    client = Client()
    _, fields = _answer(client, personas, saml_idp, personas.employee.email)
    other_acs = reverse("accounts:sso_saml_acs", args=[personas.other_organisation.pk])
    response = client.post(other_acs, fields)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_metadata_that_cannot_be_fetched_is_not_saved(personas: Personas, client: Client) -> None:
    client.force_login(personas.admin)
    response = client.post(
        reverse("accounts:sso_settings"),
        {
            "is_enabled": "on",
            "protocol": "saml",
            "saml_metadata_url": "http://127.0.0.1:9/metadata",
        },
    )
    assert response.status_code == 200
    assert "could not reach http://127.0.0.1:9/metadata" in response.content.decode()
    assert 'value="http://127.0.0.1:9/metadata"' in response.content.decode()
    assert not SingleSignOn.objects.exists()
