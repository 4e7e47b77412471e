"""What an identity provider told us about the person signing in, once checked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import requests

TIMEOUT_SECONDS = 10


class SsoProviderError(Exception):
    """The identity provider could not be reached or gave an answer that failed its checks.

    The message is written for the person at the browser (or the admin at the set-up page).
    """


@dataclass(frozen=True)
class Identity:
    email: str
    name: str


def provider_fetch(url: str, *, what: str) -> requests.Response:
    """GET a provider's published document (``what`` names it in the error), answered 200."""
    import requests  # loaded when single sign-on is used, not at every process start

    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        raise SsoProviderError(
            f"Tandem could not reach {url}: {error.__class__.__name__}."
        ) from None
    if response.status_code != 200:
        raise SsoProviderError(f"{url} answered {response.status_code}, not {what}.")
    return response
