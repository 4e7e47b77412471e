from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tandem.accounts.models import Membership, Role
from tandem.accounts.services import membership_change_role
from tandem.audit.models import AuditEvent
from tandem.audit.services import audit_record
from tests.conftest import Personas


def test_a_role_change_records_who_what_and_old_and_new(personas: Personas) -> None:
    membership = Membership.objects.get(user=personas.employee)
    membership_change_role(membership=membership, role=Role.PEOPLE_TEAM, actor=personas.admin)
    event = AuditEvent.objects.get(action="membership.change_role")
    assert event.actor == personas.admin
    assert event.changes == {"role": ["employee", "people_team"]}
    assert event.organisation == personas.organisation


def test_admins_browse_and_filter_their_own_organisations_log(
    personas: Personas, client: Client
) -> None:
    audit_record(
        organisation=personas.organisation,
        actor=personas.admin,
        action="test.alpha",
        target=personas.ceo,
    )
    audit_record(
        organisation=personas.organisation,
        actor=personas.hr,
        action="test.beta",
        target=personas.ceo,
    )
    audit_record(
        organisation=personas.other_organisation, actor=personas.outsider, action="test.secret"
    )
    client.force_login(personas.admin)
    page = client.get(reverse("audit:list")).content.decode()
    assert "test.alpha" in page and "test.beta" in page and "test.secret" not in page
    filtered = client.get(reverse("audit:list"), {"action": "test.beta"}).content.decode()
    assert "test.beta" in filtered and "test.alpha" not in filtered.split("<tbody>")[1]
