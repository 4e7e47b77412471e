"""Organisation tokens: made (the secret shown once), used, revoked. Every change audited."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.access.core import in_organisation
from tandem.audit.services import audit_record
from tandem.integrations.models import OrganisationToken
from tandem.integrations.scopes import DEFAULT_SCOPES, SCOPES, TokenKind, unknown_scopes
from tandem.integrations.tokens import hashes_match, new_secret, parse_token
from tandem.people.models import Organisation

# Using a token writes its last use at most this often, so a busy sync is not a write per call.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class TokenError(ValueError):
    """A token cannot be made as asked (an unknown kind or scope)."""


@dataclass(frozen=True)
class CreatedToken:
    token: OrganisationToken
    secret: str


@transaction.atomic
def token_create(
    *,
    organisation: Organisation,
    kind: str,
    scopes: list[str] | tuple[str, ...] | None = None,
    name: str = "",
    created_by: Any = None,
    user: Any = None,
) -> CreatedToken:
    """A new token; the returned secret is the only copy there will ever be. A personal token
    belongs to ``user``, a member of the organisation, and reads only what they may read."""
    if kind not in TokenKind.values:
        raise TokenError(
            f"'{kind}' is not a kind of token. Use one of: {', '.join(TokenKind.values)}."
        )
    if (kind == TokenKind.PERSONAL) != (user is not None):
        raise TokenError(
            "A personal token is made by its own person, signed in (Your API tokens); "
            "an organisation's tokens belong to no one."
        )
    if user is not None and not in_organisation(user, organisation):
        raise TokenError(f"{user} is not a member of {organisation}.")
    chosen = list(dict.fromkeys(scopes)) if scopes else list(DEFAULT_SCOPES[kind])
    unknown = unknown_scopes(kind, chosen)
    if unknown:
        raise TokenError(
            f"A {kind} token cannot have the scope{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(s) for s in unknown)}. Scopes of {kind} tokens: "
            f"{', '.join(SCOPES[kind])}."
        )
    secret = new_secret(kind)
    token = OrganisationToken.objects.create(
        organisation=organisation,
        kind=kind,
        name=name.strip()[:100],
        lookup=secret.lookup,
        secret_hash=secret.hash,
        scopes=chosen,
        user=user,
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
    )
    audit_record(
        organisation=organisation,
        actor=created_by,
        action="token.create",
        target=token,
        changes={"kind": kind, "scopes": ", ".join(chosen), "name": token.name},
    )
    return CreatedToken(token=token, secret=secret.token)


@transaction.atomic
def token_revoke(*, token: OrganisationToken, revoked_by: Any) -> bool:
    """Revoke a token at once. False when it was already revoked."""
    token = OrganisationToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.revoked_by = revoked_by if getattr(revoked_by, "is_authenticated", False) else None
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(
        organisation=token.organisation,
        actor=revoked_by,
        action="token.revoke",
        target=token,
        changes={"revoked": [False, True]},
    )
    return True


def token_authenticate(*, presented: str, kind: str, scope: str | None) -> OrganisationToken | None:
    """The live token of ``kind`` holding ``scope`` (any scope when None) that ``presented``
    is, or None.

    Records when it was last used (to the minute). Wrong secrets, revoked tokens, another
    kind's tokens and tokens without the scope all answer None alike.
    """
    parsed = parse_token(presented)
    if parsed is None or parsed.kind != kind:
        return None
    token = (
        OrganisationToken.objects.live()
        .select_related("organisation", "user")
        .filter(lookup=parsed.lookup, kind=kind)
        .first()
    )
    if token is None or not hashes_match(parsed.token, token.secret_hash):
        return None
    if scope is not None and not token.has_scope(scope):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        OrganisationToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
