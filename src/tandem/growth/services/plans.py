"""Writes to development plans, notes and interests, and Tandem's defaults: atomic, audited."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tandem.audit.services import audit_changes, audit_record
from tandem.growth import defaults
from tandem.growth.models import (
    ActionNote,
    ActionStatus,
    FocusArea,
    FocusKind,
    Habit,
    HabitSet,
    Interest,
    LibraryAction,
    NoteKind,
    Plan,
    PlanAction,
)
from tandem.growth.services._common import GrowthError, same_organisation
from tandem.measure import Instrument
from tandem.outbox.language import recipient_language
from tandem.outbox.services import mail_queue
from tandem.people.models import Person

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
        raise GrowthError(gettext("Choose at least one strength or gap to work on."))
    names = {scale.id: scale.name for scale in instrument.scales}
    plan = _plan_for(person)
    added = []
    for scale_id, kind in choices:
        if scale_id not in names:
            raise GrowthError(
                gettext("%(scale)s is not a scale of %(instrument)s.")
                % {"scale": repr(scale_id), "instrument": instrument.title}
            )
        if kind not in FocusKind.values:
            raise GrowthError(
                gettext("%(kind)s is neither a strength nor a gap.") % {"kind": repr(kind)}
            )
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
    same_organisation(person.organisation, owner)
    plan = _plan_for(person)
    if focus is not None and focus.plan_id != plan.pk:
        raise GrowthError(gettext("That focus area belongs to another plan."))
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
    same_organisation(action.plan.person.organisation, owner)
    if status not in ActionStatus.values:
        raise GrowthError(gettext("%(status)s is not a status.") % {"status": repr(status)})
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
        raise GrowthError(gettext("%(kind)s is not a kind of note.") % {"kind": repr(kind)})
    if not text.strip():
        raise GrowthError(gettext("Write something first."))
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
        language = recipient_language(organisation=person.organisation, email=person.email)
        with translation.override(language):
            paragraphs = [
                gettext("%(name)s commented on an action in your development plan:")
                % {"name": author.name},
                note.text,
                gettext("Read it and reply with a check-in: %(link)s") % {"link": link},
            ]
            message = (
                # A fixed subject: action titles are user text and must not reach a mail header.
                gettext("Your manager commented on your development plan"),
                "\n\n".join(paragraphs) + "\n",
                settings.DEFAULT_FROM_EMAIL,
                [person.email],
            )
        mail_queue(organisation=person.organisation, messages=[message], kind="growth.comment")
    return note


# --- interests -------------------------------------------------------------------------------


@transaction.atomic
def interest_add(*, person: Person, text: str, actor: Any) -> Interest:
    text = " ".join(text.split())
    if not text:
        raise GrowthError(gettext("Say what you love working on."))
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
