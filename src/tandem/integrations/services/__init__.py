"""Writes for integrations: keyword-only, each one atomic and audited, one module per part.

``tokens`` makes, uses and revokes organisation tokens; ``scim`` provisions people.
"""

from tandem.integrations.services.tokens import (
    TokenError,
    token_authenticate,
    token_create,
    token_revoke,
)

__all__ = ["TokenError", "token_authenticate", "token_create", "token_revoke"]
