"""OpenID Connect sign-in against a real provider on this machine (Node's ``oidc-provider``,
started by ``tests/sso_providers``): the admin's set-up is checked against it, and the whole
round trip (redirect, the provider's login form, the code exchanged, the ID token checked) runs.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import SingleSignOn
from tandem.audit.models import AuditEvent
from tests.conftest import Personas
from tests.sso_providers.oidc import OidcProvider

pytestmark = pytest.mark.django_db


def _set_up(personas: Personas, provider: OidcProvider, **extra: str) -> None:
    admin = Client()
    admin.force_login(personas.admin)
    response = admin.post(
        reverse("accounts:sso_settings"),
        {
            "is_enabled": "on",
            "protocol": "oidc",
            "oidc_discovery_url": provider.discovery_url,
            "oidc_client_id": provider.client_id,
            "oidc_client_secret": provider.client_secret,
            **extra,
        },
    )
    assert response.status_code == 302, response.content.decode()


def _start(client: Client, personas: Personas, next_url: str = "") -> str:
    url = reverse("accounts:sso_start", args=[personas.organisation.pk])
    response = client.get(url + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    return str(response["Location"])


def _local(url: str) -> str:
    parts = urlsplit(url)
    assert parts.netloc == "testserver", url
    return f"{parts.path}?{parts.query}"


def test_a_person_signs_in_through_the_provider(
    personas: Personas, oidc_provider: OidcProvider
) -> None:
    _set_up(personas, oidc_provider)
    client = Client()
    authorize = _start(client, personas, next_url="/people/")
    assert authorize.startswith(oidc_provider.issuer)
    assert "code_challenge=" in authorize and "nonce=" in authorize
    callback = oidc_provider.sign_in(authorize, personas.employee.email.upper())
    response = client.get(_local(callback))
    assert response.status_code == 302 and response["Location"] == "/people/"
    assert client.session["_auth_user_id"] == str(personas.employee.pk)
    assert AuditEvent.objects.filter(action="sso.sign_in", actor=personas.employee).exists()
    # The answer is used once: the same code and state again sign nobody in.
    again = Client().get(_local(callback))
    assert again.status_code == 400
    assert SingleSignOn.objects.get().last_sign_in_at is not None


def test_someone_without_an_account_is_turned_away_and_it_is_audited(
    personas: Personas, oidc_provider: OidcProvider
) -> None:
    _set_up(personas, oidc_provider)
    client = Client()
    callback = oidc_provider.sign_in(_start(client, personas), "stranger@elsewhere.example")
    response = client.get(_local(callback))
    assert response.status_code == 403
    assert "has no Tandem account for stranger@elsewhere.example" in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="sso.sign_in_refused")
    assert event.changes["reason"] == "unknown"


def test_an_answer_for_another_browser_is_refused(
    personas: Personas, oidc_provider: OidcProvider
) -> None:
    """The state lives in the session of the browser that started: a callback URL handed to
    another browser (login CSRF) signs nobody in."""
    _set_up(personas, oidc_provider)
    callback = oidc_provider.sign_in(_start(Client(), personas), personas.admin.email)
    other = Client()
    response = other.get(_local(callback))
    assert response.status_code == 400
    assert "_auth_user_id" not in other.session
    # And a tampered state in the right browser neither.
    client = Client()
    callback = oidc_provider.sign_in(_start(client, personas), personas.admin.email)
    tampered = client.get(_local(callback).replace("state=", "state=x"))
    assert tampered.status_code == 403
    assert "did not sign you in" in tampered.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_wrong_client_secret_signs_nobody_in(
    personas: Personas, oidc_provider: OidcProvider
) -> None:
    _set_up(personas, oidc_provider)
    SingleSignOn.objects.update(oidc_client_secret="not the secret")
    client = Client()
    callback = oidc_provider.sign_in(_start(client, personas), personas.employee.email)
    response = client.get(_local(callback))
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sso.sign_in_refused").exists()


def test_passwords_go_off_once_single_sign_on_has_worked(
    personas: Personas, oidc_provider: OidcProvider
) -> None:
    _set_up(personas, oidc_provider)
    client = Client()
    client.get(_local(oidc_provider.sign_in(_start(client, personas), personas.admin.email)))
    _set_up(personas, oidc_provider, sso_only="on")
    assert SingleSignOn.objects.get().sso_only
    response = Client().post(
        reverse("accounts:login"), {"username": personas.hr.email, "password": "x" * 12}
    )
    assert response.status_code == 200
    # The secret need not be typed again: blank keeps it.
    admin = Client()
    admin.force_login(personas.admin)
    kept = admin.post(
        reverse("accounts:sso_settings"),
        {
            "is_enabled": "on",
            "protocol": "oidc",
            "oidc_discovery_url": oidc_provider.discovery_url,
            "oidc_client_id": oidc_provider.client_id,
            "sso_only": "on",
        },
    )
    assert kept.status_code == 302
    assert SingleSignOn.objects.get().oidc_client_secret == oidc_provider.client_secret
