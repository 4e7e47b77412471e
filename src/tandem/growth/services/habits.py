"""Writes to weekly habits and habit sets, and the weekly reminders: atomic and audited."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext, ngettext

from tandem import access
from tandem.audit.services import acting_user, audit_changes, audit_record
from tandem.growth.models import (
    HABIT_TEXT_MAX,
    HABITS_PER_SET_MAX,
    Habit,
    HabitAdoption,
    HabitSet,
    HabitTick,
)
from tandem.growth.services._common import GrowthError, day_month
from tandem.growth.weeks import IsoWeek
from tandem.outbox.language import recipient_languages
from tandem.outbox.services import Mail, mail_queue_each
from tandem.people.models import Organisation, Person, PersonStatus

# --- habit sets the people team makes ---------------------------------------------------------


def _checked(*, name: str, description: str, habits: Sequence[str]) -> dict[str, Any]:
    name = " ".join(name.split())
    if not name:
        raise GrowthError(gettext("Give the habit set a name."))
    texts = [" ".join(text.split()) for text in habits]
    texts = [text for text in texts if text]
    if not 1 <= len(texts) <= HABITS_PER_SET_MAX:
        raise GrowthError(
            gettext("A habit set has 1 to %(most)s habits.") % {"most": HABITS_PER_SET_MAX}
        )
    for number, text in enumerate(texts, start=1):
        if len(text) > HABIT_TEXT_MAX:
            raise GrowthError(
                ngettext(
                    "Habit %(number)s is longer than %(most)s character.",
                    "Habit %(number)s is longer than %(most)s characters.",
                    HABIT_TEXT_MAX,
                )
                % {"number": number, "most": HABIT_TEXT_MAX}
            )
    if len({text.casefold() for text in texts}) < len(texts):
        raise GrowthError(gettext("Each habit appears once."))
    return {"name": name, "description": description.strip(), "habits": texts}


def _habit_keys(texts: Sequence[str]) -> list[str]:
    """Readable keys (the audit log names habits by key), unique within the set."""
    keys: list[str] = []
    for text in texts:
        base = slugify(text)[:56] or "habit"
        key, n = base, 1
        while key in keys:
            n += 1
            key = f"{base}-{n}"
        keys.append(key)
    return keys


def _habits_replace(habit_set: HabitSet, texts: Sequence[str]) -> None:
    habit_set.habits.all().delete()
    Habit.objects.bulk_create(
        Habit(habit_set=habit_set, key=key, text=text, position=position)
        for position, (key, text) in enumerate(zip(_habit_keys(texts), texts, strict=True))
    )


@transaction.atomic
def habit_set_create(
    *, organisation: Organisation, name: str, description: str, habits: Sequence[str], actor: Any
) -> HabitSet:
    """The people team makes a habit set for their organisation: 1 to 10 habits, each a
    short line, kept in the order given."""
    fields = _checked(name=name, description=description, habits=habits)
    habit_set = HabitSet.objects.create(
        organisation=organisation,
        name=fields["name"],
        description=fields["description"],
        created_by=acting_user(actor),
    )
    _habits_replace(habit_set, fields["habits"])
    audit_record(
        organisation=organisation,
        actor=actor,
        action="growth.habit_set_create",
        target=habit_set,
        changes=fields,
    )
    return habit_set


def _locked(habit_set: HabitSet) -> HabitSet:
    return (
        HabitSet.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=habit_set.pk)
    )


@transaction.atomic
def habit_set_update(
    *, habit_set: HabitSet, name: str, description: str, habits: Sequence[str], actor: Any
) -> HabitSet:
    """Rewrite a habit set nobody has adopted yet (``access.growth.habit_set_change`` holds the
    rules). Its habits are replaced: with no adoption there are no ticked weeks to keep."""
    habit_set = _locked(habit_set)
    refused = access.growth.habit_set_change(actor, habit_set).edit_refused
    if refused:
        raise GrowthError(refused)
    after = _checked(name=name, description=description, habits=habits)
    before = {
        "name": habit_set.name,
        "description": habit_set.description,
        "habits": [habit.text for habit in habit_set.habits.all()],
    }
    changes = audit_changes(before, after, ["name", "description", "habits"])
    if not changes:
        return habit_set
    habit_set.name, habit_set.description = after["name"], after["description"]
    habit_set.save(update_fields=["name", "description"])
    if "habits" in changes:
        _habits_replace(habit_set, after["habits"])
    audit_record(
        organisation=habit_set.organisation,
        actor=actor,
        action="growth.habit_set_update",
        target=habit_set,
        changes=changes,
    )
    return habit_set


@transaction.atomic
def habit_set_retire(*, habit_set: HabitSet, actor: Any) -> HabitSet:
    """Offer a habit set no more. Those who keep it carry on: their weeks, streaks and
    reminders are untouched."""
    habit_set = _locked(habit_set)
    refused = access.growth.habit_set_change(actor, habit_set).retire_refused
    if refused:
        raise GrowthError(refused)
    habit_set.retired_at = timezone.now()
    habit_set.save(update_fields=["retired_at"])
    audit_record(
        organisation=habit_set.organisation,
        actor=actor,
        action="growth.habit_set_retire",
        target=habit_set,
        changes={"retired_at": [None, habit_set.retired_at]},
    )
    return habit_set


# --- keeping habits ---------------------------------------------------------------------------


@transaction.atomic
def habit_adopt(*, person: Person, habit_set: HabitSet, actor: Any) -> HabitAdoption:
    """Start keeping a set (or keep it again after stopping). A retired set is not taken up
    again; the set's row lock makes an adoption wait for an edit or retirement under way."""
    habit_set = HabitSet.objects.select_for_update().get(pk=habit_set.pk)
    if habit_set.organisation_id not in (None, person.organisation_id):
        raise GrowthError(gettext("That habit set is not offered here."))
    if (
        habit_set.retired_at is not None
        and not HabitAdoption.objects.filter(
            person=person, habit_set=habit_set, active=True
        ).exists()
    ):
        raise GrowthError(
            gettext("'%(name)s' is retired: it can no longer be adopted.")
            % {"name": habit_set.shown_name}
        )
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
        raise GrowthError(gettext("That habit is not in this set."))
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


def _languages(adoptions: Sequence[HabitAdoption]) -> dict[int, dict[str, str]]:
    """Each organisation's recipients' languages (address -> language), one query each."""
    people: dict[int, tuple[Organisation, list[str]]] = {}
    for adoption in adoptions:
        person = adoption.person
        people.setdefault(person.organisation_id, (person.organisation, []))[1].append(person.email)
    return {
        organisation_id: recipient_languages(organisation=organisation, emails=emails)
        for organisation_id, (organisation, emails) in people.items()
    }


def _reminder_mail(adoption: HabitAdoption, *, week: IsoWeek, done: set[int], link: str) -> Mail:
    """This week's checklist, in the active language (the person's)."""
    habits = list(adoption.habit_set.habits.all())
    lines = "\n".join(f"[{'x' if h.pk in done else ' '}] {h.shown_text}" for h in habits)
    left = sum(1 for h in habits if h.pk not in done)
    paragraphs = [
        gettext("Hello %(name)s,") % {"name": adoption.person.name},
        gettext(
            # Translators: %(habit_set)s is the habit set's name in lower case, such as "seven
            # messages a week"; %(week)s is the ISO week's number.
            "Your %(habit_set)s for week %(week)s (%(monday)s to %(sunday)s): %(left)s of "
            "%(total)s to go."
        )
        % {
            "habit_set": adoption.habit_set.shown_name.lower(),
            "week": week.week,
            "monday": day_month(week.monday),
            "sunday": day_month(week.sunday),
            "left": left,
            "total": len(habits),
        },
        lines,
        gettext("Tick them off as you go: %(link)s") % {"link": link},
        gettext("Only you can see your habits. Turn these reminders off on the same page."),
    ]
    subject = gettext("Your habits for week %(week)s") % {"week": week.week}
    return (
        subject,
        "\n\n".join(paragraphs) + "\n",
        settings.DEFAULT_FROM_EMAIL,
        [adoption.person.email],
    )


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
    messages: list[tuple[Organisation, Mail]] = []
    link = settings.SITE_URL + reverse("growth:habits")
    adoptions = list(due)
    languages = _languages(adoptions)
    for adoption in adoptions:
        done = set(
            HabitTick.objects.filter(adoption=adoption, week=str(week)).values_list(
                "habit_id", flat=True
            )
        )
        language = languages[adoption.person.organisation_id].get(adoption.person.email.lower())
        with translation.override(language):
            mail = _reminder_mail(adoption, week=week, done=done, link=link)
        messages.append((adoption.person.organisation, mail))
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
    mail_queue_each(messages=messages, kind="growth.habit_reminder")
    return len(messages)
