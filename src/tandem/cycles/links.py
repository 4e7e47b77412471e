"""Rater links: 256-bit random tokens, emailed once and stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets

from tandem.cycles.models import RaterLink, RaterToken

TOKEN_BYTES = 32
"""Random bytes per token: 256 bits, well above the 128 the product promises."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_issue(link: RaterLink) -> str:
    """A fresh token for ``link``; only its hash is stored. Earlier tokens keep working."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    RaterToken.objects.create(link=link, token_hash=token_hash(token))
    return token


def link_for_token(token: str) -> RaterLink | None:
    """The rater link a token opens, or None for an unknown token."""
    if not token or len(token) > 100:
        return None
    found = (
        RaterToken.objects.filter(token_hash=token_hash(token))
        .select_related("link__cycle__organisation", "link__rater")
        .first()
    )
    return found.link if found else None
