"""Account emails are written in their recipient's language, never in the page's."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from tandem.accounts import forms as account_forms
from tandem.accounts import services as account_services
from tandem.accounts.models import Role
from tandem.accounts.services import invitation_create
from tandem.accounts.sso import services as sso_services
from tandem.accounts.sso.identity import SsoProviderError, as_recorded
from tandem.accounts.sso.services import SsoSetup, sso_setup_save
from tests.factories import make_organisation, make_user

pytestmark = pytest.mark.django_db


def _languages_of(module: Any, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str | None]]:
    """Record, for each template the module renders, the language active at the time."""
    seen: list[tuple[str, str | None]] = []
    render = module.render_to_string

    def recording(name: str, context: Any = None, *args: Any, **kwargs: Any) -> str:
        seen.append((name, translation.get_language()))
        return str(render(name, context, *args, **kwargs))

    monkeypatch.setattr(module, "render_to_string", recording)
    return seen


def test_an_invitation_is_written_in_the_organisations_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    organisation = make_organisation()
    organisation.language = "es"
    organisation.save()
    seen = _languages_of(account_services, monkeypatch)
    with translation.override("de"):
        invitation_create(
            organisation=organisation,
            email="new@example.org",
            role=Role.EMPLOYEE,
            invited_by=None,
        )
        assert translation.get_language() == "de"
    assert seen == [("accounts/email/invitation.txt", "es")]


def test_a_password_reset_is_written_in_the_accounts_language(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    organisation = make_organisation()
    user = make_user(organisation, language="ar")
    seen = _languages_of(account_forms, monkeypatch)
    client.post(
        reverse("accounts:password_reset"), {"email": user.email}, HTTP_ACCEPT_LANGUAGE="de"
    )
    assert {language for _name, language in seen} == {"ar"}
    assert len(seen) == 2  # the subject and the body


def test_each_admin_hears_of_a_single_sign_on_change_in_their_own_language(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    organisation = make_organisation()
    organisation.language = "de"
    organisation.save()
    actor = make_user(organisation, role=Role.ADMIN, language="es")
    make_user(organisation, role=Role.ADMIN)
    seen = _languages_of(sso_services, monkeypatch)
    setup = SsoSetup(
        protocol="oidc",
        is_enabled=False,
        sso_only=False,
        create_accounts=False,
        email_domains="example.org",
    )
    with translation.override("ar"):
        sso_setup_save(organisation=organisation, setup=setup, actor=actor)
    assert sorted(language or "" for _name, language in seen) == ["de", "es"]


def test_a_provider_error_is_recorded_in_english_whatever_the_reader_reads() -> None:
    error = SsoProviderError(
        gettext_lazy("Tandem could not reach %(url)s: %(error)s."),
        url="https://idp.example",
        error="ConnectTimeout",
    )
    assert as_recorded(error) == "Tandem could not reach https://idp.example: ConnectTimeout."
