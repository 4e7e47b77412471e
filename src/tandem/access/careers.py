"""Who may read and change the career framework, evidence, promotion cases and calibration."""

from __future__ import annotations

from typing import Any

from tandem.access.core import in_organisation, is_people_team
from tandem.people.models import Organisation


def can_view_framework(user: Any, organisation: Organisation) -> bool:
    """Every track, level and criterion is open to the whole organisation: transparency."""
    return in_organisation(user, organisation)


def can_edit_framework(user: Any, organisation: Organisation) -> bool:
    """Installing, importing and exporting the career framework is the people team's job."""
    return is_people_team(user, organisation)
