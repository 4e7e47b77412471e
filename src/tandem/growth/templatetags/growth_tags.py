"""Template helpers for the growth pages."""

from __future__ import annotations

from typing import Any

from django import template

from tandem import access

register = template.Library()


@register.simple_tag(takes_context=True)
def growth_can_view_team(context: dict[str, Any]) -> bool:
    """Whether the growth navigation offers "My team" (only to people with reports)."""
    request = context.get("request")
    if request is None:
        return False
    organisation = access.organisation_of(request.user)
    return organisation is not None and access.growth.can_view_team(request.user, organisation)
