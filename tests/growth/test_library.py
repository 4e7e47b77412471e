"""The action library: the people team corrects and retires their own actions and hides
Tandem's; plans made from them never change; another organisation sees none of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from tandem import access
from tandem.access.growth import NOT_PEOPLE_TEAM, RETIRED_ACTION, SHIPPED_ACTION
from tandem.audit.models import AuditEvent
from tandem.growth.models import HiddenLibraryAction, LibraryAction, PlanAction
from tandem.growth.services import (
    GrowthError,
    library_action_create,
    library_action_hide,
    library_action_retire,
    library_action_show,
    library_action_update,
    plan_action_create,
    plan_focus_add,
)
from tests.conftest import Personas
from tests.growth.factories import instrument


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _own(personas: Personas, **fields: Any) -> LibraryAction:
    values = {
        "title": "Run the all-hands",
        "description": "Once a quarter, with questions from the floor.",
        "scale_ids": ["setting_direction"],
        "success_hint": "People ask about the why.",
        **fields,
    }
    return library_action_create(organisation=personas.organisation, actor=personas.hr, **values)


def _shipped(key: str = "shadow-senior-leader") -> LibraryAction:
    return LibraryAction.objects.get(organisation=None, key=key)


def _edit_data(action: LibraryAction, **changes: Any) -> dict[str, Any]:
    data = {
        "title": action.title,
        "description": action.description,
        "scale_ids": action.scale_ids,
        "success_hint": action.success_hint,
    }
    data.update(changes)
    return data


def _planning_focus(personas: Personas) -> int:
    plan = plan_focus_add(
        person=personas.employee_person,
        choices=[("setting_direction", "gap")],
        instrument=instrument(),
        cycle=None,
        actor=None,
    )
    return int(plan.focus_areas.get().pk)


# --- rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "refused"),
    [
        ("hr", None),
        ("admin", None),
        ("employee", NOT_PEOPLE_TEAM),
        ("manager", NOT_PEOPLE_TEAM),
        ("outsider", NOT_PEOPLE_TEAM),
        ("superuser", NOT_PEOPLE_TEAM),
    ],
)
def test_only_the_people_team_of_its_organisation_changes_an_action(
    personas: Personas, role: str, refused: str | None
) -> None:
    change = access.growth.library_action_change(getattr(personas, role), _own(personas))
    assert (change.edit_refused, change.retire_refused) == (refused, refused)


def test_nobody_changes_tandems_own_or_a_retired_action(personas: Personas) -> None:
    assert access.growth.library_action_change(personas.admin, _shipped()).edit_refused == (
        SHIPPED_ACTION
    )
    retired = library_action_retire(action=_own(personas), actor=personas.hr)
    change = access.growth.library_action_change(personas.admin, retired)
    assert (change.edit_refused, change.retire_refused) == (RETIRED_ACTION, RETIRED_ACTION)
    assert not access.growth.library_action_change(AnonymousUser(), _own(personas)).can_edit


def test_the_people_team_hides_tandems_actions_only(personas: Personas) -> None:
    acme = personas.organisation
    assert access.growth.can_hide_library_action(personas.hr, acme, _shipped())
    assert access.growth.can_hide_library_action(personas.admin, acme, _shipped())
    assert not access.growth.can_hide_library_action(personas.employee, acme, _shipped())
    assert not access.growth.can_hide_library_action(personas.hr, acme, _own(personas))
    # Otto hides Tandem's actions from Globex, never from Acme.
    assert not access.growth.can_hide_library_action(personas.outsider, acme, _shipped())
    globex = personas.other_organisation
    assert access.growth.can_hide_library_action(personas.outsider, globex, _shipped())


# --- editing ---------------------------------------------------------------------------------


def test_the_people_team_corrects_an_action_and_the_change_is_audited(
    personas: Personas,
) -> None:
    action = _own(personas)
    url = reverse("growth:library_edit", args=[action.pk])
    page = _client(personas.hr).get(url)
    assert page.status_code == 200
    assert page.context["form"].initial["title"] == "Run the all-hands"
    data = _edit_data(
        action, title="Run the all-hands well", scale_ids=["setting_direction", "aligning_people"]
    )
    response = _client(personas.hr).post(url, data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Run the all-hands well"
    assert action.scale_ids == ["setting_direction", "aligning_people"]
    event = AuditEvent.objects.get(action="growth.library_action_update")
    assert event.actor == personas.hr
    assert event.organisation == personas.organisation
    assert event.changes == {
        "title": ["Run the all-hands", "Run the all-hands well"],
        "scale_ids": ["setting_direction", "setting_direction, aligning_people"],
    }


def test_saving_an_unchanged_action_records_nothing(personas: Personas) -> None:
    action = _own(personas)
    response = _client(personas.admin).post(
        reverse("growth:library_edit", args=[action.pk]), _edit_data(action)
    )
    assert response.status_code == 302
    assert not AuditEvent.objects.filter(action="growth.library_action_update").exists()


def test_an_invalid_edit_is_shown_again_with_what_was_typed_and_saves_nothing(
    personas: Personas,
) -> None:
    action = _own(personas)
    data = _edit_data(action, title="", description="A new description, typed with care.")
    data["scale_ids"] = []
    response = _client(personas.hr).post(reverse("growth:library_edit", args=[action.pk]), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"title", "scale_ids"}
    assert "A new description, typed with care." in response.content.decode()
    # Each error is announced and tied to its field (the field's aria-describedby names it).
    assert 'aria-describedby="id_title_error"' in response.content.decode()
    assert '<div id="id_title_error"><p class="error" role="alert">' in response.content.decode()
    action.refresh_from_db()
    assert (action.title, action.description) == (
        "Run the all-hands",
        "Once a quarter, with questions from the floor.",
    )
    assert not AuditEvent.objects.filter(action="growth.library_action_update").exists()


def test_an_invalid_new_action_is_refused_with_400_and_kept(personas: Personas) -> None:
    data = {"title": "Half-typed idea", "description": "", "scale_ids": ["setting_direction"]}
    response = _client(personas.hr).post(reverse("growth:library"), data)
    assert response.status_code == 400
    assert 'value="Half-typed idea"' in response.content.decode()
    assert not LibraryAction.objects.filter(organisation=personas.organisation).exists()


def test_employees_may_not_edit_and_the_service_checks_too(personas: Personas) -> None:
    action = _own(personas)
    response = _client(personas.manager).post(
        reverse("growth:library_edit", args=[action.pk]), _edit_data(action, title="Mine now")
    )
    assert response.status_code == 403
    with pytest.raises(GrowthError, match="people team"):
        library_action_update(actor=personas.employee, action=action, **_edit_data(action))
    action.refresh_from_db()
    assert action.title == "Run the all-hands"


def test_tandems_own_actions_cannot_be_edited_or_retired(personas: Personas) -> None:
    shipped = _shipped()
    before = (shipped.title, shipped.description)
    for name in ("growth:library_edit", "growth:library_retire"):
        response = _client(personas.hr).post(
            reverse(name, args=[shipped.pk]), _edit_data(shipped, title="X")
        )
        assert response.status_code == 302
        assert [str(m) for m in get_messages(response.wsgi_request)] == [SHIPPED_ACTION]
    with pytest.raises(GrowthError):
        library_action_update(action=shipped, actor=personas.hr, **_edit_data(shipped))
    with pytest.raises(GrowthError):
        library_action_retire(action=shipped, actor=personas.hr)
    shipped.refresh_from_db()
    assert (shipped.title, shipped.description, shipped.retired_at) == (*before, None)


def test_another_organisations_actions_are_invisible_and_unchangeable(
    personas: Personas,
) -> None:
    action = _own(personas)
    otto = _client(personas.outsider)
    assert "Run the all-hands" not in otto.get(reverse("growth:library")).content.decode()
    data = _edit_data(action, title="Globex was here")
    assert otto.get(reverse("growth:library_edit", args=[action.pk])).status_code == 404
    assert otto.post(reverse("growth:library_edit", args=[action.pk]), data).status_code == 404
    assert otto.post(reverse("growth:library_retire", args=[action.pk])).status_code == 404
    assert otto.post(reverse("growth:library_hide", args=[action.pk])).status_code == 404
    with pytest.raises(GrowthError):
        library_action_update(action=action, actor=personas.outsider, **data)
    with pytest.raises(GrowthError):
        library_action_retire(action=action, actor=personas.outsider)
    action.refresh_from_db()
    assert (action.title, action.retired_at) == ("Run the all-hands", None)


# --- retiring --------------------------------------------------------------------------------


def test_a_retired_action_is_offered_no_more_and_plans_keep_theirs(personas: Personas) -> None:
    action = _own(personas)
    focus_id = _planning_focus(personas)
    made = plan_action_create(
        person=personas.employee_person,
        title=action.title,
        owner=personas.employee_person,
        due_on=None,
        success=action.success_hint,
        library_action=action,
        actor=personas.employee,
    )
    emma = _client(personas.employee)
    new_action = reverse("growth:action_new") + f"?focus={focus_id}"
    fits = [f["action"].pk for f in emma.get(new_action).context["fits"]]
    assert action.pk in fits

    retire = reverse("growth:library_retire", args=[action.pk])
    confirm = _client(personas.hr).get(retire)
    assert confirm.status_code == 200
    assert "cannot be undone" in confirm.content.decode()
    action.refresh_from_db()
    assert action.retired_at is None  # asking first changes nothing
    assert _client(personas.hr).post(retire).status_code == 302

    action.refresh_from_db()
    assert action.retired_at is not None
    event = AuditEvent.objects.get(action="growth.library_action_retire")
    assert (event.actor, event.changes["retired_at"][0]) == (personas.hr, None)
    assert action.pk not in [f["action"].pk for f in emma.get(new_action).context["fits"]]
    from_it = emma.get(new_action + f"&from={action.pk}")
    assert from_it.context["template"] is None
    assert "Run the all-hands" not in emma.get(reverse("growth:library")).content.decode()
    # The plan action made from it is untouched, link and words.
    made.refresh_from_db()
    assert (made.library_action_id, made.title, made.success) == (
        action.pk,
        "Run the all-hands",
        "People ask about the why.",
    )
    assert emma.get(reverse("growth:action", args=[made.pk])).status_code == 200
    # The people team still sees it, marked retired, with nothing left to change.
    hr_page = _client(personas.hr).get(reverse("growth:library"))
    assert [r["action"].pk for r in hr_page.context["not_offered"]] == [action.pk]
    assert reverse("growth:library_edit", args=[action.pk]) not in hr_page.content.decode()
    with pytest.raises(GrowthError, match="retired"):
        library_action_retire(action=action, actor=personas.hr)
    with pytest.raises(GrowthError, match="retired"):
        library_action_update(action=action, actor=personas.hr, **_edit_data(action))


def test_an_action_retired_while_someone_was_choosing_it_still_links_their_plan(
    personas: Personas,
) -> None:
    action = _own(personas)
    focus_id = _planning_focus(personas)
    library_action_retire(action=action, actor=personas.hr)
    response = _client(personas.employee).post(
        reverse("growth:action_new"),
        {
            "focus": focus_id,
            "title": "Run the all-hands",
            "owner": personas.employee_person.pk,
            "success": "People ask about the why.",
            "library_action": action.pk,
        },
    )
    assert response.status_code == 302
    assert PlanAction.objects.get().library_action == action


def test_editing_an_action_leaves_plans_made_from_it_as_they_were(personas: Personas) -> None:
    action = _own(personas)
    made = plan_action_create(
        person=personas.employee_person,
        title=action.title,
        owner=personas.employee_person,
        due_on=None,
        success=action.success_hint,
        library_action=action,
        actor=None,
    )
    library_action_update(
        action=action, actor=personas.hr, **_edit_data(action, title="Renamed", success_hint="x")
    )
    made.refresh_from_db()
    assert (made.title, made.success, made.library_action_id) == (
        "Run the all-hands",
        "People ask about the why.",
        action.pk,
    )


# --- hiding Tandem's own ---------------------------------------------------------------------


def test_hiding_a_tandem_action_takes_it_out_of_this_organisations_library_only(
    personas: Personas,
) -> None:
    shipped = _shipped("write-plan-and-budget")
    plan = plan_focus_add(
        person=personas.employee_person,
        choices=[("planning_budgeting", "gap")],
        instrument=instrument(),
        cycle=None,
        actor=None,
    )
    new_action = reverse("growth:action_new") + f"?focus={plan.focus_areas.get().pk}"
    emma = _client(personas.employee)
    assert emma.get(new_action).context["fits"][0]["action"] == shipped

    response = _client(personas.hr).post(reverse("growth:library_hide", args=[shipped.pk]))
    assert response.status_code == 302
    assert shipped.pk not in [f["action"].pk for f in emma.get(new_action).context["fits"]]
    assert shipped.title not in emma.get(reverse("growth:library")).content.decode()
    assert (
        shipped.title in _client(personas.outsider).get(reverse("growth:library")).content.decode()
    )
    hr_page = _client(personas.hr).get(reverse("growth:library"))
    assert [r["action"] for r in hr_page.context["not_offered"]] == [shipped]
    assert reverse("growth:library_show", args=[shipped.pk]) in hr_page.content.decode()

    # Hiding twice records nothing more; showing brings it back.
    library_action_hide(organisation=personas.organisation, action=shipped, actor=personas.hr)
    assert (
        _client(personas.admin).post(reverse("growth:library_show", args=[shipped.pk])).status_code
        == 302
    )
    assert emma.get(new_action).context["fits"][0]["action"] == shipped
    events = AuditEvent.objects.filter(action__startswith="growth.library_action_")
    assert [(e.action, e.actor, e.changes) for e in events.order_by("pk")] == [
        ("growth.library_action_hide", personas.hr, {"hidden": [False, True]}),
        ("growth.library_action_show", personas.admin, {"hidden": [True, False]}),
    ]
    assert not HiddenLibraryAction.objects.exists()
    shipped.refresh_from_db()
    assert shipped.retired_at is None


def test_own_actions_are_retired_not_hidden(personas: Personas) -> None:
    action = _own(personas)
    response = _client(personas.hr).post(reverse("growth:library_hide", args=[action.pk]))
    assert response.status_code == 302
    assert not HiddenLibraryAction.objects.exists()
    with pytest.raises(GrowthError):
        library_action_hide(organisation=personas.organisation, action=action, actor=personas.hr)
    with pytest.raises(GrowthError):
        library_action_show(organisation=personas.organisation, action=action, actor=personas.hr)


def test_only_the_people_team_hides(personas: Personas) -> None:
    shipped = _shipped()
    response = _client(personas.employee).post(reverse("growth:library_hide", args=[shipped.pk]))
    assert response.status_code == 403
    with pytest.raises(GrowthError):
        library_action_hide(
            organisation=personas.organisation, action=shipped, actor=personas.employee
        )
    with pytest.raises(GrowthError):
        library_action_hide(
            organisation=personas.organisation, action=shipped, actor=personas.outsider
        )
    assert not HiddenLibraryAction.objects.exists()
