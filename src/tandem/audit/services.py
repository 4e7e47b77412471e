"""Writing to the audit log. Every service that changes state calls ``audit_record``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db import models

from tandem.audit.models import AuditEvent
from tandem.people.models import Organisation


def _plain(value: Any) -> Any:
    """Turn a field value into something JSON can hold."""
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | Decimal):
        return str(value)
    return value


def acting_user(actor: Any) -> Any:
    """The user to store as who did something, or None when ``actor`` is the system (None) or
    not a signed-in user."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def audit_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], fields: Iterable[str] | None = None
) -> dict[str, list[Any]]:
    """The fields whose values differ, as ``{field: [old, new]}``."""
    names = list(fields) if fields is not None else sorted(set(before) | set(after))
    changed = {}
    for name in names:
        old, new = _plain(before.get(name)), _plain(after.get(name))
        if old != new:
            changed[name] = [old, new]
    return changed


def audit_record(
    *,
    organisation: Organisation | None,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    changes: Mapping[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Record one state change. ``actor`` is a user, or None for the system; ``actor_label``
    names a non-user actor (an organisation token) in place of "system"."""
    user = acting_user(actor)
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=user,
        actor_label=str(getattr(user, "email", ""))
        if user is not None
        else actor_label or "system",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:254] if target is not None else "",
        changes={
            key: [_plain(v) for v in value] if isinstance(value, list | tuple) else _plain(value)
            for key, value in (changes or {}).items()
        },
    )
