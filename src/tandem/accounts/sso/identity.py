"""What an identity provider told us about the person signing in, once checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    import requests
    from django.utils.functional import _StrOrPromise

TIMEOUT_SECONDS = 10


class SsoProviderError(Exception):
    """The identity provider could not be reached or gave an answer that failed its checks.

    The message is written for the person at the browser (or the admin at the set-up page):
    made from a ``gettext_lazy`` text and its ``values``, it is worded when turned into a
    string, in the language active then; :func:`as_recorded` words it for the audit log.
    """

    def __init__(self, message: _StrOrPromise, **values: object) -> None:
        super().__init__(message)
        self.message = message
        self.values = values

    def __str__(self) -> str:
        text = str(self.message)
        return text % self.values if self.values else text


def as_recorded(error: Exception) -> str:
    """An error's message as the audit log stores it: in English, whoever read it, as the log
    keeps the words it was given. The error's message must be translated lazily (see
    :class:`SsoProviderError`)."""
    with translation.override(None):
        return str(error)


@dataclass(frozen=True)
class Identity:
    email: str
    name: str


def provider_fetch(url: str, *, what: _StrOrPromise) -> requests.Response:
    """GET a provider's published document (``what`` names it in the error), answered 200."""
    import requests  # loaded when single sign-on is used, not at every process start

    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise SsoProviderError(
            gettext_lazy("Tandem could not reach %(url)s: %(error)s."),
            url=url,
            error=error.__class__.__name__,
        ) from None
    if response.status_code != 200:
        raise SsoProviderError(
            gettext_lazy("%(url)s answered %(status)s, not %(what)s."),
            url=url,
            status=response.status_code,
            what=what,
        )
    return response
