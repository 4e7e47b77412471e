"""Request-wide concerns: set-up of a brand-new installation, and each person's language."""

from __future__ import annotations

import weakref
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.cache import patch_vary_headers

from tandem.people.models import Organisation
from tandem.web.language import request_language

_MACHINE_PATHS = ("/api/", "/scim/")
_ALWAYS_OPEN = ("/setup/", "/static/", "/healthz", "/language/")


_instances: weakref.WeakSet[SetupRequiredMiddleware] = weakref.WeakSet()


def forget_setup(**_kwargs: object) -> None:
    """Ask again on the next request: connected to ``post_migrate``, which a flushed database
    (the tests' live server between tests) also sends."""
    for middleware in list(_instances):
        middleware.set_up = False


class SetupRequiredMiddleware:
    """Until the first organisation exists, every page but set-up sends visitors to set-up.

    Set-up happens once: after this process has seen an organisation, it stops asking (an
    anonymous request, such as a rater's answer through an emailed link, then costs no
    query here).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.set_up = False
        _instances.add(self)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A signed-in user means set-up happened; only anonymous visits may cost a query.
        if not self.set_up and not request.path.startswith(_ALWAYS_OPEN):
            if request.user.is_authenticated or Organisation.objects.exists():
                self.set_up = True
            else:
                return redirect("web:setup")
        return self.get_response(request)


class PersonLanguageMiddleware:
    """Speak each person's language: their own choice when signed in and they made one, else
    the language switcher's cookie, else the browser's ``Accept-Language``, else English.

    It stands after the authentication middleware because a signed-in person's choice is on
    their account. Responses say which language they are in and that they vary by it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Programs read the API and SCIM: their words stay English whatever the client sends.
        machine = request.path.startswith(_MACHINE_PATHS)
        language = settings.LANGUAGE_CODE if machine else request_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        translation.deactivate()
        return response
