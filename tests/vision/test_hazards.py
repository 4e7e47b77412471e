"""Hazards climb the manager chain one level per interval until someone acknowledges them."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem import access
from tandem.audit.models import AuditEvent
from tandem.people.models import PersonStatus
from tandem.vision.models import Goal, Hazard, HazardKind, Severity
from tandem.vision.services import goal_create, hazard_acknowledge, hazard_raise, hazards_escalate
from tandem.vision.tasks import escalate_hazards
from tests.conftest import Personas

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(hours=24)
T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def goal(personas: Personas) -> Goal:
    """Emma owns a goal of Manny's team; above Emma are Manny, then Ada."""
    return goal_create(
        organisation=personas.organisation,
        team=personas.manager_person,
        owner=personas.employee_person,
        title="Ship weekly",
        meaning="We release every week.",
        why="Small releases break less.",
        links_to_vision=True,
        actor=None,
    )


def _raise(personas: Personas, goal: Goal, severity: int = Severity.HIGH) -> Hazard:
    return hazard_raise(
        goal=goal,
        kind=HazardKind.BLOCKER,
        severity=severity,
        description="The release pipeline needs a licence we do not have.",
        raised_by=personas.sibling_person,
        actor=personas.employee,
        now=T0,
    )


def test_a_hazard_goes_to_the_goal_owner_first(
    personas: Personas, goal: Goal, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        hazard = _raise(personas, goal)
    assert hazard.holder == personas.employee_person
    assert [m.to for m in mail.outbox] == [[personas.employee_person.email]]
    assert mail.outbox[0].subject == "A hazard needs your attention"
    assert "Ship weekly" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action="vision.hazard_raise").count() == 1


def test_it_climbs_one_level_per_interval_and_stops_at_the_top(
    personas: Personas, goal: Goal, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    hazard = _raise(personas, goal)
    assert hazards_escalate(now=T0 + DAY - HOUR, interval=DAY) == []
    with django_capture_on_commit_callbacks(execute=True):
        moved = hazards_escalate(now=T0 + DAY, interval=DAY)
    assert [(m.from_person, m.to_person, m.level) for m in moved] == [
        ("Emma Employee", "Manny Manager", 1)
    ]
    assert mail.outbox[-1].to == [personas.manager_person.email]
    # A late run still moves only one level: no one in the chain is skipped.
    hazards_escalate(now=T0 + 10 * DAY, interval=DAY)
    hazard.refresh_from_db()
    assert hazard.holder == personas.ceo
    # Ada has no manager: it stays with her.
    assert hazards_escalate(now=T0 + 20 * DAY, interval=DAY) == []
    assert [s.person for s in hazard.steps.all()] == [
        personas.employee_person,
        personas.manager_person,
        personas.ceo,
    ]


def test_an_acknowledged_hazard_climbs_no_further(personas: Personas, goal: Goal) -> None:
    hazard = _raise(personas, goal)
    hazards_escalate(now=T0 + DAY, interval=DAY)
    hazard_acknowledge(hazard=hazard, by=personas.manager_person, actor=personas.manager)
    assert hazards_escalate(now=T0 + 5 * DAY, interval=DAY) == []
    hazard.refresh_from_db()
    assert hazard.holder == personas.manager_person
    assert hazard.acknowledged_by == personas.manager_person
    assert not access.vision.can_acknowledge_hazard(personas.manager, hazard)


def test_the_raiser_hears_when_it_is_acknowledged(
    personas: Personas, goal: Goal, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    hazard = _raise(personas, goal)
    with django_capture_on_commit_callbacks(execute=True):
        hazard_acknowledge(hazard=hazard, by=personas.employee_person, actor=personas.employee)
    assert [m.to for m in mail.outbox] == [[personas.sibling_person.email]]
    assert mail.outbox[0].subject == "Your hazard was acknowledged"
    assert "Emma Employee has acknowledged the blocker" in mail.outbox[0].body


def test_an_archived_manager_is_stepped_over(personas: Personas, goal: Goal) -> None:
    personas.manager_person.status = PersonStatus.ARCHIVED
    personas.manager_person.save()
    hazard = _raise(personas, goal)
    hazards_escalate(now=T0 + DAY, interval=DAY)
    hazard.refresh_from_db()
    assert hazard.holder == personas.ceo


def test_the_interval_comes_from_the_settings(personas: Personas, goal: Goal, settings) -> None:  # type: ignore[no-untyped-def]
    settings.VISION_HAZARD_ESCALATION_HOURS = 2
    _raise(personas, goal)
    assert hazards_escalate(now=T0 + HOUR) == []
    assert len(hazards_escalate(now=T0 + 2 * HOUR)) == 1


def test_the_command_climbs_what_is_due(personas: Personas, goal: Goal) -> None:
    _raise(personas, goal)
    out = StringIO()
    call_command("escalate_hazards", "--now", (T0 + DAY).isoformat(), stdout=out)
    assert "Emma Employee -> Manny Manager (level 1)" in out.getvalue()
    assert "1 hazard(s) moved up" in out.getvalue()


def test_the_task_climbs_what_is_due(personas: Personas, goal: Goal, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    hazard_raise(
        goal=goal,
        kind=HazardKind.RISK,
        severity=Severity.LOW,
        description="Old.",
        raised_by=None,
        actor=None,
        now=timezone.now() - 2 * DAY,
    )
    result = escalate_hazards.enqueue()
    assert result.return_value == 1
    assert Hazard.objects.get().holder == personas.manager_person


def test_raising_a_hazard_schedules_a_check_when_it_is_due(
    personas: Personas, goal: Goal, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        _raise(personas, goal)
    scheduled = DBTaskResult.objects.get()
    assert scheduled.task_path == "tandem.vision.tasks.escalate_hazards"
    assert scheduled.run_after == T0 + DAY


def test_who_sees_and_acknowledges_a_hazard(personas: Personas, goal: Goal) -> None:
    hazard = _raise(personas, goal)
    # The owner it reached, the raiser, leaders; not a bystander with no reports.
    assert access.vision.can_view_hazard(personas.employee, hazard)
    assert access.vision.can_view_hazard(personas.manager, hazard)
    assert access.vision.can_view_hazard(personas.hr, hazard)
    assert not access.vision.can_view_hazard(personas.outsider, hazard)
    assert access.vision.can_acknowledge_hazard(personas.employee, hazard)
    # Manny is a leader, so sees it, but it has not reached him yet.
    assert not access.vision.can_acknowledge_hazard(personas.manager, hazard)
    hazards_escalate(now=T0 + DAY, interval=DAY)
    assert access.vision.can_acknowledge_hazard(personas.manager, hazard)


def test_raising_and_acknowledging_through_the_pages(personas: Personas, goal: Goal) -> None:
    client = _client(personas.employee)
    response = client.post(
        reverse("vision:hazard_new", args=[goal.pk]),
        {"kind": "risk", "severity": "4", "description": "The only release engineer is leaving."},
    )
    hazard = Hazard.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("vision:hazard", args=[hazard.pk])
    assert hazard.severity == Severity.CRITICAL and hazard.raised_by == personas.employee_person
    page = client.get(reverse("vision:goal", args=[goal.pk])).content.decode()
    assert "The only release engineer is leaving." in page
    client.post(reverse("vision:acknowledge", args=[hazard.pk]))
    hazard.refresh_from_db()
    assert hazard.acknowledged_by == personas.employee_person


def _field(page: str, name: str) -> str:
    """The form field's block on the page: its label, its input and its errors."""
    start = page.index(f'name="{name}"')
    start = page.rindex('<div class="field', 0, start)
    return page[start : page.index("</div>", start)]


def test_a_hazard_without_a_description_keeps_what_was_chosen(
    personas: Personas, goal: Goal
) -> None:
    response = _client(personas.employee).post(
        reverse("vision:hazard_new", args=[goal.pk]),
        {"kind": "blocker", "severity": "3", "description": ""},
    )
    assert response.status_code == 400
    assert not Hazard.objects.exists()
    page = response.content.decode()
    assert "<h1>Ship weekly</h1>" in page
    assert "The hazard is not raised yet" in page
    description = _field(page, "description")
    assert "has-error" in description and "This field is required." in description
    assert "has-error" not in _field(page, "severity")
    assert '<option value="3" selected>' in _field(page, "severity")
    assert 'value="blocker" required id="id_kind_1" checked>' in page
    assert "<details open>" in page


def test_a_hazard_with_a_bad_severity_keeps_the_typed_description(
    personas: Personas, goal: Goal
) -> None:
    typed = "The only release engineer is leaving & nobody <knows> the pipeline."
    response = _client(personas.employee).post(
        reverse("vision:hazard_new", args=[goal.pk]),
        {"kind": "risk", "severity": "9", "description": typed},
    )
    assert response.status_code == 400
    assert not Hazard.objects.exists()
    page = response.content.decode()
    severity = _field(page, "severity")
    assert "has-error" in severity and "Select a valid choice." in severity
    assert "The only release engineer is leaving &amp; nobody &lt;knows&gt; the pipeline." in (
        _field(page, "description")
    )


def test_a_refused_hazard_leaves_the_rest_of_the_goal_page_as_it_was(
    personas: Personas, goal: Goal
) -> None:
    # Manny writes his team's goals, so the page he gets back still offers the edit form,
    # unbound and without errors: only the hazard form was sent.
    response = _client(personas.manager).post(
        reverse("vision:hazard_new", args=[goal.pk]), {"kind": "risk", "severity": "2"}
    )
    assert response.status_code == 400
    assert response.context["can_edit"] is True
    assert not response.context["form"].is_bound
    assert response.context["hazard_form"].errors == {"description": ["This field is required."]}
    assert "Save the goal" in response.content.decode()


def test_someone_outside_the_organisation_gets_no_goal_page_back(
    personas: Personas, goal: Goal
) -> None:
    response = _client(personas.outsider).post(
        reverse("vision:hazard_new", args=[goal.pk]), {"kind": "risk", "severity": "9"}
    )
    assert response.status_code in (403, 404)
    assert b"Ship weekly" not in response.content
    assert not Hazard.objects.exists()


def test_the_board_shows_open_hazards_above_a_severity(personas: Personas, goal: Goal) -> None:
    low = _raise(personas, goal, severity=Severity.LOW)
    high = _raise(personas, goal, severity=Severity.CRITICAL)
    done = _raise(personas, goal, severity=Severity.CRITICAL)
    hazard_acknowledge(hazard=done, by=personas.employee_person, actor=None)
    client = _client(personas.manager)
    page = client.get(reverse("vision:hazards")).content.decode()
    assert f'data-hazard="{low.pk}"' in page and f'data-hazard="{high.pk}"' in page
    assert f'data-hazard="{done.pk}"' not in page
    page = client.get(reverse("vision:hazards"), {"severity": "3"}).content.decode()
    assert f'data-hazard="{low.pk}"' not in page and f'data-hazard="{high.pk}"' in page


def test_the_board_is_for_leaders(personas: Personas) -> None:
    assert _client(personas.employee).get(reverse("vision:hazards")).status_code == 403
    assert _client(personas.hr).get(reverse("vision:hazards")).status_code == 200


def test_the_board_lists_in_a_fixed_number_of_queries(
    personas: Personas, goal: Goal, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        _raise(personas, goal)
    client = _client(personas.hr)
    with django_assert_max_num_queries(12):
        client.get(reverse("vision:hazards"))
