"""Unguessable tokens for links sent by email. Only a SHA-256 hash is ever stored."""

from __future__ import annotations

import hashlib
import secrets


def token_new() -> tuple[str, str]:
    """A fresh token (256 bits, URL-safe) and the hash to store for it."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
