"""What a token may do. A token has one kind (who uses it) and the scopes of that kind it was
given; a request asks for one scope and is refused without it.

The REST API and other integrations add their scopes here, next to the kind they belong to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise


class TokenKind(models.TextChoices):
    API = "api", gettext_lazy("REST API")
    SCIM = "scim", gettext_lazy("SCIM provisioning")
    PERSONAL = "personal", gettext_lazy("Personal (the API as yourself)")


TOKEN_KIND_NAMES = {
    "api": "REST API",
    "scim": "SCIM provisioning",
    "personal": "Personal (the API as yourself)",
}
"""The kinds' names in English, for labels the audit log keeps (pages use TokenKind's)."""


ORGANISATION_KINDS = (TokenKind.API, TokenKind.SCIM)
"""Kinds an admin makes for the organisation; a personal token is made by its own person."""


SCOPES: dict[str, dict[str, _StrOrPromise]] = {
    TokenKind.API: {
        "people:read": gettext_lazy("Read people and reporting lines"),
        "people:write": gettext_lazy("Change people and reporting lines"),
        "cycles:read": gettext_lazy("Read cycles and their progress (never answers or reports)"),
        "careers:read": gettext_lazy("Read the career framework and placements"),
        "goals:read": gettext_lazy("Read the vision, goals and the cascade"),
    },
    TokenKind.SCIM: {
        "scim:users": gettext_lazy("Create, change, deactivate and read people through SCIM"),
    },
    TokenKind.PERSONAL: {
        "results:read": gettext_lazy("Read the released reports you may read in Tandem"),
    },
}

# What a token gets when nobody chose its scopes: reading only, for the API.
DEFAULT_SCOPES: dict[str, tuple[str, ...]] = {
    TokenKind.API: ("people:read", "cycles:read", "careers:read", "goals:read"),
    TokenKind.SCIM: ("scim:users",),
    TokenKind.PERSONAL: ("results:read",),
}

SCIM_USERS = "scim:users"


def unknown_scopes(kind: str, scopes: list[str] | tuple[str, ...]) -> list[str]:
    """The scopes in ``scopes`` that a token of ``kind`` cannot have."""
    known = SCOPES.get(kind, {})
    return [scope for scope in scopes if scope not in known]
