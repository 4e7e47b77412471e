"""Reading organisation tokens (never their secrets: only hashes are kept)."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet

from tandem.integrations.models import OrganisationToken
from tandem.people.models import Organisation


def tokens_of(*, organisation: Organisation) -> QuerySet[OrganisationToken]:
    """Every organisation token (not people's personal ones), live first, newest first."""
    return (
        OrganisationToken.objects.filter(organisation=organisation, user=None)
        .select_related("created_by", "revoked_by")
        .order_by(F("revoked_at").asc(nulls_first=True), "-created_at", "-id")
    )


def token_for_organisation(*, organisation: Organisation, token_id: int) -> OrganisationToken:
    """One of the organisation's tokens; another organisation's raise DoesNotExist."""
    return OrganisationToken.objects.get(organisation=organisation, pk=token_id)


def personal_tokens_of(*, user: Any) -> QuerySet[OrganisationToken]:
    """A person's own personal tokens, live ones first, newest first."""
    return OrganisationToken.objects.filter(user=user).order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at", "-id"
    )
