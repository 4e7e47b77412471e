"""Reads for integrations, one module per part."""

from tandem.integrations.selectors.tokens import (
    personal_tokens_of,
    token_for_organisation,
    tokens_of,
)
from tandem.integrations.selectors.webhooks import (
    recent_deliveries,
    webhook_for_organisation,
    webhooks_of,
)

__all__ = [
    "personal_tokens_of",
    "recent_deliveries",
    "token_for_organisation",
    "tokens_of",
    "webhook_for_organisation",
    "webhooks_of",
]
