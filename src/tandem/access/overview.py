"""Who may read the organisation view: the heatmap of leadership and management by department
and level, the distribution of placements and the leadership bench."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tandem.access.core import is_people_team
from tandem.access.cycles import readers_reports
from tandem.access.vision import can_view_leaders_network
from tandem.people.models import Organisation

if TYPE_CHECKING:
    from django.db.models import Q

    from tandem.cycles.models import Cycle


def can_view_organisation_view(user: Any, organisation: Organisation) -> bool:
    """The people team: means over groups of participants, never one person's figures."""
    return is_people_team(user, organisation)


def can_view_leadership_bench(user: Any, organisation: Organisation) -> bool:
    """Who leads without reports names people, from the leaders network: whoever may read the
    network and the organisation view."""
    if not can_view_organisation_view(user, organisation):
        return False
    return can_view_leaders_network(user, organisation)


def reports_readable_in(user: Any, cycle: Cycle) -> Q:
    """The cycle's participants whose report ``user`` may read, as a filter on Participant:
    the same rule as :func:`tandem.access.cycles.can_view_report`, over many at once (the
    organisation view leaves these out of its anonymity minimum, since the reader knows them).
    """
    from django.db.models import Q

    if cycle.status != "released":
        return Q(pk__in=[])
    return Q(cycle=cycle) & readers_reports(user)
