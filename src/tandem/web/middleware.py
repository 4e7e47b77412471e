"""Send every visitor of a brand-new installation to the set-up page."""

from __future__ import annotations

import weakref
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from tandem.people.models import Organisation

_ALWAYS_OPEN = ("/setup/", "/static/", "/healthz")


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
