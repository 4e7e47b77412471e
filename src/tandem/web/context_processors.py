from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tandem import access
from tandem.outbox.selectors import undelivered_count


def membership(request: HttpRequest) -> dict[str, Any]:
    """What the navigation needs: the organisation and what this user may open."""
    user = getattr(request, "user", None)
    organisation = access.organisation_of(user)
    if organisation is None:
        return {"current_organisation": None}
    undelivered = 0
    if access.can_see_undelivered_mail(user, organisation):
        undelivered = undelivered_count(organisation=organisation)
    return {
        "current_organisation": organisation,
        "current_person": access.person_of(user),
        "nav_can_import": access.can_import_people(user, organisation),
        "nav_can_audit": access.can_view_audit_log(user, organisation),
        "nav_can_invite": access.can_invite(user, organisation),
        "nav_can_view_overview": access.overview.can_view_organisation_view(user, organisation),
        "nav_can_manage_tokens": access.integrations.can_manage_tokens(user, organisation),
        "nav_undelivered_mail": undelivered,
    }
