"""Which language a person reads: the languages Tandem speaks, and the switcher at the foot of
every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

AUTOMATIC = ""
"""The switcher's "Automatic" choice: follow the browser again."""


def supported_languages() -> frozenset[str]:
    return frozenset(code for code, _name in settings.LANGUAGES)


def language_name(code: str) -> str:
    """A language's own name (``Español``) when Tandem speaks it, else its code.

    >>> language_name("es"), language_name("en"), language_name("pt-br")
    ('Español', 'English', 'pt-br')
    """
    names = {key.split("-")[0]: name for key, name in settings.LANGUAGES}
    return names.get(code.split("-")[0], code)


def request_language(request: HttpRequest) -> str:
    """A signed-in person's own choice, else the switcher's cookie, else the browser's."""
    user = getattr(request, "user", None)
    chosen = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
    if chosen and chosen in supported_languages():
        return chosen
    return translation.get_language_from_request(request)


@require_POST
def language_choose(request: HttpRequest) -> HttpResponse:
    """Remember the chosen language: on the account when signed in (so emails follow it), and
    in a cookie, which is what a rater who came through an emailed link has."""
    code = request.POST.get("language", AUTOMATIC)
    response = HttpResponseRedirect(_safe_next(request))
    if code != AUTOMATIC and code not in supported_languages():
        return response
    user = request.user
    if user.is_authenticated and user.language != code:
        user.language = code
        user.save(update_fields=["language"])
    if code == AUTOMATIC:
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
    else:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            samesite="Lax",
        )
    return response


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return "/"
