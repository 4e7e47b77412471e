"""Who may see and do what: every access decision in Tandem goes through this package.

Views, exports, the API and the admin never test roles themselves; they call these functions.
Each condition sits on its own line so a reader can check it against the role x page matrix in
``tests/access/``. A user belongs to at most one organisation (their Membership), and nothing
in another organisation is ever visible to them, superusers included: superusers run the
installation, not the organisations on it.

``tandem.access.core`` answers who a user is and covers the platform's own pages; each part of
the domain has its own module (``access.careers``, ``access.vision``, ``access.cycles``,
``access.growth``, ``access.integrations``, ``access.overview``), built only from the core's answers.
"""

from tandem.access import careers, cycles, growth, integrations, overview, vision
from tandem.access.core import (
    can_grant_role,
    can_import_people,
    can_invite,
    can_manage_organisation,
    can_see_undelivered_mail,
    can_use_django_admin,
    can_view_audit_log,
    can_view_organisation_chart,
    can_view_person,
    can_view_person_private_details,
    in_organisation,
    is_admin,
    is_manager,
    is_people_team,
    manages,
    membership_of,
    organisation_of,
    organisation_required,
    person_of,
    role_of,
)

__all__ = [
    "can_grant_role",
    "can_import_people",
    "can_invite",
    "can_manage_organisation",
    "can_see_undelivered_mail",
    "can_use_django_admin",
    "can_view_audit_log",
    "can_view_organisation_chart",
    "can_view_person",
    "can_view_person_private_details",
    "careers",
    "cycles",
    "growth",
    "in_organisation",
    "integrations",
    "is_admin",
    "is_manager",
    "is_people_team",
    "manages",
    "membership_of",
    "organisation_of",
    "organisation_required",
    "overview",
    "person_of",
    "role_of",
    "vision",
]
