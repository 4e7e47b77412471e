"""Reads for integrations, one module per part."""

from tandem.integrations.selectors.tokens import token_for_organisation, tokens_of

__all__ = ["token_for_organisation", "tokens_of"]
