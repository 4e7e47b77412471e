"""What an identity provider told us about the person signing in, once checked."""

from __future__ import annotations

from dataclasses import dataclass


class SsoProviderError(Exception):
    """The identity provider could not be reached or gave an answer that failed its checks.

    The message is written for the person at the browser (or the admin at the set-up page).
    """


@dataclass(frozen=True)
class Identity:
    email: str
    name: str
