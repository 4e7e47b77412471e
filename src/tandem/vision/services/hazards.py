"""Hazards carried up: raise one on a goal, climb the manager chain, acknowledge it.

A hazard goes to the goal's owner first. While no one acknowledges it, ``hazards_escalate``
moves it one level up the owner's manager chain for every interval that passes, and emails the
person it reaches. ``now`` is an argument so the schedule is tested without waiting.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from tandem.audit.services import audit_record
from tandem.integrations.models import WebhookEvent
from tandem.integrations.services.webhooks import webhooks_emit
from tandem.outbox.language import recipient_language
from tandem.outbox.services import mail_queue
from tandem.people.models import Person, PersonStatus
from tandem.vision.models import Goal, Hazard, HazardKind, HazardStep, Severity

DEFAULT_ESCALATION_HOURS = 24


def escalation_interval() -> datetime.timedelta:
    """How long a hazard waits with one person before it climbs to their manager.

    ``VISION_HAZARD_ESCALATION_HOURS`` in the settings, 24 hours when unset.
    """
    hours = getattr(settings, "VISION_HAZARD_ESCALATION_HOURS", DEFAULT_ESCALATION_HOURS)
    return datetime.timedelta(hours=hours)


def _tell(*, hazard: Hazard, person: Person, level: int) -> None:
    """Email ``person`` that the hazard reached them, once the transaction commits, in their
    language (their own choice, else the organisation's), whoever's request raised it."""
    if not person.email:
        return
    link = f"{settings.SITE_URL}{reverse('vision:hazard', args=[hazard.pk])}"
    language = recipient_language(organisation=hazard.organisation, email=person.email)
    with translation.override(language):
        if level == 0:
            opening = gettext("A hazard was raised on a goal you own.")
        else:
            opening = gettext(
                "A hazard on a goal in your part of the organisation has not been acknowledged "
                "yet, so it has come up to you."
            )
        body = (
            opening
            + "\n\n"
            + gettext("Goal: %(goal)s") % {"goal": hazard.goal.title}
            + "\n"
            + gettext("%(kind)s, severity %(severity)s:")
            % {
                "kind": hazard.get_kind_display(),
                "severity": hazard.get_severity_display().lower(),
            }
            + "\n"
            + f"{hazard.description}\n\n"
            + gettext("Acknowledge it to stop it climbing further: %(link)s") % {"link": link}
            + "\n"
        )
        # A fixed subject: goal titles and descriptions are user text and stay out of mail
        # headers.
        subject = gettext("A hazard needs your attention")
    mail_queue(
        organisation=hazard.organisation,
        messages=[(subject, body, None, [person.email])],
        kind="vision.hazard",
    )


def _schedule_check(*, at: datetime.datetime) -> None:
    """Ask the task worker to look again when the hazard is due to climb."""
    from django_tasks import default_task_backend

    from tandem.vision.tasks import escalate_hazards

    if not default_task_backend.supports_defer:
        # A backend that cannot wait (the immediate one) would check too early: cron's
        # ``manage.py escalate_hazards`` carries the schedule instead.
        return
    transaction.on_commit(lambda: escalate_hazards.using(run_after=at).enqueue())


@transaction.atomic
def hazard_raise(
    *,
    goal: Goal,
    kind: str,
    severity: int,
    description: str,
    raised_by: Person | None,
    actor: Any,
    now: datetime.datetime | None = None,
) -> Hazard:
    """Raise a risk or blocker on ``goal``. It reaches the goal's owner at once."""
    now = now or timezone.now()
    if raised_by is not None and raised_by.organisation_id != goal.organisation_id:
        raise ValueError(f"{raised_by} is not in {goal.organisation}.")
    hazard = Hazard.objects.create(
        organisation=goal.organisation,
        goal=goal,
        kind=kind,
        severity=Severity(severity),
        description=description,
        raised_by=raised_by,
        raised_at=now,
        holder=goal.owner,
        reached_at=now,
    )
    HazardStep.objects.create(hazard=hazard, person=goal.owner, level=0, reached_at=now)
    audit_record(
        organisation=goal.organisation,
        actor=actor,
        action="vision.hazard_raise",
        target=hazard,
        changes={
            "goal": goal.title,
            "kind": kind,
            "severity": int(severity),
            "holder": goal.owner.name,
        },
    )
    # Never the description or who raised it: the goal, what kind and how bad.
    webhooks_emit(
        organisation=goal.organisation,
        event=WebhookEvent.HAZARD_RAISED,
        data={
            "hazard_id": hazard.pk,
            "goal_id": goal.pk,
            "kind": kind,
            "severity": int(severity),
        },
    )
    _tell(hazard=hazard, person=goal.owner, level=0)
    _schedule_check(at=now + escalation_interval())
    return hazard


@dataclass(frozen=True)
class Escalation:
    hazard_id: int
    from_person: str
    to_person: str
    level: int


def _next_up(person: Person) -> Person | None:
    """The first active manager above ``person``: archived managers are stepped over."""
    seen = {person.pk}
    current = person.manager
    while current is not None and current.pk not in seen:
        if current.status == PersonStatus.ACTIVE:
            return current
        seen.add(current.pk)
        current = current.manager
    return None


@transaction.atomic
def hazards_escalate(
    *, now: datetime.datetime, interval: datetime.timedelta | None = None
) -> list[Escalation]:
    """Move every open hazard that has waited ``interval`` with its holder one level up.

    One level per call at most, so a run that comes late never skips anyone; a hazard at the
    top of its chain stays where it is. Safe to run as often as you like.
    """
    interval = interval or escalation_interval()
    due = (
        Hazard.objects.select_for_update(of=("self",))
        .filter(acknowledged_at__isnull=True, reached_at__lte=now - interval)
        .select_related("holder__manager", "goal", "organisation")
        .order_by("id")
    )
    done: list[Escalation] = []
    for hazard in due:
        above = _next_up(hazard.holder)
        if above is None:
            continue
        level = hazard.steps.count()
        before = hazard.holder
        hazard.holder, hazard.reached_at = above, now
        hazard.save(update_fields=["holder", "reached_at"])
        HazardStep.objects.create(hazard=hazard, person=above, level=level, reached_at=now)
        audit_record(
            organisation=hazard.organisation,
            actor=None,
            action="vision.hazard_escalate",
            target=hazard,
            changes={"holder": [before.name, above.name], "level": level},
        )
        _tell(hazard=hazard, person=above, level=level)
        done.append(Escalation(hazard.pk, before.name, above.name, level))
    if done:
        _schedule_check(at=now + interval)
    return done


@transaction.atomic
def hazard_acknowledge(
    *, hazard: Hazard, by: Person, actor: Any, now: datetime.datetime | None = None
) -> Hazard:
    """``by`` has seen the hazard and takes it from here: it climbs no further."""
    hazard = (
        Hazard.objects.select_for_update(of=("self",))
        .select_related("goal", "holder", "raised_by")
        .get(pk=hazard.pk)
    )
    if hazard.acknowledged_at is not None:
        return hazard
    hazard.acknowledged_at = now or timezone.now()
    hazard.acknowledged_by = by
    hazard.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(
        organisation=hazard.organisation,
        actor=actor,
        action="vision.hazard_acknowledge",
        target=hazard,
        changes={"acknowledged_by": by.name, "holder": hazard.holder.name},
    )
    raiser = hazard.raised_by
    if raiser is not None and raiser.email and raiser.pk != by.pk:
        link = f"{settings.SITE_URL}{reverse('vision:hazard', args=[hazard.pk])}"
        language = recipient_language(organisation=hazard.organisation, email=raiser.email)
        with translation.override(language):
            values = {"name": by.name, "goal": hazard.goal.title}
            if hazard.kind == HazardKind.BLOCKER:
                said = gettext(
                    "%(name)s has acknowledged the blocker you raised on '%(goal)s' and is "
                    "taking it from here. Thank you for raising it."
                )
            else:
                said = gettext(
                    "%(name)s has acknowledged the risk you raised on '%(goal)s' and is "
                    "taking it from here. Thank you for raising it."
                )
            body = said % values + f"\n\n{link}\n"
            subject = gettext("Your hazard was acknowledged")
        mail_queue(
            organisation=hazard.organisation,
            messages=[(subject, body, None, [raiser.email])],
            kind="vision.hazard",
        )
    return hazard
