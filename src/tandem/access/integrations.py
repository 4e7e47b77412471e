"""Who may manage the organisation tokens other systems use (the REST API, SCIM provisioning).

A token acts for the whole organisation, so only its admins make, list and revoke them. What
a token itself may do is decided by its kind and scopes (``tandem.integrations.scopes``), at
the endpoint that accepts it, never by who made it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tandem.access.core import in_organisation, is_admin
from tandem.people.models import Organisation

if TYPE_CHECKING:
    from tandem.integrations.models import OrganisationToken


def can_manage_tokens(user: Any, organisation: Organisation) -> bool:
    return is_admin(user, organisation)


def can_revoke_token(user: Any, token: OrganisationToken) -> bool:
    if not is_admin(user, token.organisation):
        return False
    return token.revoked_at is None


def can_manage_webhooks(user: Any, organisation: Organisation) -> bool:
    """Webhooks send the organisation's events out: its admins register them."""
    return is_admin(user, organisation)


def can_manage_sso(user: Any, organisation: Organisation) -> bool:
    """Single sign-on decides who gets in: only the organisation's admins set it up."""
    return is_admin(user, organisation)


def can_make_personal_tokens(user: Any, organisation: Organisation) -> bool:
    """Every member may read through the API what they may read in Tandem."""
    return in_organisation(user, organisation)


def can_revoke_personal_token(user: Any, token: OrganisationToken) -> bool:
    return token.user_id == getattr(user, "pk", None) and token.revoked_at is None
