"""Writes to the vision cascade: each one atomic and audited.

A change to the vision, or to the words of a goal, marks every goal below it for
re-translation (derived from timestamps, see ``tandem.vision.health``) and emails their owners
once the transaction commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tandem.audit.services import acting_user, audit_changes, audit_record
from tandem.integrations.models import WebhookEvent
from tandem.integrations.services.webhooks import webhooks_emit
from tandem.outbox.language import recipient_languages
from tandem.outbox.services import mail_queue
from tandem.people.models import Organisation, Person, PersonStatus
from tandem.vision.health import descendant_ids
from tandem.vision.models import Goal, KeyResult, TeamWriter, Vision
from tandem.vision.selectors.cascade import goal_nodes

GOAL_WORDS = ("title", "meaning", "why")


class CascadeLoop(ValueError):
    """Linking these goals would make a goal sit above itself."""


def _notify_below(
    *, organisation: Organisation, changed: Goal | None, goal_ids: Iterable[int]
) -> int:
    """Email the owner of each goal in ``goal_ids`` once the transaction commits, each in their
    own language (their choice, else the organisation's). ``changed`` is the goal whose words
    changed, None for the vision."""
    goals = list(
        Goal.objects.filter(organisation=organisation, pk__in=list(goal_ids)).select_related(
            "owner"
        )
    )
    by_owner: dict[str, list[Goal]] = {}
    for goal in goals:
        if goal.owner.email:
            by_owner.setdefault(goal.owner.email, []).append(goal)
    languages = recipient_languages(organisation=organisation, emails=by_owner)
    messages = []
    for email, owned in sorted(by_owner.items()):
        lines = "\n".join(
            f"- {g.title}: {settings.SITE_URL}{reverse('vision:goal', args=[g.pk])}" for g in owned
        )
        with translation.override(languages.get(email.lower())):
            if changed is None:
                said = gettext(
                    "The vision changed above goals you own. Read what changed, adjust your "
                    "translation if it needs it, and confirm it:"
                )
            else:
                said = gettext(
                    "'%(goal)s' changed above goals you own. Read what changed, adjust your "
                    "translation if it needs it, and confirm it:"
                ) % {"goal": changed.title}
            messages.append(
                (
                    # A fixed subject: goal titles are user text and must not reach a mail header.
                    gettext("Something above your goal changed: please check your translation"),
                    f"{said}\n\n{lines}\n",
                    settings.DEFAULT_FROM_EMAIL,
                    [email],
                )
            )
    mail_queue(organisation=organisation, messages=messages, kind="vision.translation")
    return len(messages)


def _all_below(*, organisation: Organisation, start: Iterable[int]) -> frozenset[int]:
    return descendant_ids(goals=goal_nodes(organisation=organisation), start=start)


@transaction.atomic
def vision_save(*, organisation: Organisation, destination: str, why: str, actor: Any) -> Vision:
    """State or change the vision. Every goal below it is marked for re-translation."""
    vision = Vision.objects.select_for_update().filter(organisation=organisation).first()
    before = {"destination": vision.destination, "why": vision.why} if vision else {}
    after = {"destination": destination, "why": why}
    changes = audit_changes(before, after, ["destination", "why"])
    if vision is not None and not changes:
        return vision
    now = timezone.now()
    user = acting_user(actor)
    if vision is None:
        vision = Vision.objects.create(
            organisation=organisation, updated_at=now, updated_by=user, **after
        )
    else:
        vision.destination, vision.why = destination, why
        vision.updated_at, vision.updated_by = now, user
        vision.save()
    audit_record(
        organisation=organisation,
        actor=actor,
        action="vision.vision_save",
        target=vision,
        changes=changes,
    )
    top = Goal.objects.filter(organisation=organisation, links_to_vision=True)
    top_ids = set(top.values_list("pk", flat=True))
    if top_ids:
        below = top_ids | _all_below(organisation=organisation, start=top_ids)
        _notify_below(organisation=organisation, changed=None, goal_ids=below)
    return vision


def _check_no_loop(*, goal: Goal, parents: Sequence[Goal]) -> None:
    below = _all_below(organisation=goal.organisation, start=[goal.pk]) | {goal.pk}
    for parent in parents:
        if parent.pk in below:
            raise CascadeLoop(
                gettext("'%(parent)s' is below '%(goal)s' already, so it cannot also be above it.")
                % {"parent": parent.title, "goal": goal.title}
            )


def _check_same_organisation(organisation: Organisation, *things: Person | Goal) -> None:
    for thing in things:
        if thing.organisation_id != organisation.pk:
            raise ValueError(f"{thing} is not in {organisation}.")


@transaction.atomic
def goal_create(
    *,
    organisation: Organisation,
    team: Person,
    owner: Person,
    title: str,
    meaning: str,
    why: str,
    parents: Sequence[Goal] = (),
    links_to_vision: bool = False,
    actor: Any,
) -> Goal:
    """Write a team's goal. It is confirmed as of now: it was written against what is above."""
    _check_same_organisation(organisation, team, owner, *parents)
    now = timezone.now()
    goal = Goal.objects.create(
        organisation=organisation,
        team=team,
        owner=owner,
        title=title,
        meaning=meaning,
        why=why,
        links_to_vision=links_to_vision,
        changed_at=now,
        confirmed_at=now,
    )
    goal.parents.set(parents)
    audit_record(
        organisation=organisation,
        actor=actor,
        action="vision.goal_create",
        target=goal,
        changes={
            "team": team.name,
            "owner": owner.name,
            "links_to_vision": links_to_vision,
            "parents": ", ".join(sorted(p.title for p in parents)),
        },
    )
    _goal_event(goal, "created")
    return goal


def _goal_event(goal: Goal, change: str) -> None:
    """Tell the organisation's webhooks a goal changed: what an API token reads of it."""
    webhooks_emit(
        organisation=goal.organisation,
        event=WebhookEvent.GOAL_CHANGED,
        data={
            "goal_id": goal.pk,
            "change": change,
            "title": goal.title,
            "team_manager_id": goal.team_id,
            "owner_id": goal.owner_id,
        },
    )


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    owner: Person,
    title: str,
    meaning: str,
    why: str,
    parents: Sequence[Goal],
    links_to_vision: bool,
    actor: Any,
) -> Goal:
    """Edit and relink a goal. Editing confirms it; changing its words flags the goals below."""
    organisation = goal.organisation
    _check_same_organisation(organisation, owner, *parents)
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    _check_no_loop(goal=goal, parents=parents)
    old_parents = sorted(p.title for p in goal.parents.all())
    new_parents = sorted(p.title for p in parents)
    before = {
        "owner": goal.owner.name,
        "title": goal.title,
        "meaning": goal.meaning,
        "why": goal.why,
        "links_to_vision": goal.links_to_vision,
        "parents": ", ".join(old_parents),
    }
    after = {
        "owner": owner.name,
        "title": title,
        "meaning": meaning,
        "why": why,
        "links_to_vision": links_to_vision,
        "parents": ", ".join(new_parents),
    }
    changes = audit_changes(before, after)
    if not changes:
        return goal
    now = timezone.now()
    words_changed = any(name in changes for name in GOAL_WORDS)
    goal.owner, goal.title, goal.meaning, goal.why = owner, title, meaning, why
    goal.links_to_vision = links_to_vision
    goal.confirmed_at = now
    if words_changed:
        goal.changed_at = now
    goal.save()
    goal.parents.set(parents)
    audit_record(
        organisation=organisation,
        actor=actor,
        action="vision.goal_update",
        target=goal,
        changes=changes,
    )
    _goal_event(goal, "updated")
    if words_changed:
        below = _all_below(organisation=organisation, start=[goal.pk])
        _notify_below(organisation=organisation, changed=goal, goal_ids=below)
    return goal


@transaction.atomic
def goal_confirm(*, goal: Goal, actor: Any) -> Goal:
    """The owner confirms the translation still holds against everything above it."""
    goal = Goal.objects.select_for_update().get(pk=goal.pk)
    before = goal.confirmed_at
    goal.confirmed_at = timezone.now()
    goal.save(update_fields=["confirmed_at"])
    audit_record(
        organisation=goal.organisation,
        actor=actor,
        action="vision.goal_confirm",
        target=goal,
        changes={"confirmed_at": [before, goal.confirmed_at]},
    )
    return goal


@transaction.atomic
def key_result_add(
    *, goal: Goal, title: str, target: Decimal, current: Decimal, actor: Any
) -> KeyResult:
    key_result = KeyResult.objects.create(goal=goal, title=title, target=target, current=current)
    audit_record(
        organisation=goal.organisation,
        actor=actor,
        action="vision.key_result_add",
        target=key_result,
        changes={"goal": goal.title, "target": target, "current": current},
    )
    return key_result


@transaction.atomic
def key_result_progress(*, key_result: KeyResult, current: Decimal, actor: Any) -> KeyResult:
    """Record progress on a key result. Progress is not a change of words: nothing goes stale."""
    key_result = KeyResult.objects.select_for_update().select_related("goal").get(pk=key_result.pk)
    before = key_result.current
    key_result.current = current
    key_result.save(update_fields=["current"])
    audit_record(
        organisation=key_result.goal.organisation,
        actor=actor,
        action="vision.key_result_progress",
        target=key_result,
        changes={"current": [before, current]},
    )
    return key_result


@transaction.atomic
def team_writer_add(*, team: Person, person: Person, actor: Any) -> TeamWriter:
    """Name ``person`` a writer of the goals of the team of ``team``."""
    _check_same_organisation(team.organisation, person)
    if person.manager_id != team.pk:
        raise ValueError(f"{person.name} is not in the team of {team.name}.")
    if person.status != PersonStatus.ACTIVE:
        raise ValueError(f"{person.name} has left, so cannot write the team's goals.")
    writer, created = TeamWriter.objects.get_or_create(team=team, person=person)
    if created:
        audit_record(
            organisation=team.organisation,
            actor=actor,
            action="vision.team_writer_add",
            target=writer,
            changes={"team": team.name, "person": person.name},
        )
    return writer


@transaction.atomic
def team_writer_remove(*, team: Person, person: Person, actor: Any) -> bool:
    """``person`` no longer writes the team's goals. True when they did."""
    writer = TeamWriter.objects.filter(team=team, person=person).first()
    if writer is None:
        return False
    audit_record(
        organisation=team.organisation,
        actor=actor,
        action="vision.team_writer_remove",
        target=writer,
        changes={"team": team.name, "person": person.name},
    )
    writer.delete()
    return True
