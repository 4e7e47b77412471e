"""The people team's actions, nominations through the pages, and what reports show."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from tandem.cycles.models import Cycle, CycleStatus, InstrumentVersion, Nomination, Participant
from tests.access.test_matrix import client_for
from tests.conftest import Personas
from tests.cycles.builders import (
    fill_sheet,
    launched_cycle,
    participant_of,
    released_participant,
)
from tests.factories import make_person


def test_the_people_team_creates_and_launches_a_cycle(personas: Personas) -> None:
    client = client_for("hr", personas)
    assert client.get(reverse("cycles:new")).status_code == 200
    version = InstrumentVersion.objects.get()
    data = {
        "name": "Spring 360",
        "instrument": version.pk,
        "scope": "department",
        "department": "Engineering",
        "opens_on": "2026-12-01",
        "closes_on": "2026-12-15",
        "reminder_every_days": 3,
        "manager_sees_report_default": "on",
        **{
            f"min_{g}": m
            for g, m in [("manager", 1), ("peer", 3), ("direct_report", 3), ("other", 3)]
        },
        **{
            f"max_{g}": m
            for g, m in [("manager", 1), ("peer", 8), ("direct_report", 12), ("other", 6)]
        },
    }
    response = client.post(reverse("cycles:new"), data)
    assert response.status_code == 302
    cycle = Cycle.objects.get()
    assert cycle.status == CycleStatus.DRAFT and cycle.department == "Engineering"
    url = reverse("cycles:action", args=[cycle.pk, "launch"])
    asked = client.get(url)
    assert asked.status_code == 200 and "3 people take part" in asked.content.decode()
    client.post(url)  # a post without the confirmation shows the question again
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.DRAFT
    client.post(url, {"confirm": "yes"})
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN
    people = set(Participant.objects.values_list("person__name", flat=True))
    assert people == {"Manny Manager", "Emma Employee", "Eli Employee"}


def test_a_cycle_form_keeps_what_was_typed_and_names_the_problem(personas: Personas) -> None:
    client = client_for("hr", personas)
    client.get(reverse("cycles:new"))
    response = client.post(
        reverse("cycles:new"),
        {
            "name": "Typed name",
            "scope": "chosen",
            "opens_on": "2026-12-10",
            "closes_on": "2026-12-01",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="Typed name"' in body
    assert "close on or after" in body and "Choose at least one person" in body
    assert not Cycle.objects.exists()


def test_employees_cannot_launch_close_or_release(personas: Personas) -> None:
    cycle = launched_cycle(personas)
    for action in ("close", "release", "launch"):
        url = reverse("cycles:action", args=[cycle.pk, action])
        for method in ("get", "post"):
            ask = getattr(client_for("employee", personas), method)
            assert ask(url, {"confirm": "yes"}).status_code == 403
            ask = getattr(client_for("outsider", personas), method)
            assert ask(url, {"confirm": "yes"}).status_code == 404
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN


def test_participant_nominates_and_manager_approves_through_the_pages(personas: Personas) -> None:
    cycle = launched_cycle(personas)
    peer = make_person(personas.organisation, "Pat Peer", manager=personas.manager_person)
    me = client_for("employee", personas)
    url = reverse("cycles:participate", args=[cycle.pk])
    me.post(url, {"do": "add", "rater": peer.pk, "group": "peer"})
    me.post(url, {"do": "submit"})
    participant = participant_of(cycle, personas.employee_person)
    assert participant.nominations_state == "submitted"
    # After sending, the list is the manager's to change.
    refused = me.post(url, {"do": "add", "rater": personas.sibling_person.pk, "group": "peer"})
    assert refused.status_code == 400
    review = reverse("cycles:review", args=[participant.pk])
    assert client_for("employee", personas).post(review, {"do": "approve"}).status_code == 403
    manager = client_for("manager", personas)
    manager.post(review, {"do": "add", "rater": personas.sibling_person.pk, "group": "peer"})
    manager.post(review, {"do": "approve"})
    participant.refresh_from_db()
    assert participant.nominations_state == "approved"
    assert set(Nomination.objects.filter(approved=True).values_list("rater__name", flat=True)) == {
        "Emma Employee",
        "Manny Manager",
        "Pat Peer",
        "Eli Employee",
    }


def test_the_dashboard_shows_completion_never_answers(personas: Personas) -> None:
    participant = released_participant(personas)
    page = client_for("hr", personas).get(reverse("cycles:dashboard", args=[participant.cycle_id]))
    body = page.content.decode()
    assert "Response rates by group" in body
    assert "Comment 1" not in body
    assert reverse("cycles:report", args=[participant.pk]) not in body
    # No score of the participant appears (the scales are named only in the cycle's split of
    # rater and ratee variance, which says why it could not be estimated here).
    report = participant.report.data
    means = {a["mean"] for rows in report["scales"].values() for a in rows if a["mean"]}
    assert means and not any(f">{m:.2f}<" in body for m in means)
    assert "Rater leniency could not be estimated in this cycle" in body


def test_a_participant_can_keep_the_report_from_the_manager(personas: Personas) -> None:
    participant = released_participant(personas)
    url = reverse("cycles:report", args=[participant.pk])
    plan = reverse("growth:plan_new", args=[participant.pk])
    as_manager = client_for("manager", personas).get(url)
    assert as_manager.status_code == 200 and plan not in as_manager.content.decode()
    assert plan in client_for("employee", personas).get(url).content.decode()
    me = client_for("employee", personas)
    me.post(
        reverse("cycles:participate", args=[participant.cycle_id]),
        {"do": "manager_view", "allowed": "no"},
    )
    assert client_for("manager", personas).get(url).status_code == 403
    assert me.get(url).status_code == 200


def test_a_locked_questionnaire_cannot_change_but_can_be_copied(personas: Personas) -> None:
    cycle = launched_cycle(personas)
    version = cycle.instrument
    client = client_for("hr", personas)
    url = reverse("cycles:instrument", args=[version.pk])
    response = client.post(url, {"name": "Changed", "text": version.text})
    assert response.status_code == 400 and "cannot change" in response.content.decode()
    copied = client.post(reverse("cycles:instrument_copy", args=[version.pk]), {"name": "Ours"})
    copy = InstrumentVersion.objects.get(name="Ours")
    assert copied["Location"] == reverse("cycles:instrument", args=[copy.pk])
    broken = client.post(
        reverse("cycles:instrument", args=[copy.pk]), {"name": "Ours", "text": "format: [\n"}
    )
    assert broken.status_code == 400 and "line" in broken.content.decode()
    copy.refresh_from_db()
    assert copy.text == version.text


def test_cycles_tick_closes_cycles_after_their_date(personas: Personas) -> None:
    from django.core.management import call_command

    cycle = launched_cycle(personas)
    Cycle.objects.filter(pk=cycle.pk).update(closes_on=dt.date(2020, 1, 1))
    call_command("cycles_tick")
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED


def test_closing_and_releasing_say_what_will_happen_before_they_happen(
    personas: Personas,
) -> None:
    cycle = launched_cycle(personas)
    hr = client_for("hr", personas)
    close = reverse("cycles:action", args=[cycle.pk, "close"])
    page = hr.get(close).content.decode()
    assert "Finished so far: 0 of 1 sheet." in page and "cannot be undone" in page
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.OPEN, "asking changes nothing"
    assert hr.post(close, {"confirm": "yes"}).status_code == 302
    release = reverse("cycles:action", args=[cycle.pk, "release"])
    page = hr.get(release).content.decode()
    assert "separated from their answers for good" in page
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED
    # A second click on an old confirmation page does not act twice.
    assert hr.post(close, {"confirm": "yes"}).status_code == 302


def test_a_manager_reaches_a_reports_plan_from_their_report_and_their_page(
    personas: Personas,
) -> None:
    from tests.growth.factories import make_released_result

    make_released_result(personas.employee_person)
    plan = reverse("growth:person_plan", args=[personas.employee_person.pk])
    manager = client_for("manager", personas)
    assert plan in manager.get(reverse("cycles:home")).content.decode()
    person_page = reverse("people:person", args=[personas.employee_person.pk])
    assert plan in manager.get(person_page).content.decode()
    assert plan not in client_for("hr", personas).get(person_page).content.decode()
    assert manager.get(plan).status_code == 200


def test_a_cycle_too_large_for_one_request_is_released_by_a_worker(
    personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from tandem.audit.models import AuditEvent
    from tandem.cycles.models import Report
    from tandem.cycles.tasks import cycle_release_queued

    settings.RELEASE_AT_ONCE_UP_TO = 0
    cycle = launched_cycle(personas)
    fill_sheet(Nomination.objects.get(participant__cycle=cycle, group="self"), 4)
    hr = client_for("hr", personas)
    assert hr.post(reverse("cycles:action", args=[cycle.pk, "close"]), {"confirm": "yes"})
    release = reverse("cycles:action", args=[cycle.pk, "release"])
    with django_capture_on_commit_callbacks(execute=True):
        response = hr.post(release, {"confirm": "yes"}, follow=True)
        hr.post(release, {"confirm": "yes"})  # a second click queues nothing more
    page = response.content.decode()
    assert "The release is on its way" in page and "Being released by the background" in page
    assert "Release the reports</a>" not in page
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.CLOSED and cycle.release_queued_at is not None
    queued = DBTaskResult.objects.filter(task_path="tandem.cycles.tasks.cycle_release_queued")
    assert [task.args_kwargs["args"] for task in queued] == [[cycle.pk, personas.hr.pk]]
    assert AuditEvent.objects.filter(action="cycle.release_queued").count() == 1

    assert cycle_release_queued.call(cycle.pk, personas.hr.pk) is True
    cycle.refresh_from_db()
    assert cycle.status == CycleStatus.RELEASED and cycle.release_queued_at is None
    assert Report.objects.filter(participant__cycle=cycle).count() == 1
    release_event = AuditEvent.objects.get(action="cycle.release")
    assert release_event.actor_id == personas.hr.pk
    # The message given again (a worker killed after the commit): nothing happens twice.
    assert cycle_release_queued.call(cycle.pk, personas.hr.pk) is False
    assert Report.objects.filter(participant__cycle=cycle).count() == 1
    page = hr.get(reverse("cycles:dashboard", args=[cycle.pk])).content.decode()
    assert "Reports prepared (page and PDF): 0 of 1" in page
