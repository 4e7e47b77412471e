"""Writes for integrations: keyword-only, each one atomic and audited, one module per part.

``tokens`` makes, uses and revokes organisation tokens; ``scim`` provisions people;
``webhooks`` registers endpoints and sends them events.
"""

from tandem.integrations.services.tokens import (
    TokenError,
    token_authenticate,
    token_create,
    token_revoke,
)
from tandem.integrations.services.webhooks import (
    WebhookError,
    webhook_create,
    webhook_disable,
    webhook_send,
    webhook_send_again,
    webhooks_emit,
)

__all__ = [
    "TokenError",
    "WebhookError",
    "token_authenticate",
    "token_create",
    "token_revoke",
    "webhook_create",
    "webhook_disable",
    "webhook_send",
    "webhook_send_again",
    "webhooks_emit",
]
