"""Send every visitor of a brand-new installation to the set-up page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from tandem.people.models import Organisation

_ALWAYS_OPEN = ("/setup/", "/static/", "/healthz")


class SetupRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A signed-in user means set-up happened; only anonymous visits cost a query.
        needs_check = not request.user.is_authenticated and not request.path.startswith(
            _ALWAYS_OPEN
        )
        if needs_check and not Organisation.objects.exists():
            return redirect("web:setup")
        return self.get_response(request)
