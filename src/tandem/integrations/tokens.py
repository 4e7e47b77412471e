"""The shape of a token's secret, and its hash: the only form a database ever holds.

A token reads ``tandem_<kind>_<lookup>_<secret>``: ``lookup`` (12 hex characters) finds the
row without scanning, and the 43-character secret holds 256 random bits. A long random secret
needs no slow hash (there is nothing to guess by brute force), so SHA-256 of the whole token is
stored and compared in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

PREFIX = "tandem"
LOOKUP_LENGTH = 12


@dataclass(frozen=True)
class NewSecret:
    token: str
    lookup: str
    hash: str


@dataclass(frozen=True)
class PresentedToken:
    kind: str
    lookup: str
    token: str


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_secret(kind: str) -> NewSecret:
    lookup = secrets.token_hex(LOOKUP_LENGTH // 2)
    token = f"{PREFIX}_{kind}_{lookup}_{secrets.token_urlsafe(32)}"
    return NewSecret(token=token, lookup=lookup, hash=token_hash(token))


def parse_token(text: str) -> PresentedToken | None:
    """The parts of a presented token, or None when it cannot be one of Tandem's."""
    parts = text.strip().split("_", 3)
    if len(parts) != 4 or parts[0] != PREFIX or len(parts[2]) != LOOKUP_LENGTH:
        return None
    return PresentedToken(kind=parts[1], lookup=parts[2], token=text.strip())


def hashes_match(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(token_hash(token), stored_hash)


def visible_part(kind: str, lookup: str) -> str:
    """What lists show of a token: enough to recognise it, nothing to use."""
    return f"{PREFIX}_{kind}_{lookup}_…"
