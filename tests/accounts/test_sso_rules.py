"""Single sign-on's rules that need no identity provider: who a confirmed email signs in as,
"SSO only" and its break-glass link, the set-up page's access and checks.

The round trips through real providers are in ``test_sso_oidc.py`` and ``test_sso_saml.py``.
"""

from __future__ import annotations

import subprocess
import sys
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Membership, Role, SingleSignOn, SsoProtocol, User
from tandem.accounts.sso.identity import Identity
from tandem.accounts.sso.services import SsoRefused, sso_for_email, sso_sign_in
from tandem.audit.models import AuditEvent
from tandem.people.models import PersonStatus
from tests.conftest import Personas
from tests.factories import PASSWORD, make_person


def _sso(personas: Personas, **fields: Any) -> SingleSignOn:
    values = {
        "protocol": SsoProtocol.OIDC,
        "is_enabled": True,
        "oidc_discovery_url": "http://127.0.0.1:9/.well-known/openid-configuration",
        "oidc_client_id": "tandem",
        "oidc_client_secret": "secret",
        **fields,
    }
    return SingleSignOn.objects.create(organisation=personas.organisation, **values)


def _refusal(email: str) -> str:
    event = AuditEvent.objects.filter(action="sso.sign_in_refused").latest("pk")
    assert event.changes["email"] == email
    return str(event.changes["reason"])


def test_the_same_email_in_any_case_signs_in_as_that_account(personas: Personas) -> None:
    sso = _sso(personas)
    user = sso_sign_in(sso=sso, identity=Identity(email=personas.employee.email.upper(), name=""))
    assert user == personas.employee
    event = AuditEvent.objects.get(action="sso.sign_in")
    assert event.actor == personas.employee and event.changes == {"protocol": "oidc"}
    sso.refresh_from_db()
    assert sso.last_sign_in_at is not None


def test_an_account_of_another_organisation_never_signs_in(personas: Personas) -> None:
    sso = _sso(personas)
    with pytest.raises(SsoRefused, match="not in Acme"):
        sso_sign_in(sso=sso, identity=Identity(email=personas.outsider.email, name=""))
    assert _refusal(personas.outsider.email) == "other_organisation"


def test_nobody_unknown_gets_in_by_default(personas: Personas) -> None:
    sso = _sso(personas)
    newcomer = make_person(personas.organisation, "Nora Newcomer")
    with pytest.raises(SsoRefused, match="Ask your people team"):
        sso_sign_in(sso=sso, identity=Identity(email=newcomer.email, name=""))
    with pytest.raises(SsoRefused):
        sso_sign_in(sso=sso, identity=Identity(email="stranger@example.org", name=""))
    assert _refusal("stranger@example.org") == "unknown"
    assert not User.objects.filter(email__iexact=newcomer.email).exists()


def test_people_in_the_list_get_an_employee_account_when_the_admin_allows(
    personas: Personas,
) -> None:
    sso = _sso(personas, create_accounts=True)
    newcomer = make_person(personas.organisation, "Nora Newcomer")
    user = sso_sign_in(sso=sso, identity=Identity(email=newcomer.email.upper(), name="Nora N."))
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.EMPLOYEE and membership.person == newcomer
    assert membership.organisation == personas.organisation
    assert not user.has_usable_password()
    assert AuditEvent.objects.filter(action="sso.account_create", target_id=str(user.pk)).exists()
    # Someone not in the list still does not get in, and a person who left neither.
    with pytest.raises(SsoRefused):
        sso_sign_in(sso=sso, identity=Identity(email="stranger@example.org", name=""))
    leaver = make_person(personas.organisation, "Len Leaver", status=PersonStatus.ARCHIVED)
    with pytest.raises(SsoRefused):
        sso_sign_in(sso=sso, identity=Identity(email=leaver.email, name=""))


def test_a_deactivated_account_or_a_person_who_left_is_refused(personas: Personas) -> None:
    sso = _sso(personas)
    User.objects.filter(pk=personas.employee.pk).update(is_active=False)
    with pytest.raises(SsoRefused, match="deactivated"):
        sso_sign_in(sso=sso, identity=Identity(email=personas.employee.email, name=""))
    personas.sibling_person.status = PersonStatus.ARCHIVED
    personas.sibling_person.save()
    sibling = User.objects.create_user(personas.sibling_person.email, PASSWORD)
    Membership.objects.create(
        user=sibling, organisation=personas.organisation, person=personas.sibling_person
    )
    with pytest.raises(SsoRefused, match="no longer"):
        sso_sign_in(sso=sso, identity=Identity(email=sibling.email, name=""))
    assert _refusal(sibling.email) == "left"


def test_the_email_domain_or_the_account_says_which_provider(personas: Personas) -> None:
    sso = _sso(personas, email_domains="acme.example")
    assert sso_for_email("Someone@ACME.example") == sso
    assert sso_for_email(personas.employee.email) == sso  # by the account's organisation
    assert sso_for_email(personas.outsider.email) is None
    sso.is_enabled = False
    sso.save()
    assert sso_for_email("someone@acme.example") is None


def test_the_sign_in_page_offers_single_sign_on_only_when_it_is_on(
    personas: Personas, client: Client
) -> None:
    assert (
        "Sign in with single sign-on" not in client.get(reverse("accounts:login")).content.decode()
    )
    _sso(personas)
    page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("accounts:sso_start", args=[personas.organisation.pk]) in page
    unknown = client.post(reverse("accounts:sso_choose"), {"email": "who@nowhere.example"})
    assert "No single sign-on is set up for this address" in unknown.content.decode()
    known = client.post(reverse("accounts:sso_choose"), {"email": personas.employee.email})
    assert known.status_code == 302
    assert known["Location"] == reverse("accounts:sso_start", args=[personas.organisation.pk])


def test_sso_only_turns_passwords_and_their_reset_off(personas: Personas, client: Client) -> None:
    _sso(personas, sso_only=True)
    response = client.post(
        reverse("accounts:login"), {"username": personas.employee.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "signs in through single sign-on only" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sso.password_refused").exists()
    client.post(reverse("accounts:password_reset"), {"email": personas.employee.email})
    client.post(reverse("accounts:password_reset"), {"email": personas.outsider.email})
    from tandem.outbox.models import OutgoingMail

    recipients = list(OutgoingMail.objects.values_list("to", flat=True))
    assert personas.outsider.email in recipients  # Globex still uses passwords
    assert personas.employee.email not in recipients
    # Another organisation's people keep their passwords.
    other = client.post(
        reverse("accounts:login"), {"username": personas.outsider.email, "password": PASSWORD}
    )
    assert other.status_code == 302


def test_break_glass_signs_an_admin_in_once(personas: Personas, client: Client) -> None:
    _sso(personas, sso_only=True)
    out, err = StringIO(), StringIO()
    call_command(
        "sso_break_glass",
        "--organisation",
        "Acme",
        "--email",
        personas.admin.email.upper(),
        stdout=out,
        stderr=err,
    )
    link = out.getvalue().strip().splitlines()[-1]
    assert "15 minutes" in err.getvalue()
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200  # a button, not yet signed in
    assert "_auth_user_id" not in client.session
    response = client.post("/" + path)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:sso_settings")
    assert client.session["_auth_user_id"] == str(personas.admin.pk)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"sso.break_glass_issue", "sso.break_glass_use"} <= actions
    # Once: signing in changed the account's last sign-in, so the link no longer works.
    again = Client().post("/" + path)
    assert again.status_code == 410
    with pytest.raises(CommandError, match="not an admin"):
        call_command(
            "sso_break_glass", "--organisation", "Acme", "--email", personas.employee.email
        )
    with pytest.raises(CommandError, match="No organisation"):
        call_command("sso_break_glass", "--organisation", "Nope", "--email", "a@b.example")


def test_only_the_admin_sees_the_set_up_page(personas: Personas, client: Client) -> None:
    url = reverse("accounts:sso_settings")
    for user in (personas.hr, personas.employee, personas.superuser):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.force_login(personas.admin)
    page = client.get(url).content.decode()
    assert "http://testserver/accounts/sso/oidc/callback/" in page
    assert f"http://testserver/accounts/sso/{personas.organisation.pk}/saml/acs/" in page


def test_a_set_up_that_cannot_work_is_not_saved_and_keeps_what_was_typed(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)
    url = reverse("accounts:sso_settings")
    typed = {
        "is_enabled": "on",
        "protocol": "oidc",
        "email_domains": "acme.example",
        "oidc_discovery_url": "http://127.0.0.1:9/.well-known/openid-configuration",
        "oidc_client_id": "tandem-client",
        "oidc_client_secret": "s3cret",
    }
    response = client.post(url, typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert "could not reach http://127.0.0.1:9/" in page
    assert 'value="tandem-client"' in page and "s3cret" not in page
    assert not SingleSignOn.objects.exists()
    bad_domain = client.post(url, {**typed, "is_enabled": "", "email_domains": "not a domain"})
    assert "is not an email domain" in bad_domain.content.decode()
    assert not SingleSignOn.objects.exists()
    # Switched off, the details are saved unchecked (to finish later), audited without the secret.
    saved = client.post(url, {**typed, "is_enabled": ""})
    assert saved.status_code == 302
    event = AuditEvent.objects.get(action="sso.setup_change")
    assert "s3cret" not in str(event.changes)
    assert event.changes["oidc_client_secret_set"] == [None, True]
    # Passwords cannot be turned off before single sign-on has worked once.
    refused = client.post(url, {**typed, "is_enabled": "", "sso_only": "on"})
    assert "Turn single sign-on on" in refused.content.decode()
    SingleSignOn.objects.update(is_enabled=True)
    early = client.post(url, {**typed, "oidc_discovery_url": "", "sso_only": "on"})
    assert "Give the discovery URL" in early.content.decode()


def test_saml_metadata_that_is_not_metadata_is_refused(personas: Personas, client: Client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(personas.admin)
    upload = SimpleUploadedFile("idp.xml", b"<html>not metadata</html>", "text/xml")
    response = client.post(
        reverse("accounts:sso_settings"),
        {"is_enabled": "on", "protocol": "saml", "saml_metadata_file": upload},
    )
    assert response.status_code == 200
    assert "metadata" in response.content.decode()
    assert not SingleSignOn.objects.exists()


def test_loading_the_urls_does_not_load_the_sso_libraries() -> None:
    """pysaml2 takes about a second to import: a process pays it only when SSO is used."""
    code = (
        "import django, sys; django.setup(); from django.urls import resolve; resolve('/'); "
        "print(sorted(m for m in ('saml2', 'authlib') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={"DJANGO_SETTINGS_MODULE": "tandem.web.settings", "PATH": "/usr/bin:/bin"},
        check=True,
    )
    assert result.stdout.strip() == "[]"
    assert mail.outbox == []


def test_an_invitation_to_an_sso_only_organisation_asks_for_no_password(
    personas: Personas, client: Client
) -> None:
    from tandem.accounts.services import invitation_create

    _sso(personas, sso_only=True)
    newcomer = make_person(personas.organisation, "Nora Newcomer")
    sent = invitation_create(
        organisation=personas.organisation,
        email=newcomer.email,
        role=Role.EMPLOYEE,
        invited_by=personas.admin,
    )
    path = sent.url.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path).content.decode()
    assert "no password is needed here" in page and 'type="password"' not in page
    response = client.post("/" + path, {"full_name": "Nora Newcomer"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:sso_start", args=[personas.organisation.pk])
    user = User.objects.get(email=newcomer.email)
    assert not user.has_usable_password() and user.membership.person == newcomer
    assert "_auth_user_id" not in client.session  # signed in by the identity provider, next


def test_every_admin_hears_when_single_sign_on_changes(personas: Personas, client: Client) -> None:
    from tandem.outbox.models import OutgoingMail

    second_admin = User.objects.create_user("second.admin@example.org", PASSWORD)
    Membership.objects.create(
        user=second_admin, organisation=personas.organisation, role=Role.ADMIN
    )
    client.force_login(personas.admin)
    saved = client.post(
        reverse("accounts:sso_settings"),
        {"protocol": "oidc", "oidc_client_id": "tandem", "oidc_client_secret": "s3cret"},
    )
    assert saved.status_code == 302, saved.content.decode()
    mails = OutgoingMail.objects.filter(kind="sso_changed")
    assert sorted(mails.values_list("to", flat=True)) == sorted(
        [personas.admin.email, second_admin.email]
    )
    body = mails.first().body  # type: ignore[union-attr]
    assert personas.admin.email in body and "the client secret" in body
    assert body.count("the client secret") == 1 and "s3cret" not in body
    assert "Single sign-on is now off" in body
    assert personas.outsider.email not in mails.values_list("to", flat=True)
