"""Writes to growth: each one atomic and audited.

Quick-feedback answers never reach the audit log: answering is recorded as an event on the
request, with no values, and the answer itself is stored on a sheet that names nobody.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tandem.audit.services import audit_changes, audit_record
from tandem.growth import defaults
from tandem.growth.models import (
    ActionNote,
    ActionStatus,
    FeedbackInvite,
    FeedbackRequest,
    FeedbackSheet,
    FeedbackStatus,
    FocusArea,
    FocusKind,
    Habit,
    HabitAdoption,
    HabitSet,
    HabitTick,
    Interest,
    LibraryAction,
    NoteKind,
    Plan,
    PlanAction,
)
from tandem.growth.weeks import IsoWeek
from tandem.measure import DEFAULT_MINIMUMS, Instrument
from tandem.people.models import Organisation, Person, PersonStatus

FEEDBACK_MIN_SCALES, FEEDBACK_MAX_SCALES = 1, 2
FEEDBACK_MAX_PEOPLE = 12


class GrowthError(ValueError):
    """A request that cannot be carried out, with a message for the person."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _same_organisation(organisation: Organisation, *people: Person) -> None:
    for person in people:
        if person.organisation_id != organisation.pk:
            raise GrowthError(f"{person} is not in {organisation}.")


# --- defaults --------------------------------------------------------------------------------


@transaction.atomic
def growth_defaults_install() -> dict[str, int]:
    """Install or refresh Tandem's own library actions and habit sets. Safe to run again."""
    created = {"actions": 0, "habit_sets": 0, "habits": 0}
    for entry in defaults.LIBRARY:
        fields = {k: v for k, v in entry.items() if k != "key"}
        _, made = LibraryAction.objects.update_or_create(
            organisation=None, key=entry["key"], defaults=fields
        )
        created["actions"] += made
    for entry in defaults.HABIT_SETS:
        habit_set, made = HabitSet.objects.update_or_create(
            organisation=None,
            key=entry["key"],
            defaults={"name": entry["name"], "description": entry["description"]},
        )
        created["habit_sets"] += made
        for position, (key, text, hint) in enumerate(entry["habits"]):
            _, made = Habit.objects.update_or_create(
                habit_set=habit_set,
                key=key,
                defaults={"text": text, "hint": hint, "position": position},
            )
            created["habits"] += made
    return created


# --- plans -----------------------------------------------------------------------------------


def _plan_for(person: Person) -> Plan:
    plan, _ = Plan.objects.get_or_create(
        person=person, defaults={"organisation_id": person.organisation_id}
    )
    return plan


@transaction.atomic
def plan_focus_add(
    *,
    person: Person,
    choices: Sequence[tuple[str, str]],
    instrument: Instrument,
    cycle: Any,
    reasons: Mapping[str, str] | None = None,
    actor: Any,
) -> Plan:
    """Add the chosen focus areas, ``(scale_id, kind)`` pairs, to the person's plan.

    The plan is created on first use and continues across cycles: a later cycle adds focus
    areas next to the earlier ones, and a scale already being worked on is not added twice.
    """
    if not choices:
        raise GrowthError("Choose at least one strength or gap to work on.")
    names = {scale.id: scale.name for scale in instrument.scales}
    plan = _plan_for(person)
    added = []
    for scale_id, kind in choices:
        if scale_id not in names:
            raise GrowthError(f"{scale_id!r} is not a scale of {instrument.title}.")
        if kind not in FocusKind.values:
            raise GrowthError(f"{kind!r} is neither a strength nor a gap.")
        exists = plan.focus_areas.filter(
            scale_id=scale_id, kind=kind, closed_at__isnull=True
        ).exists()
        if exists:
            continue
        FocusArea.objects.create(
            plan=plan,
            scale_id=scale_id,
            scale_name=names[scale_id],
            kind=kind,
            reason=(reasons or {}).get(f"{kind}:{scale_id}", "")[:300],
            cycle=cycle,
            cycle_name=getattr(cycle, "name", ""),
        )
        added.append(f"{kind}:{scale_id}")
    plan.save(update_fields=["updated_at"])
    audit_record(
        organisation=person.organisation,
        actor=actor,
        action="growth.plan_focus_add",
        target=plan,
        changes={"added": ", ".join(added), "cycle": getattr(cycle, "name", "")},
    )
    return plan


@transaction.atomic
def focus_close(*, focus: FocusArea, actor: Any) -> FocusArea:
    """Stop working on a focus area; its actions stay in the plan's history."""
    focus = FocusArea.objects.select_for_update().select_related("plan__person").get(pk=focus.pk)
    if focus.closed_at is None:
        focus.closed_at = timezone.now()
        focus.save(update_fields=["closed_at"])
        audit_record(
            organisation=focus.plan.person.organisation,
            actor=actor,
            action="growth.focus_close",
            target=focus,
            changes={"closed_at": [None, focus.closed_at]},
        )
    return focus


@transaction.atomic
def library_action_create(
    *,
    organisation: Organisation,
    title: str,
    description: str,
    scale_ids: Sequence[str],
    success_hint: str = "",
    actor: Any,
) -> LibraryAction:
    """The people team adds an action of their own to the organisation's library."""
    if not scale_ids:
        raise GrowthError("Say which scales the action grows.")
    action = LibraryAction.objects.create(
        organisation=organisation,
        title=title,
        description=description,
        scale_ids=list(dict.fromkeys(scale_ids)),
        success_hint=success_hint,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        organisation=organisation,
        actor=actor,
        action="growth.library_action_create",
        target=action,
        changes={"title": title, "scale_ids": ", ".join(action.scale_ids)},
    )
    return action


@transaction.atomic
def plan_action_create(
    *,
    person: Person,
    title: str,
    owner: Person,
    due_on: datetime.date | None,
    success: str,
    focus: FocusArea | None = None,
    library_action: LibraryAction | None = None,
    actor: Any,
) -> PlanAction:
    _same_organisation(person.organisation, owner)
    plan = _plan_for(person)
    if focus is not None and focus.plan_id != plan.pk:
        raise GrowthError("That focus area belongs to another plan.")
    action = PlanAction.objects.create(
        plan=plan,
        focus=focus,
        library_action=library_action,
        title=title,
        owner=owner,
        due_on=due_on,
        success=success,
    )
    audit_record(
        organisation=person.organisation,
        actor=actor,
        action="growth.plan_action_create",
        target=action,
        changes={
            "owner": owner.name,
            "due_on": due_on,
            "focus": str(focus) if focus else "",
            "success": success,
        },
    )
    return action


@transaction.atomic
def plan_action_update(
    *,
    action: PlanAction,
    title: str,
    owner: Person,
    due_on: datetime.date | None,
    success: str,
    status: str,
    actor: Any,
) -> PlanAction:
    action = (
        PlanAction.objects.select_for_update()
        .select_related("plan__person__organisation", "owner")
        .get(pk=action.pk)
    )
    _same_organisation(action.plan.person.organisation, owner)
    if status not in ActionStatus.values:
        raise GrowthError(f"{status!r} is not a status.")
    before = {
        "title": action.title,
        "owner": action.owner.name,
        "due_on": action.due_on,
        "success": action.success,
        "status": action.status,
    }
    after = {
        "title": title,
        "owner": owner.name,
        "due_on": due_on,
        "success": success,
        "status": status,
    }
    changes = audit_changes(before, after)
    if not changes:
        return action
    action.title, action.owner, action.due_on = title, owner, due_on
    action.success, action.status = success, status
    action.save()
    audit_record(
        organisation=action.plan.person.organisation,
        actor=actor,
        action="growth.plan_action_update",
        target=action,
        changes=changes,
    )
    return action


@transaction.atomic
def action_note_add(
    *, action: PlanAction, author: Person, kind: str, text: str, actor: Any
) -> ActionNote:
    """A check-in (progress, by the person or the action's owner) or a manager's comment.

    A comment is emailed to the person whose plan it is, once the transaction commits.
    """
    if kind not in NoteKind.values:
        raise GrowthError(f"{kind!r} is not a kind of note.")
    if not text.strip():
        raise GrowthError("Write something first.")
    note = ActionNote.objects.create(action=action, author=author, kind=kind, text=text.strip())
    person = action.plan.person
    audit_record(
        organisation=person.organisation,
        actor=actor,
        action=f"growth.action_{kind}",
        target=action,
        changes={"note": note.text},
    )
    if kind == NoteKind.COMMENT and person.email and person.pk != author.pk:
        link = settings.SITE_URL + reverse("growth:action", args=[action.pk])
        message = (
            # A fixed subject: action titles are user text and must not reach a mail header.
            "Your manager commented on your development plan",
            f"{author.name} commented on an action in your development plan:\n\n"
            f"{note.text}\n\nRead it and reply with a check-in: {link}\n",
            settings.DEFAULT_FROM_EMAIL,
            [person.email],
        )
        transaction.on_commit(lambda: send_mass_mail([message], fail_silently=False))
    return note


# --- interests -------------------------------------------------------------------------------


@transaction.atomic
def interest_add(*, person: Person, text: str, actor: Any) -> Interest:
    text = " ".join(text.split())
    if not text:
        raise GrowthError("Say what you love working on.")
    interest = Interest.objects.create(person=person, text=text[:200])
    audit_record(
        organisation=person.organisation,
        actor=actor,
        action="growth.interest_add",
        target=interest,
        changes={"text": interest.text},
    )
    return interest


@transaction.atomic
def interest_remove(*, interest: Interest, actor: Any) -> None:
    person = interest.person
    audit_record(
        organisation=person.organisation,
        actor=actor,
        action="growth.interest_remove",
        target=interest,
        changes={"text": [interest.text, None]},
    )
    interest.delete()


# --- quick feedback --------------------------------------------------------------------------


def feedback_questions(instrument: Instrument, scale_ids: Sequence[str]) -> dict[str, Any]:
    """The snapshot of what a request asks: the chosen scales' items in observer wording."""
    by_id = {scale.id: scale for scale in instrument.scales}
    response = instrument.response_scale()
    return {
        "instrument": instrument.title,
        "scales": [
            {
                "id": sid,
                "name": by_id[sid].name,
                "items": [
                    {
                        "id": item.id,
                        "text": item.observer_text or item.self_text,
                        "reverse": item.reverse,
                    }
                    for item in by_id[sid].items
                ],
            }
            for sid in scale_ids
        ],
        "minimum": response.minimum,
        "maximum": response.maximum,
        "labels": {
            str(value): label
            for value, label in zip(
                range(response.minimum, response.maximum + 1), response.labels, strict=False
            )
        },
        "not_observed": response.not_observed_label or "",
    }


@transaction.atomic
def feedback_request_create(
    *,
    person: Person,
    instrument: Instrument,
    scale_ids: Sequence[str],
    respondents: Sequence[Person],
    note: str = "",
    actor: Any,
) -> FeedbackRequest:
    """Ask ``respondents`` about one or two scales; each gets an emailed link of their own.

    Each link carries a fresh token of 256 bits (``secrets.token_urlsafe(32)``); only its
    SHA-256 is stored. Links also work while signed in from the person's inbox.
    """
    scale_ids = list(dict.fromkeys(scale_ids))
    known = {scale.id for scale in instrument.scales}
    if not FEEDBACK_MIN_SCALES <= len(scale_ids) <= FEEDBACK_MAX_SCALES:
        raise GrowthError("Choose one or two scales to ask about.")
    if unknown := [s for s in scale_ids if s not in known]:
        raise GrowthError(f"Unknown scale {unknown[0]!r}.")
    people = list({p.pk: p for p in respondents}.values())
    people = [p for p in people if p.pk != person.pk]
    _same_organisation(person.organisation, *people)
    minimum = max(DEFAULT_MINIMUMS["other"], 1)
    if len(people) < minimum:
        raise GrowthError(
            f"Ask at least {minimum} colleagues: nothing is shown until {minimum} have answered."
        )
    if len(people) > FEEDBACK_MAX_PEOPLE:
        raise GrowthError(f"Ask at most {FEEDBACK_MAX_PEOPLE} colleagues.")
    request = FeedbackRequest.objects.create(
        organisation=person.organisation,
        person=person,
        questions=feedback_questions(instrument, scale_ids),
        minimums=dict(DEFAULT_MINIMUMS),
        note=note.strip()[:300],
    )
    messages = []
    for respondent in people:
        token = secrets.token_urlsafe(32)
        FeedbackInvite.objects.create(
            request=request, respondent=respondent, token_hash=hash_token(token)
        )
        if respondent.email:
            link = settings.SITE_URL + reverse("growth:feedback_answer_link", args=[token])
            messages.append(
                (
                    "A colleague asks for your quick feedback",
                    f"{person.name} would like your quick feedback on "
                    f"{' and '.join(request.scale_names)}. It takes two minutes.\n\n"
                    f"Your answers are pooled with at least {minimum - 1} others' and never "
                    f"shown on their own; nobody can see who answered what.\n\n"
                    f"Answer here (this link is yours alone): {link}\n",
                    settings.DEFAULT_FROM_EMAIL,
                    [respondent.email],
                )
            )
    audit_record(
        organisation=person.organisation,
        actor=actor,
        action="growth.feedback_request_create",
        target=request,
        changes={"scales": ", ".join(scale_ids), "asked": len(people)},
    )
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return request


def _valid_values(request: FeedbackRequest, values: Mapping[str, int | None]) -> dict[str, Any]:
    questions = request.questions
    low, high = int(questions["minimum"]), int(questions["maximum"])
    item_ids = [item["id"] for scale in questions["scales"] for item in scale["items"]]
    clean: dict[str, int | None] = {}
    for item_id in item_ids:
        value = values.get(item_id)
        if value is not None and not low <= int(value) <= high:
            raise GrowthError(f"Answers run from {low} to {high}.")
        clean[item_id] = None if value is None else int(value)
    if all(v is None for v in clean.values()):
        raise GrowthError("Answer at least one question, or choose 'not observed' for each.")
    return clean


@transaction.atomic
def feedback_answer(
    *, invite: FeedbackInvite, values: Mapping[str, int | None], actor: Any
) -> FeedbackSheet:
    """Store one answer on a sheet that names nobody, and mark the invite answered.

    Answers are final: once the sheet is cut loose from the invite nobody can find it again,
    the respondent included. When everyone asked has answered, the request closes itself.
    """
    invite = (
        FeedbackInvite.objects.select_for_update()
        .select_related("request__organisation")
        .get(pk=invite.pk)
    )
    request = FeedbackRequest.objects.select_for_update().get(pk=invite.request_id)
    if not request.is_open:
        raise GrowthError("This request is closed: answers are no longer collected.")
    if invite.answered:
        raise GrowthError("You have answered this request already. Thank you!")
    sheet = FeedbackSheet.objects.create(
        request=request, group="other", values=_valid_values(request, values)
    )
    invite.answered = True
    invite.save(update_fields=["answered"])
    # No values and no respondent in the log: only that the request received an answer.
    audit_record(
        organisation=request.organisation,
        actor=None,
        action="growth.feedback_answer",
        target=request,
        changes={},
    )
    if not request.invites.filter(answered=False).exists():
        _feedback_close(request, actor=None)
    return sheet


def _feedback_close(request: FeedbackRequest, *, actor: Any) -> None:
    request.status = FeedbackStatus.CLOSED
    request.closed_at = timezone.now()
    request.save(update_fields=["status", "closed_at"])
    audit_record(
        organisation=request.organisation,
        actor=actor,
        action="growth.feedback_close",
        target=request,
        changes={"status": [FeedbackStatus.OPEN, FeedbackStatus.CLOSED]},
    )


@transaction.atomic
def feedback_close(*, request: FeedbackRequest, actor: Any) -> FeedbackRequest:
    """Stop collecting. Results are only ever shown for a closed request (see the docs)."""
    request = FeedbackRequest.objects.select_for_update().get(pk=request.pk)
    if request.is_open:
        _feedback_close(request, actor=actor)
    return request


# --- habits ----------------------------------------------------------------------------------


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
