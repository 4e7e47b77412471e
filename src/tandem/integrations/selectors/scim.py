"""What SCIM sees: the organisation's people, less those a SCIM DELETE removed."""

from __future__ import annotations

from django.db.models import CharField, F, Q, QuerySet
from django.db.models.functions import Coalesce

from tandem.people.models import Person


def scim_people(*, organisation_id: int) -> QuerySet[Person]:
    """The organisation's people as SCIM Users, archived ones included (as inactive)."""
    return (
        Person.objects.filter(organisation_id=organisation_id)
        .filter(Q(scim__isnull=True) | Q(scim__removed_at__isnull=True))
        .select_related("scim")
        .annotate(
            scim_user_name=Coalesce(F("scim__user_name"), F("email"), output_field=CharField())
        )
    )


def scim_person(*, organisation_id: int, scim_id: str, for_update: bool = False) -> Person | None:
    """The person a SCIM id names, or None (another organisation's, removed, or no such id)."""
    if not scim_id.isdigit():
        return None
    people = scim_people(organisation_id=organisation_id)
    if for_update:
        # Lock the person only: the outer join to their SCIM details cannot be locked.
        people = people.select_for_update(of=("self",))
    return people.filter(pk=int(scim_id)).first()
