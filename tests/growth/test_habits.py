"""Weekly habits: adopt, tick a week, streaks, private, reminders by task and command."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.growth.models import HabitAdoption, HabitSet, HabitTick
from tandem.growth.selectors import habit_weeks
from tandem.growth.services import habit_adopt, habit_reminders_send, habit_settings, habit_tick
from tandem.growth.tasks import next_run_after, send_habit_reminders
from tandem.growth.weeks import IsoWeek
from tests.conftest import Personas

MONDAY = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=datetime.UTC)  # 2026-W48


def _seven() -> HabitSet:
    return HabitSet.objects.get(key="seven-messages", organisation=None)


def _adopt(personas: Personas) -> HabitAdoption:
    return habit_adopt(person=personas.employee_person, habit_set=_seven(), actor=None)


def _keep_week(adoption: HabitAdoption, week: IsoWeek) -> None:
    for habit in adoption.habit_set.habits.all():
        habit_tick(adoption=adoption, habit=habit, week=week, done=True, actor=None)


def test_a_week_ticked_off_counts_towards_the_streak(personas: Personas) -> None:
    adoption = _adopt(personas)
    this = IsoWeek(2026, 48)
    _keep_week(adoption, this.shift(-2))
    _keep_week(adoption, this.shift(-1))
    first = adoption.habit_set.habits.first()
    assert first is not None
    habit_tick(adoption=adoption, habit=first, week=this, done=True, actor=None)
    (week,) = habit_weeks(person=personas.employee_person, today=this.monday)
    assert (week.done, week.kept, week.streak.current) == (1, False, 2)
    _keep_week(adoption, this)
    (week,) = habit_weeks(person=personas.employee_person, today=this.monday)
    assert (week.kept, week.streak.current, week.streak.longest) == (True, 3, 3)
    assert [done for _, done in week.history][-3:] == [7, 7, 7]


def test_the_checklist_form_saves_the_whole_week(personas: Personas) -> None:
    adoption = _adopt(personas)
    habits = list(adoption.habit_set.habits.all())
    client = Client()
    client.force_login(personas.employee)
    url = reverse("growth:habit_week", args=[adoption.pk])
    client.post(url, {"habit": [habits[0].pk, habits[1].pk]})
    assert HabitTick.objects.count() == 2
    client.post(url, {"habit": [habits[1].pk]})
    assert list(HabitTick.objects.values_list("habit_id", flat=True)) == [habits[1].pk]


def test_habits_are_private(personas: Personas) -> None:
    adoption = _adopt(personas)
    for user in (personas.manager, personas.hr, personas.admin):
        client = Client()
        client.force_login(user)
        assert client.post(reverse("growth:habit_week", args=[adoption.pk])).status_code == 404
        assert (
            "Seven messages a week</h2>"
            not in client.get(reverse("growth:habits")).content.decode()
        )


def test_reminders_go_once_a_week_with_what_is_left(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    adoption = _adopt(personas)
    first = adoption.habit_set.habits.first()
    assert first is not None
    habit_tick(adoption=adoption, habit=first, week=IsoWeek(2026, 48), done=True, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert habit_reminders_send(now=MONDAY) == 1
        assert habit_reminders_send(now=MONDAY + datetime.timedelta(days=2)) == 0
    (message,) = mail.outbox
    assert message.to == [personas.employee_person.email]
    assert message.subject == "Your habits for week 48"
    assert "6 of 7 to go" in message.body
    assert "[x] Send a thank-you" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        assert habit_reminders_send(now=MONDAY + datetime.timedelta(days=7)) == 1
    assert len(mail.outbox) == 2


def test_no_reminder_when_turned_off(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    adoption = _adopt(personas)
    habit_settings(adoption=adoption, active=True, reminders=False, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert habit_reminders_send(now=MONDAY) == 0
    assert mail.outbox == []


def test_the_command_takes_now_and_calls_the_same_service(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    _adopt(personas)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_habit_reminders", "--now", "2026-11-24T09:00:00+00:00", stdout=out)
    assert "1 habit reminder(s) sent." in out.getvalue()
    assert HabitAdoption.objects.get().last_reminded_week == "2026-W48"
    assert len(mail.outbox) == 1


def test_the_background_task_sends_and_plans_its_next_run(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    _adopt(personas)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_habit_reminders.call() == 1
    assert len(mail.outbox) == 1
    (queued,) = DBTaskResult.objects.filter(task_path__endswith="send_habit_reminders")
    assert queued.run_after > timezone.now(), "its next run is planned for tomorrow morning"
    assert next_run_after(MONDAY) == datetime.datetime(2026, 11, 24, 7, 0, tzinfo=datetime.UTC)
