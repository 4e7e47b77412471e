"""The language switcher at the foot of every page."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tandem.web.middleware import supported_languages

AUTOMATIC = ""
"""The switcher's "Automatic" choice: follow the browser again."""


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
