"""Each person reads Tandem in their language: their own choice, the switcher, the browser."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client

from tandem.accounts.models import Role
from tandem.people.models import Organisation
from tests.factories import make_organisation, make_person, make_user

pytestmark = pytest.mark.django_db


def page_language(response: HttpResponse) -> tuple[str, str]:
    html = response.content.decode()
    start = html.index("<html")
    tag = html[start : html.index(">", start)]
    lang = tag.split('lang="')[1].split('"')[0]
    direction = tag.split('dir="')[1].split('"')[0]
    return lang, direction


@pytest.fixture
def organisation() -> Organisation:
    return make_organisation()


def test_a_visitor_gets_the_browsers_language(client: Client, organisation: Organisation) -> None:
    response = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")
    assert page_language(response) == ("es", "ltr")
    assert "Iniciar sesión" in response.content.decode()
    assert response["Content-Language"] == "es"
    assert "Accept-Language" in response["Vary"]


def test_any_english_gets_british_english_and_an_unknown_language_gets_english(
    client: Client, organisation: Organisation
) -> None:
    us = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="en-US")
    unknown = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="tlh")
    assert page_language(us) == page_language(unknown) == ("en-gb", "ltr")


def test_arabic_turns_the_page_right_to_left(client: Client, organisation: Organisation) -> None:
    response = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="ar")
    assert page_language(response) == ("ar", "rtl")
    assert "تسجيل الدخول" in response.content.decode()


def test_the_switcher_remembers_a_visitors_choice_in_a_cookie(
    client: Client, organisation: Organisation
) -> None:
    response = client.post("/language/", {"language": "de", "next": "/accounts/sign-in/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/sign-in/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    page = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="es")
    assert page_language(page) == ("de", "ltr")
    assert "Anmelden" in page.content.decode()
    client.post("/language/", {"language": "", "next": "/accounts/sign-in/"})
    again = client.get("/accounts/sign-in/", HTTP_ACCEPT_LANGUAGE="es")
    assert page_language(again) == ("es", "ltr")


def test_a_signed_in_persons_choice_is_kept_on_their_account(
    client: Client, organisation: Organisation
) -> None:
    user = make_user(organisation, role=Role.EMPLOYEE, person=make_person(organisation, "Ana"))
    client.force_login(user)
    client.post("/language/", {"language": "ar", "next": "/"})
    user.refresh_from_db()
    assert user.language == "ar"
    elsewhere = Client()  # another browser, no cookie, a browser asking for German
    elsewhere.force_login(user)
    assert page_language(elsewhere.get("/", HTTP_ACCEPT_LANGUAGE="de")) == ("ar", "rtl")


def test_the_switcher_goes_back_only_to_this_site_and_ignores_unknown_languages(
    client: Client, organisation: Organisation
) -> None:
    away = client.post("/language/", {"language": "es", "next": "https://evil.example/"})
    assert away["Location"] == "/"
    unknown = client.post("/language/", {"language": "xx", "next": "/accounts/sign-in/"})
    assert settings.LANGUAGE_COOKIE_NAME not in unknown.cookies


def test_the_api_answers_in_english_whatever_the_client_asks(
    client: Client, organisation: Organisation
) -> None:
    response = client.get("/api/v1/people", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 401
    assert response["Content-Language"] == "en-gb"
