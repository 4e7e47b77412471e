"""Writes to weekly habits, and the weekly reminders: atomic and audited."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tandem.audit.services import audit_changes, audit_record
from tandem.growth.models import (
    Habit,
    HabitAdoption,
    HabitSet,
    HabitTick,
)
from tandem.growth.services._common import GrowthError
from tandem.growth.weeks import IsoWeek
from tandem.people.models import Person, PersonStatus


@transaction.atomic
def habit_adopt(*, person: Person, habit_set: HabitSet, actor: Any) -> HabitAdoption:
    if habit_set.organisation_id not in (None, person.organisation_id):
        raise GrowthError("That habit set is not offered here.")
    adoption, _ = HabitAdoption.objects.get_or_create(person=person, habit_set=habit_set)
    if not adoption.active:
        adoption.active = True
        adoption.save(update_fields=["active"])
    audit_record(
        organisation=person.organisation,
        actor=actor,
        action="growth.habit_adopt",
        target=adoption,
        changes={"habit_set": habit_set.name},
    )
    return adoption


@transaction.atomic
def habit_settings(
    *, adoption: HabitAdoption, active: bool, reminders: bool, actor: Any
) -> HabitAdoption:
    adoption = HabitAdoption.objects.select_for_update().get(pk=adoption.pk)
    changes = audit_changes(
        {"active": adoption.active, "reminders": adoption.reminders},
        {"active": active, "reminders": reminders},
    )
    if changes:
        adoption.active, adoption.reminders = active, reminders
        adoption.save(update_fields=["active", "reminders"])
        audit_record(
            organisation=adoption.person.organisation,
            actor=actor,
            action="growth.habit_settings",
            target=adoption,
            changes=changes,
        )
    return adoption


@transaction.atomic
def habit_tick(
    *, adoption: HabitAdoption, habit: Habit, week: IsoWeek, done: bool, actor: Any
) -> bool:
    """Tick (or untick) one habit for one week. Returns whether anything changed."""
    if habit.habit_set_id != adoption.habit_set_id:
        raise GrowthError("That habit is not in this set.")
    ticks = HabitTick.objects.filter(adoption=adoption, habit=habit, week=str(week))
    if done:
        _, changed = HabitTick.objects.get_or_create(adoption=adoption, habit=habit, week=str(week))
    else:
        changed = ticks.delete()[0] > 0
    if changed:
        audit_record(
            organisation=adoption.person.organisation,
            actor=actor,
            action="growth.habit_tick" if done else "growth.habit_untick",
            target=adoption,
            changes={"habit": habit.key, "week": str(week)},
        )
    return bool(changed)


REMINDER_WEEKDAY = 1  # Monday: the week's checklist arrives at its start.


@transaction.atomic
def habit_reminders_send(*, now: datetime.datetime) -> int:
    """Email each person keeping habits with reminders on their checklist for ``now``'s week.

    At most one reminder per adoption per ISO week, on or after Monday; run it as often as you
    like (the background task runs it daily; so can cron with ``send_habit_reminders``).
    Returns the number of emails queued (sent once the transaction commits).
    """
    today = timezone.localtime(now).date() if timezone.is_aware(now) else now.date()
    week = IsoWeek.of(today)
    if today.isoweekday() < REMINDER_WEEKDAY:
        return 0
    due = (
        HabitAdoption.objects.select_for_update()
        .filter(active=True, reminders=True, person__status=PersonStatus.ACTIVE)
        .filter(~Q(last_reminded_week=str(week)))
        .exclude(person__email="")
        .select_related("person__organisation", "habit_set")
        .prefetch_related("habit_set__habits")
        .order_by("pk")
    )
    messages: list[tuple[str, str, str, list[str]]] = []
    link = settings.SITE_URL + reverse("growth:habits")
    for adoption in due:
        done = set(
            HabitTick.objects.filter(adoption=adoption, week=str(week)).values_list(
                "habit_id", flat=True
            )
        )
        habits = list(adoption.habit_set.habits.all())
        lines = "\n".join(f"[{'x' if h.pk in done else ' '}] {h.text}" for h in habits)
        left = sum(1 for h in habits if h.pk not in done)
        body = (
            f"Hello {adoption.person.name},\n\n"
            f"Your {adoption.habit_set.name.lower()} for week {week.week} "
            f"({week.monday:%d %B} to {week.sunday:%d %B}): {left} of {len(habits)} to go.\n\n"
            f"{lines}\n\nTick them off as you go: {link}\n\n"
            "Only you can see your habits. Turn these reminders off on the same page.\n"
        )
        messages.append(
            (
                f"Your habits for week {week.week}",
                body,
                settings.DEFAULT_FROM_EMAIL,
                [adoption.person.email],
            )
        )
        previous = adoption.last_reminded_week
        adoption.last_reminded_week = str(week)
        adoption.save(update_fields=["last_reminded_week"])
        audit_record(
            organisation=adoption.person.organisation,
            actor=None,
            action="growth.habit_reminder",
            target=adoption,
            changes={"last_reminded_week": [previous, str(week)]},
        )
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return len(messages)
