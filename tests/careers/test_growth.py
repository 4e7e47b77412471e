"""A person's growth: placement by the people team, evidence and endorsements, the quarterly
prompt and reminder, the motivation check and track fit."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.audit.models import AuditEvent
from tandem.careers import selectors
from tandem.careers.frameworkfile import framework_yaml
from tandem.careers.models import Endorsement, Evidence, FrameworkVersion, MotivationCheck
from tandem.careers.services import (
    CareersError,
    evidence_endorse,
    evidence_log,
    framework_default_install,
    framework_edit,
    placement_set,
    quarter_reminders_send,
    quarter_summary_save,
)
from tandem.careers.tasks import quarter_reminders
from tests.conftest import Personas
from tests.growth.factories import SCALES, make_released_result


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _framework(p: Personas) -> FrameworkVersion:
    return framework_default_install(organisation=p.organisation, actor=None)


def _criteria(version: FrameworkVersion, track: str, level: int) -> list:  # type: ignore[type-arg]
    return list(version.tracks.get(key=track).levels.get(number=level).criteria.all())


# --- placement ----------------------------------------------------------------------------


def test_the_people_team_places_a_person_and_the_person_sees_it(personas: Personas) -> None:
    _framework(personas)
    response = _client(personas.hr).post(
        reverse("careers:placement", args=[personas.employee_person.pk]),
        {"track": "ic", "level": "2", "since": "2026-04-01", "note": "From the HR file"},
    )
    assert response.status_code == 302
    page = _client(personas.employee).get(reverse("careers:me")).content.decode()
    assert "Individual contributor, level 2: Practitioner" in page
    assert "since 1 April 2026" in page
    event = AuditEvent.objects.get(action="careers.placement_set")
    assert event.changes["level"] == [None, 2]


def test_a_placement_overrides_the_people_records_and_keeps_history(personas: Personas) -> None:
    version = _framework(personas)
    emma = personas.employee_person
    emma.track, emma.level = "ic", 1
    emma.save()
    placement_set(
        person=emma, track_key="ic", level_number=3, since=datetime.date(2026, 1, 1), actor=None
    )
    # Stepping back is recorded like any other move.
    placement_set(
        person=emma, track_key="lead", level_number=2, since=datetime.date(2026, 6, 1), actor=None
    )
    position = selectors.person_position(version=version, person=emma)
    assert (position.track.key, position.level.number) == ("lead", 2)  # type: ignore[union-attr]
    assert position.placed and position.since == datetime.date(2026, 6, 1)
    assert len(selectors.placement_history(person=emma)) == 2


def test_a_placement_on_a_level_that_does_not_exist_is_refused(personas: Personas) -> None:
    _framework(personas)
    with pytest.raises(CareersError, match="no level 9"):
        placement_set(
            person=personas.employee_person,
            track_key="ic",
            level_number=9,
            since=datetime.date(2026, 1, 1),
            actor=None,
        )


def test_the_track_page_offers_sideways_and_step_back_moves(personas: Personas) -> None:
    _framework(personas)
    placement_set(
        person=personas.employee_person,
        track_key="ic",
        level_number=3,
        since=datetime.date(2026, 1, 1),
        actor=None,
    )
    client = _client(personas.employee)
    own = client.get(reverse("careers:track", args=["ic"])).content.decode()
    assert "Step back" in own and "respected choice" in own
    assert "Move up" in own
    other = client.get(reverse("careers:track", args=["lead"])).content.decode()
    assert other.count("Move sideways") == 5
    assert "Open a case for this move" in other


# --- evidence and endorsements --------------------------------------------------------------


def test_an_employee_logs_evidence_and_sees_it_against_their_criteria(personas: Personas) -> None:
    version = _framework(personas)
    placement_set(
        person=personas.employee_person,
        track_key="ic",
        level_number=2,
        since=datetime.date(2026, 1, 1),
        actor=None,
    )
    current, upcoming = _criteria(version, "ic", 2)[0], _criteria(version, "ic", 3)[0]
    client = _client(personas.employee)
    form = client.get(reverse("careers:evidence_new")).content.decode()
    # The person's own level comes before the others.
    assert form.index("Individual contributor, level 2") < form.index("People manager, level 1")
    response = client.post(
        reverse("careers:evidence_new"),
        {
            "what": "Shipped the billing export",
            "happened_on": "2026-05-04",
            "link": "https://example.org/pr/42",
            "criteria": [str(current.pk), str(upcoming.pk)],
        },
    )
    assert response.status_code == 302
    entry = Evidence.objects.get()
    assert set(entry.criteria.all()) == {current, upcoming}
    page = client.get(reverse("careers:me"))
    levels = page.context["levels"]
    assert [b.label for b in levels] == ["Your level", "Next level"]
    assert levels[0].criteria[0].entries == (entry,)
    assert levels[1].criteria[0].entries == (entry,)
    assert levels[0].shown == 1
    assert AuditEvent.objects.filter(action="careers.evidence_log").count() == 1


def test_evidence_keeps_counting_after_a_new_framework_version(personas: Personas) -> None:
    version = _framework(personas)
    emma = personas.employee_person
    placement_set(
        person=emma, track_key="ic", level_number=2, since=datetime.date(2026, 1, 1), actor=None
    )
    criterion = _criteria(version, "ic", 2)[0]
    entry = evidence_log(
        person=emma,
        what="Paired on the parser",
        happened_on=datetime.date(2026, 2, 1),
        criteria=[criterion],
        actor=None,
    )
    text = framework_yaml(selectors.framework_spec(version=version))
    newer = framework_edit(
        organisation=personas.organisation,
        text=text.replace("title: Practitioner", "title: Independent"),
        actor=None,
    )
    position = selectors.person_position(version=newer, person=emma)
    levels = selectors.growth_by_criterion(
        position=position, entries=selectors.evidence_of(person=emma)
    )
    assert levels[0].level.title == "Independent"
    assert levels[0].criteria[0].entries == (entry,)


def test_evidence_can_only_show_criteria_of_the_current_version(personas: Personas) -> None:
    old = _framework(personas)
    _framework(personas)
    with pytest.raises(CareersError, match="current framework version"):
        evidence_log(
            person=personas.employee_person,
            what="Old",
            happened_on=datetime.date(2026, 1, 1),
            criteria=_criteria(old, "ic", 1)[:1],
            actor=None,
        )


def test_managers_and_peers_endorse_once_and_nobody_endorses_their_own(
    personas: Personas,
) -> None:
    _framework(personas)
    entry = evidence_log(
        person=personas.employee_person,
        what="Ran the incident review",
        happened_on=datetime.date(2026, 3, 1),
        actor=None,
    )
    url = reverse("careers:endorse", args=[entry.pk])
    assert _client(personas.manager).post(url, {"note": "Calm and thorough"}).status_code == 302
    sibling = personas.sibling_person
    from tests.factories import make_user

    peer = make_user(personas.organisation, person=sibling)
    assert _client(peer).post(url).status_code == 302
    # A second endorsement by the same person is turned away politely, not duplicated.
    _client(peer).post(url)
    assert Endorsement.objects.filter(evidence=entry).count() == 2
    assert _client(personas.employee).post(url).status_code == 403
    assert _client(personas.outsider).post(url).status_code == 404
    with pytest.raises(CareersError, match="own evidence"):
        evidence_endorse(evidence=entry, endorser=personas.employee_person, actor=None)
    page = _client(personas.employee).get(reverse("careers:me")).content.decode()
    assert "Endorsed by Manny Manager (“Calm and thorough”), Eli Employee" in page


def test_endorse_only_takes_post(personas: Personas) -> None:
    _framework(personas)
    entry = evidence_log(
        person=personas.employee_person, what="X", happened_on=datetime.date(2026, 1, 1), actor=None
    )
    assert (
        _client(personas.manager).get(reverse("careers:endorse", args=[entry.pk])).status_code
        == 405
    )


def test_quarter_summaries_are_private_to_the_person_their_managers_and_hr(
    personas: Personas,
) -> None:
    _framework(personas)
    year, quarter = selectors.quarter_of(timezone.localdate())
    quarter_summary_save(
        person=personas.employee_person,
        year=year,
        quarter=quarter,
        text="Led the migration.",
        actor=None,
    )
    from tests.factories import make_user

    peer = make_user(personas.organisation, person=personas.sibling_person)
    url = reverse("careers:person", args=[personas.employee_person.pk])
    for user in (personas.manager, personas.hr, personas.admin):
        assert "Led the migration." in _client(user).get(url).content.decode()
    assert "Led the migration." not in _client(peer).get(url).content.decode()


# --- the quarterly prompt and reminders -------------------------------------------------------


def test_the_prompt_shows_until_the_quarter_is_summarised(personas: Personas) -> None:
    _framework(personas)
    client = _client(personas.employee)
    assert "quarter-prompt" in client.get(reverse("careers:framework")).content.decode()
    response = client.post(reverse("careers:quarter"), {"text": "A good quarter."})
    assert response.status_code == 302
    assert "quarter-prompt" not in client.get(reverse("careers:framework")).content.decode()
    assert "quarter-prompt" not in client.get(reverse("careers:me")).content.decode()
    # Rewriting updates the one summary of the quarter.
    client.post(reverse("careers:quarter"), {"text": "A very good quarter."})
    assert [s.text for s in selectors.quarter_summaries(person=personas.employee_person)] == [
        "A very good quarter."
    ]


def test_reminders_go_only_to_people_without_a_summary(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    today = datetime.date(2026, 11, 20)
    quarter_summary_save(
        person=personas.employee_person, year=2026, quarter=4, text="Done", actor=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = quarter_reminders_send(
            organisation=personas.organisation, today=today, base_url="https://tandem.example"
        )
    # Members with a person: admin, hr, manager (employee wrote one; Eli cannot sign in).
    assert sent == 3
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert personas.employee_person.email not in recipients
    assert personas.manager_person.email in recipients
    assert mail.outbox[0].subject == "Your Q4 2026 summary"
    assert "https://tandem.example/careers/me/quarter/" in mail.outbox[0].body
    assert personas.outsider_person.email not in recipients


def test_the_reminder_task_and_command_send_the_same_reminders(
    personas: Personas, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        result = quarter_reminders.enqueue(personas.organisation.pk, "")
    # Everyone who can sign in: Ada, Harriet, Manny and Emma.
    assert result.return_value == 4
    assert len(mail.outbox) == 4
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("careers_quarter_reminders", "--organisation", str(personas.organisation.pk))
    assert len(mail.outbox) == 4


# --- motivation and track fit --------------------------------------------------------------------


def _answers(dev: int, adv: int, exp: int, own: int, people: int) -> dict[str, str]:
    values = {"mtm_dev": dev, "mtm_adv": adv, "ti_exp": exp, "ti_own": own, "ti_dev": people}
    answers = {}
    for prefix, value in values.items():
        for n in (1, 2, 3):
            if prefix.startswith("ti") and n == 3:
                continue
            answers[f"{prefix}{n}"] = str(value)
    return answers


def test_the_motivation_check_scores_and_guides_without_gating(personas: Personas) -> None:
    client = _client(personas.employee)
    form = client.get(reverse("careers:motivation")).content.decode()
    assert "I would find it rewarding to help someone else grow in their job." in form
    response = client.post(reverse("careers:motivation"), _answers(2, 5, 3, 4, 4))
    assert response.status_code == 302 and response.url == reverse("careers:track_fit")
    check = MotivationCheck.objects.get()
    assert check.scores["motivation_to_manage"] == {
        "developing_people": 2.0,
        "advancement_status": 5.0,
    }
    page = client.get(reverse("careers:motivation")).content.decode()
    assert "does not appeal to you much" in page
    fit = client.get(reverse("careers:track_fit")).content.decode()
    assert "Suggested: Leadership without reports" in fit
    assert "no released assessment" in fit
    # The audit row says a check was taken, not what was answered.
    event = AuditEvent.objects.get(action="careers.motivation_check_record")
    assert event.changes == {"answered": 12}


def test_an_incomplete_check_is_refused_with_a_plain_message(personas: Personas) -> None:
    answers = _answers(4, 2, 3, 3, 5)
    del answers["mtm_adv2"]
    page = _client(personas.employee).post(reverse("careers:motivation"), answers)
    assert page.status_code == 200
    assert "Answer every question" in page.content.decode()
    assert not MotivationCheck.objects.exists()


def test_track_fit_uses_a_released_assessment(personas: Personas) -> None:
    # Others rate management behaviours high and leadership ones low: a "manager" profile.
    make_released_result(
        personas.employee_person,
        others={
            "planning_budgeting": 4.5,
            "organising_staffing": 4.5,
            "controlling_problem_solving": 4.5,
            "setting_direction": 2.5,
            "aligning_people": 2.5,
            "motivating_inspiring": 2.5,
        },
    )
    client = _client(personas.employee)
    client.post(reverse("careers:motivation"), _answers(5, 1, 3, 3, 5))
    response = client.get(reverse("careers:track_fit"))
    assert response.context["result"].placement == "manager"
    page = response.content.decode()
    assert "Suggested: People manager" in page
    assert "management behaviours" in page


def test_the_people_team_sees_everyones_track_and_level_in_two_queries(
    personas: Personas,
) -> None:
    _framework(personas)
    emma = personas.employee_person
    emma.track, emma.level = "ic", 1
    emma.save()
    placement_set(
        person=personas.sibling_person,
        track_key="lead",
        level_number=2,
        since=datetime.date(2026, 2, 1),
        actor=None,
    )
    rows = {r.person.name: r for r in selectors.placements_in(organisation=personas.organisation)}
    assert (rows["Emma Employee"].track_key, rows["Emma Employee"].placed) == ("ic", False)
    assert (rows["Eli Employee"].track_key, rows["Eli Employee"].level_number) == ("lead", 2)
    assert "Otto Outsider" not in rows
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        selectors.placements_in(organisation=personas.organisation)
    assert len(queries) == 2
    page = _client(personas.hr).get(reverse("careers:placements")).content.decode()
    assert "(from the people list)" in page and "lead level 2" in page


def test_the_growth_page_reads_any_number_of_entries_in_a_fixed_number_of_queries(
    personas: Personas,
) -> None:
    version = _framework(personas)
    placement_set(
        person=personas.employee_person,
        track_key="ic",
        level_number=2,
        since=datetime.date(2026, 1, 1),
        actor=None,
    )
    criteria = _criteria(version, "ic", 2) + _criteria(version, "ic", 3)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(personas.manager)
    url = reverse("careers:person", args=[personas.employee_person.pk])
    counts = []
    for n in (1, 6):
        while Evidence.objects.count() < n:
            entry = evidence_log(
                person=personas.employee_person,
                what=f"Entry {Evidence.objects.count()}",
                happened_on=datetime.date(2026, 3, 1),
                criteria=criteria[:3],
                actor=None,
            )
            evidence_endorse(evidence=entry, endorser=personas.manager_person, actor=None)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_evidence_from_the_future_is_refused(personas: Personas) -> None:
    _framework(personas)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = _client(personas.employee).post(
        reverse("careers:evidence_new"), {"what": "Next week's launch", "happened_on": tomorrow}
    )
    assert response.status_code == 200
    assert "in the future" in response.content.decode()
    assert not Evidence.objects.exists()


def test_track_fit_reads_the_assessments_self_questionnaire_until_the_check_is_taken(
    personas: Personas,
) -> None:
    # The factory's self questionnaire answers every motivation and interest item with 3.
    make_released_result(personas.employee_person, others=dict.fromkeys(SCALES, 2.5))
    client = _client(personas.employee)
    page = client.get(reverse("careers:track_fit")).content.decode()
    assert "Neither developing people nor advancement pulls you strongly yet." in page
    assert "neither strongly for nor against" in page
    client.post(reverse("careers:motivation"), _answers(5, 1, 2, 2, 5))
    page = client.get(reverse("careers:track_fit")).content.decode()
    assert "Your reasons for managing lean towards developing people." in page
    assert "Suggested: People manager" in page


def test_the_command_can_hand_the_reminders_to_the_task_worker(personas: Personas) -> None:
    from io import StringIO

    from django_tasks_db.models import DBTaskResult

    out = StringIO()
    call_command(
        "careers_quarter_reminders",
        "--organisation",
        str(personas.organisation.pk),
        "--enqueue",
        stdout=out,
    )
    assert out.getvalue().startswith("Enqueued as task ")
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "tandem.careers.tasks.quarter_reminders"
    assert not mail.outbox  # nothing is sent until a worker runs it


def test_the_command_refuses_an_unknown_organisation(db: None) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="No organisation has id 999"):
        call_command("careers_quarter_reminders", "--organisation", "999")


def test_an_overlong_endorsement_note_saves_nothing_and_says_why(personas: Personas) -> None:
    _framework(personas)
    entry = evidence_log(
        person=personas.employee_person, what="X", happened_on=datetime.date(2026, 1, 1), actor=None
    )
    client = _client(personas.manager)
    response = client.post(
        reverse("careers:endorse", args=[entry.pk]), {"note": "x" * 301}, follow=True
    )
    assert "Keep the note to 300 characters" in response.content.decode()
    assert not Endorsement.objects.exists()
