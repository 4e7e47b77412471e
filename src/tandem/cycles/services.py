"""Writes to assessment cycles: each one atomic and audited; answers are never audited.

Lifecycle: :func:`cycle_create` (draft) -> :func:`cycle_launch` (open: participants, prefilled
nominations, self links) -> participants choose raters and :func:`nominations_submit` ->
the manager edits and :func:`nominations_approve` (links emailed) -> raters answer
(:func:`answer_save`, :func:`sheet_finish`) -> :func:`cycle_close` ->
:func:`tandem.cycles.release.cycle_release`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from tandem.accounts.models import Membership
from tandem.audit.services import acting_user, audit_record
from tandem.cycles.instruments import instrument_of
from tandem.cycles.links import token_issue
from tandem.cycles.models import (
    Answer,
    Cycle,
    CycleScope,
    CycleStatus,
    InstrumentVersion,
    Nomination,
    NominationsState,
    Participant,
    RaterLink,
    RaterToken,
    default_maximums,
    default_minimums,
)
from tandem.cycles.selectors import cycle_people
from tandem.integrations.models import WebhookEvent
from tandem.integrations.services.webhooks import webhooks_emit
from tandem.measure import GROUPS, Instrument
from tandem.outbox.language import organisation_language, recipient_language, recipient_languages
from tandem.outbox.services import mail_queue
from tandem.people.models import Organisation, Person, PersonStatus
from tandem.web.bulk import tables_analyze
from tandem.web.language import language_name
from tandem.web.prepared import rows_prepared

NOMINATED_GROUPS = ("manager", "peer", "direct_report", "other")
SECONDS_PER_QUESTION = 15
"""What the rater's email assumes one rating question takes (a frequency scale, one click)."""


class CycleError(ValueError):
    """A request the cycle's state or settings do not allow; the message says why."""


Mail = tuple[str, str, str, list[str]]


def _send_after_commit(cycle: Cycle, messages: list[Mail], kind: str) -> None:
    """Queue the emails with this change; they are delivered, and retried, after it commits."""
    mail_queue(organisation=cycle.organisation, messages=messages, kind=kind)


# --- creating and launching ---------------------------------------------------------------


def _check_limits(minimums: Mapping[str, int], maximums: Mapping[str, int]) -> None:
    for group, value in minimums.items():
        if group not in GROUPS or int(value) < 1:
            raise CycleError(
                gettext("the minimum for %(group)s must be at least 1") % {"group": group}
            )
    for group, value in maximums.items():
        if group not in NOMINATED_GROUPS or int(value) < 1:
            raise CycleError(
                gettext("the maximum for %(group)s must be at least 1") % {"group": group}
            )
        if group in minimums and int(value) < int(minimums[group]):
            raise CycleError(
                gettext(
                    "the maximum for %(group)s (%(maximum)s) is below its minimum (%(minimum)s)"
                )
                % {"group": group, "maximum": value, "minimum": minimums[group]}
            )


@transaction.atomic
def cycle_create(
    *,
    organisation: Organisation,
    name: str,
    instrument: InstrumentVersion,
    opens_on: dt.date,
    closes_on: dt.date,
    actor: Any,
    scope: str = CycleScope.EVERYONE,
    department: str = "",
    chosen: Iterable[Person] = (),
    reminder_every_days: int = 3,
    minimums: Mapping[str, int] | None = None,
    maximums: Mapping[str, int] | None = None,
    manager_sees_report_default: bool = True,
) -> Cycle:
    if instrument.organisation_id != organisation.pk:
        raise CycleError(gettext("that questionnaire belongs to another organisation"))
    if closes_on < opens_on:
        raise CycleError(gettext("the cycle must close on or after the day it opens"))
    mins = {**default_minimums(), **(minimums or {})}
    maxs = {**default_maximums(), **(maximums or {})}
    _check_limits(mins, maxs)
    if scope == CycleScope.DEPARTMENT and not department.strip():
        raise CycleError(gettext("choose the department the cycle is for"))
    cycle = Cycle.objects.create(
        organisation=organisation,
        name=name.strip(),
        instrument=instrument,
        scope=scope,
        department=department.strip() if scope == CycleScope.DEPARTMENT else "",
        opens_on=opens_on,
        closes_on=closes_on,
        reminder_every_days=reminder_every_days,
        minimums=mins,
        maximums=maxs,
        manager_sees_report_default=manager_sees_report_default,
        created_by=acting_user(actor),
    )
    people = [p for p in chosen if p.organisation_id == organisation.pk]
    if scope == CycleScope.CHOSEN:
        if not people:
            raise CycleError(gettext("choose at least one person to take part"))
        cycle.chosen.set(people)
    audit_record(
        organisation=organisation,
        actor=actor,
        action="cycle.create",
        target=cycle,
        changes={
            "name": (None, cycle.name),
            "scope": (None, scope),
            "instrument": (None, str(instrument)),
        },
    )
    return cycle


def _require_languages(cycle: Cycle, instrument: Instrument, people: list[Person]) -> None:
    """Refuse a questionnaire that lacks a language the cycle needs: the organisation's own,
    and each language a person in the cycle chose for themself."""
    chosen = Membership.objects.filter(person__in=people).exclude(user__language="")
    needed = {organisation_language(cycle.organisation)}
    needed |= set(chosen.values_list("user__language", flat=True))
    has = {code.split("-")[0] for code in instrument.languages}
    missing = sorted({language_name(code) for code in needed if code.split("-")[0] not in has})
    if missing:
        raise CycleError(
            gettext(
                "“%(questionnaire)s” has no text in %(languages)s, which this cycle needs (the "
                "organisation's language, or one that people in the cycle chose). Add it in the "
                "questionnaire's wording editor, or choose another questionnaire."
            )
            % {"questionnaire": cycle.instrument.name, "languages": ", ".join(missing)}
        )


@transaction.atomic
def cycle_launch(*, cycle: Cycle, actor: Any, now: dt.datetime | None = None) -> Cycle:
    """Open a draft cycle: participants, prefilled nominations, and an email to each one."""
    now = now or timezone.now()
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != CycleStatus.DRAFT:
        raise CycleError(gettext("only a draft cycle can be launched"))
    instrument = instrument_of(cycle.instrument)  # a broken questionnaire must not reach anyone
    people = list(cycle_people(cycle).select_related("manager"))
    if not people:
        raise CycleError(gettext("nobody is in this cycle's scope: choose people or a department"))
    _require_languages(cycle, instrument, people)
    messages: list[Mail] = []
    languages = _languages(cycle, [person.email for person in people])
    for person in people:
        participant = Participant.objects.create(
            cycle=cycle, person=person, manager_may_view=cycle.manager_sees_report_default
        )
        Nomination.objects.create(
            participant=participant, rater=person, group="self", approved=True, invited_at=now
        )
        for rater, group in _prefilled_raters(person):
            Nomination.objects.create(participant=participant, rater=rater, group=group)
        messages.extend(
            _invite_mail(
                cycle,
                person,
                now=now,
                participant=participant,
                language=languages.get(person.email.lower()),
            )
        )
    cycle.status = CycleStatus.OPEN
    cycle.launched_at = now
    cycle.save(update_fields=["status", "launched_at"])
    audit_record(
        organisation=cycle.organisation,
        actor=actor,
        action="cycle.launch",
        target=cycle,
        changes={"status": (CycleStatus.DRAFT, CycleStatus.OPEN), "participants": (0, len(people))},
    )
    cycle_event(cycle, WebhookEvent.CYCLE_LAUNCHED, participants=len(people))
    _send_after_commit(cycle, messages, "cycle.self_link")
    from tandem.cycles.tasks import schedule_reminders

    transaction.on_commit(lambda: schedule_reminders(cycle.pk, now=now))
    # Every rater's first link lookup needs fresh statistics of the tables written here.
    transaction.on_commit(lambda: tables_analyze(Participant, Nomination, RaterLink, RaterToken))
    return cycle


def _prefilled_raters(person: Person) -> list[tuple[Person, str]]:
    """The manager and direct reports from the organisation chart."""
    raters: list[tuple[Person, str]] = []
    manager = person.manager
    if manager is not None and manager.status == PersonStatus.ACTIVE:
        raters.append((manager, "manager"))
    for report in person.reports.filter(status=PersonStatus.ACTIVE).order_by("name"):
        raters.append((report, "direct_report"))
    return raters


def _link_for(cycle: Cycle, rater: Person) -> RaterLink:
    link, _ = RaterLink.objects.get_or_create(cycle=cycle, rater=rater)
    return link


def _languages(cycle: Cycle, emails: list[str]) -> dict[str, str]:
    """Each address's language for the emails of this cycle (one query for them all)."""
    return recipient_languages(organisation=cycle.organisation, emails=emails)


def _hello(name: str) -> str:
    return gettext("Hello %(name)s,") % {"name": name} + "\n\n"


def _closing_date(cycle: Cycle) -> str:
    """The day the cycle closes, as an email writes it (``05 March 2026``)."""
    return date_format(cycle.closes_on, "d F Y")


def _invite_mail(
    cycle: Cycle,
    rater: Person,
    *,
    now: dt.datetime,
    participant: Participant | None = None,
    language: str | None = None,
    reminder: bool = False,
) -> list[Mail]:
    """A fresh link to the rater's inbox (and, for a participant, their cycle page), in the
    rater's language (``language``, else looked up); ``reminder`` words it as a reminder."""
    if not rater.email:
        return []
    link = _link_for(cycle, rater)
    token = token_issue(link)
    link.last_sent_at = now
    link.save(update_fields=["last_sent_at"])
    inbox = f"{settings.SITE_URL}{reverse('cycles:link_inbox', args=[token])}"
    if language is None:
        language = recipient_language(organisation=cycle.organisation, email=rater.email)
    with translation.override(language):
        closes = gettext("The cycle closes on %(date)s.") % {"date": _closing_date(cycle)}
        if participant is not None:
            page = f"{settings.SITE_URL}{reverse('cycles:participate', args=[cycle.pk])}"
            body = (
                _hello(rater.name)
                + gettext("You are taking part in a Tandem assessment cycle. Two steps:")
                + "\n\n"
                + gettext("1. Rate yourself (no sign-in needed, answers save as you go):")
                + f"\n   {inbox}\n\n"
                + gettext(
                    "2. Sign in and choose who should rate you; your manager approves the list:"
                )
                + f"\n   {page}\n\n"
                + closes
                + "\n"
            )
            subject = gettext("Your Tandem assessment: rate yourself and choose your raters")
        else:
            names = list(
                Nomination.objects.filter(participant__cycle=cycle, rater=rater, approved=True)
                .exclude(group="self")
                .order_by("participant__person__name")
                .values_list("participant__person__name", flat=True)
            )
            questions = len(instrument_of(cycle.instrument).items)
            minutes = max(1, round(questions * SECONDS_PER_QUESTION / 60))
            about = ", ".join(names) if names else gettext("a colleague")
            body = (
                _hello(rater.name)
                + gettext(
                    "Colleagues have asked for your view in a Tandem assessment cycle: you are "
                    "asked about %(people)s."
                )
                % {"people": about}
                + " "
                # Translators: questions is the number of rated questions, always many.
                + ngettext(
                    "Each takes about %(minutes)s minute (%(questions)s short questions, plus "
                    "optional comments).",
                    "Each takes about %(minutes)s minutes (%(questions)s short questions, plus "
                    "optional comments).",
                    minutes,
                )
                % {"minutes": minutes, "questions": questions}
                + "\n\n"
                + gettext(
                    "This link is yours alone and lists everyone you were asked to rate; answers "
                    "save as you go and you can change them until %(date)s:"
                )
                % {"date": _closing_date(cycle)}
                + f"\n\n{inbox}\n\n"
                + gettext(
                    "Please do not forward it. Your individual answers are never shown to anyone: "
                    "people see only averages of groups large enough to keep them anonymous."
                )
                + "\n"
            )
            subject = gettext("You have been asked for feedback in Tandem")
        if reminder:
            subject = gettext("Reminder: colleagues are waiting for your Tandem feedback")
            body = f"{body}\n{closes}\n"
    return [(subject, body, settings.DEFAULT_FROM_EMAIL, [rater.email])]


# --- nominations ------------------------------------------------------------------------------


def _require_open(cycle: Cycle) -> None:
    if cycle.status != CycleStatus.OPEN:
        raise CycleError(gettext("this cycle is not open"))


def _group_count(participant: Participant, group: str) -> int:
    return participant.nominations.filter(group=group).count()


@transaction.atomic
def nomination_add(
    *, participant: Participant, rater: Person, group: str, actor: Any
) -> Nomination:
    """Propose a rater. The manager approves; proposals by the approver count as approved."""
    cycle = participant.cycle
    _require_open(cycle)
    if group not in NOMINATED_GROUPS:
        raise CycleError(
            gettext("%(group)s is not a group raters can be chosen for") % {"group": group}
        )
    if rater.organisation_id != cycle.organisation_id or rater.status != PersonStatus.ACTIVE:
        raise CycleError(gettext("raters must be active people in the organisation"))
    if rater.pk == participant.person_id:
        raise CycleError(gettext("you are already rating yourself"))
    if participant.nominations.filter(rater=rater).exists():
        raise CycleError(gettext("%(name)s is already on the list") % {"name": rater.name})
    maximum = int(cycle.maximums.get(group, 0))
    if maximum and _group_count(participant, group) >= maximum:
        raise CycleError(
            gettext("the list already has the most raters allowed as %(group)s (%(maximum)s)")
            % {"group": group, "maximum": maximum}
        )
    approved = participant.nominations_state == NominationsState.APPROVED
    nomination = Nomination.objects.create(
        participant=participant, rater=rater, group=group, approved=approved
    )
    audit_record(
        organisation=cycle.organisation,
        actor=actor,
        action="cycle.nomination_add",
        target=participant,
        changes={"rater": (None, rater.name), "group": (None, group)},
    )
    if approved:
        _send_after_commit(
            cycle, _invite_mail(cycle, rater, now=timezone.now()), "cycle.rater_link"
        )
        nomination.invited_at = timezone.now()
        nomination.save(update_fields=["invited_at"])
    return nomination


@transaction.atomic
def nomination_remove(*, nomination: Nomination, actor: Any) -> None:
    participant = nomination.participant
    _require_open(participant.cycle)
    if nomination.group == "self":
        raise CycleError(gettext("the self-assessment cannot be removed"))
    if nomination.started or nomination.finished_at:
        raise CycleError(
            gettext("%(name)s has already started answering") % {"name": nomination.rater.name}
        )
    audit_record(
        organisation=participant.cycle.organisation,
        actor=actor,
        action="cycle.nomination_remove",
        target=participant,
        changes={"rater": (nomination.rater.name, None), "group": (nomination.group, None)},
    )
    nomination.delete()


@transaction.atomic
def nominations_submit(*, participant: Participant, actor: Any) -> Participant:
    _require_open(participant.cycle)
    if participant.nominations_state != NominationsState.OPEN:
        raise CycleError(gettext("the list has already been sent"))
    participant.nominations_state = NominationsState.SUBMITTED
    participant.save(update_fields=["nominations_state"])
    audit_record(
        organisation=participant.cycle.organisation,
        actor=actor,
        action="cycle.nominations_submit",
        target=participant,
        changes={"nominations": (NominationsState.OPEN, NominationsState.SUBMITTED)},
    )
    manager = participant.person.manager
    if manager is not None and manager.email:
        url = f"{settings.SITE_URL}{reverse('cycles:review', args=[participant.pk])}"
        language = recipient_language(
            organisation=participant.cycle.organisation, email=manager.email
        )
        with translation.override(language):
            mail: Mail = (
                gettext("Please approve raters in Tandem"),
                _hello(manager.name)
                + gettext(
                    "%(name)s has chosen who should rate them. Please check the list, change it "
                    "if needed, and approve it:"
                )
                % {"name": participant.person.name}
                + f"\n\n{url}\n",
                settings.DEFAULT_FROM_EMAIL,
                [manager.email],
            )
        _send_after_commit(participant.cycle, [mail], "cycle.nominations")
    return participant


@transaction.atomic
def nominations_approve(
    *, participant: Participant, actor: Any, now: dt.datetime | None = None
) -> Participant:
    """Approve the list; every rater not yet invited gets their link by email."""
    now = now or timezone.now()
    cycle = participant.cycle
    _require_open(cycle)
    if participant.nominations_state == NominationsState.APPROVED:
        raise CycleError(gettext("the list is already approved"))
    participant.nominations_state = NominationsState.APPROVED
    participant.approved_at = now
    participant.approved_by = getattr(getattr(actor, "membership", None), "person", None)
    participant.save(update_fields=["nominations_state", "approved_at", "approved_by"])
    pending = list(participant.nominations.filter(invited_at=None).select_related("rater"))
    participant.nominations.filter(approved=False).update(approved=True)
    messages: list[Mail] = []
    languages = _languages(cycle, [nomination.rater.email for nomination in pending])
    for nomination in pending:
        messages.extend(
            _invite_mail(
                cycle,
                nomination.rater,
                now=now,
                language=languages.get(nomination.rater.email.lower()),
            )
        )
    participant.nominations.filter(invited_at=None).update(invited_at=now)
    audit_record(
        organisation=cycle.organisation,
        actor=actor,
        action="cycle.nominations_approve",
        target=participant,
        changes={"nominations": (NominationsState.SUBMITTED, NominationsState.APPROVED)},
    )
    webhooks_emit(
        organisation=cycle.organisation,
        event=WebhookEvent.NOMINATIONS_APPROVED,
        data={
            "cycle_id": cycle.pk,
            "participant_id": participant.pk,
            "person_id": participant.person_id,
        },
    )
    _send_after_commit(cycle, messages, "cycle.rater_link")
    return participant


@transaction.atomic
def participant_set_manager_view(*, participant: Participant, allowed: bool, actor: Any) -> None:
    old = participant.manager_may_view
    participant.manager_may_view = allowed
    participant.save(update_fields=["manager_may_view"])
    audit_record(
        organisation=participant.cycle.organisation,
        actor=actor,
        action="cycle.manager_view",
        target=participant,
        changes={"manager_may_view": (old, allowed)},
    )


# --- answers ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRef:
    """What saving an answer needs to know about a sheet, read fresh in one query."""

    nomination_id: int
    observer: bool
    approved: bool
    started: bool
    cycle_status: str
    instrument_id: int
    instrument_updated: dt.datetime

    @classmethod
    def load(cls, queryset: QuerySet[Nomination]) -> SheetRef | None:
        rows = list(
            queryset.order_by().values_list(
                "pk",
                "group",
                "approved",
                "started",
                "participant__cycle__status",
                "participant__cycle__instrument_id",
                "participant__cycle__instrument__updated_at",
            )[:1]
        )
        if not rows:
            return None
        pk, group, approved, started, status, instrument_id, updated = rows[0]
        return cls(pk, group != "self", approved, started, status, instrument_id, updated)

    def allowed(self) -> dict[str, tuple[int, ...] | None]:
        return allowed_answers(self.instrument_id, self.instrument_updated, observer=self.observer)


@lru_cache(maxsize=128)
def allowed_answers(
    instrument_id: int, updated_at: dt.datetime, *, observer: bool
) -> dict[str, tuple[int, ...] | None]:
    """Question id -> allowed values on a sheet (None for free text).

    Cached by questionnaire version and its last change, so a cached answer never outlives an
    edit, even where a database reuses ids (SQLite after deletions).
    """
    instrument = instrument_of(InstrumentVersion.objects.get(pk=instrument_id))
    allowed: dict[str, tuple[int, ...] | None] = {}
    for item in instrument.items if observer else instrument.all_items:
        scale = instrument.response_scale(item.response_scale)
        values = tuple(range(scale.minimum, scale.maximum + 1))
        if scale.not_observed_code is not None and observer:
            values = (*values, scale.not_observed_code)
        allowed[item.id] = values
    for question in instrument.open_questions:
        allowed[question.id] = None
    return allowed


MAX_COMMENT = 4000


def _status_now(cycle_id: int) -> str:
    """The cycle's status as stored right now (objects held in memory may be older)."""
    status: str = Cycle.objects.values_list("status", flat=True).get(pk=cycle_id)
    return status


def answer_record(*, sheet: SheetRef, item_id: str, value: str) -> None:
    """Save one answer as it is given (empty value clears it), in one statement.

    Not audited: answers stay private. Raises CycleError when the cycle is not open, the
    sheet is not approved, or the question or value is not on the sheet.
    """
    refused = answers_record(sheet=sheet, given={item_id: value})
    if refused:
        raise CycleError(refused[item_id])


Row = tuple[int, str, int | None, str]
"""One answer to write: nomination id, question id, value (None for text), text."""


def answers_check(
    allowed: Mapping[str, tuple[int, ...] | None], nomination_id: int, given: Mapping[str, str]
) -> tuple[list[Row], list[str], dict[str, str]]:
    """Sort given answers into rows to write, questions to clear, and refusals (with why)."""
    refused: dict[str, str] = {}
    rows: list[Row] = []
    cleared: list[str] = []
    for item_id, value in given.items():
        if item_id not in allowed:
            refused[item_id] = gettext("%(question)s is not a question on this form") % {
                "question": repr(item_id)
            }
            continue
        choices = allowed[item_id]
        if value.strip() == "":
            cleared.append(item_id)
        elif choices is None:
            rows.append((nomination_id, item_id, None, value.strip()[:MAX_COMMENT]))
        else:
            try:
                number = int(value)
            except ValueError:
                number = None
            if number is None or number not in choices:
                refused[item_id] = gettext("%(value)s is not an answer to %(question)s") % {
                    "value": repr(value),
                    "question": item_id,
                }
                continue
            rows.append((nomination_id, item_id, number, ""))
    return rows, cleared, refused


def answers_record(*, sheet: SheetRef, given: Mapping[str, str]) -> dict[str, str]:
    """Save the answers a rater gave in the last moment (an empty value clears one).

    Each answer stands on its own: the valid ones are saved and the others are returned,
    question id -> why it was refused, so the sheet can say which did not save. The saved
    ones go in one ``INSERT ... ON CONFLICT DO UPDATE`` (and one ``DELETE`` for cleared
    ones): one round trip to the database in autocommit, however many answers. Raises
    CycleError when nothing on the sheet may change (cycle not open, request not approved).
    """
    if sheet.cycle_status != CycleStatus.OPEN:
        raise CycleError(gettext("this cycle is closed: answers can no longer change"))
    if not sheet.approved:
        raise CycleError(gettext("this request has not been approved yet"))
    rows, cleared, refused = answers_check(sheet.allowed(), sheet.nomination_id, given)
    if rows and cleared:
        with transaction.atomic():
            _answers_write(sheet.nomination_id, rows, cleared)
    elif rows or cleared:
        _answers_write(sheet.nomination_id, rows, cleared)
    if rows and not sheet.started:
        Nomination.objects.filter(pk=sheet.nomination_id, started=False).update(started=True)
    return refused


def _answers_write(nomination_id: int, rows: list[Row], cleared: list[str]) -> None:
    """One upsert of ``rows`` and one delete of ``cleared`` (both SQLite and PostgreSQL)."""
    if cleared:
        Answer.objects.filter(nomination_id=nomination_id, item_id__in=cleared).delete()
    if rows:
        with connection.cursor() as cursor:
            cursor.execute(*_upsert_sql(rows))


def _upsert_sql(
    rows: list[Row], guard: str = "", guard_params: tuple[Any, ...] = ()
) -> tuple[str, list[Any]]:
    """``INSERT ... ON CONFLICT DO UPDATE`` of ``rows``; with ``guard`` (an SQL condition),
    the rows are written only if it holds, and the statement returns the question ids it
    wrote."""
    q = connection.ops.quote_name
    table = q(Answer._meta.db_table)
    nomination, item, value, text = (q(c) for c in ("nomination_id", "item_id", "value", "text"))
    params: list[Any] = [field for row in rows for field in row]
    # Only quoted names from the models and placeholders are formatted in; values are bound.
    if not guard:
        placeholders = ", ".join(["(%s, %s, %s, %s)"] * len(rows))
        source = f"VALUES {placeholders}"
        returning = ""
    else:
        typed = "(CAST(%s AS INTEGER), %s, CAST(%s AS INTEGER), %s)"
        source = f"SELECT * FROM (VALUES {', '.join([typed] * len(rows))}) AS v WHERE {guard}"  # noqa: S608
        params += list(guard_params)
        returning = f" RETURNING {item}"
    sql = (
        f"INSERT INTO {table} ({nomination}, {item}, {value}, {text}) {source} "
        f"ON CONFLICT ({nomination}, {item}) DO UPDATE "
        f"SET {value} = EXCLUDED.{value}, {text} = EXCLUDED.{text}{returning}"
    )
    return sql, params


@dataclass(frozen=True)
class SheetKey:
    """What stays true of a sheet opened by a link while its cycle is open (the link, the
    sheet's rater, cycle and group never change, and the questionnaire is locked from
    launch): enough to check answers without reading the sheet again."""

    nomination_id: int
    observer: bool
    cycle_id: int
    instrument_id: int
    instrument_updated: dt.datetime

    def allowed(self) -> dict[str, tuple[int, ...] | None]:
        return allowed_answers(self.instrument_id, self.instrument_updated, observer=self.observer)


_sheet_keys: dict[tuple[int, str], SheetKey] = {}
_started: set[tuple[int, str]] = set()
_CACHE_LIMIT = 100_000


def sheet_key_by_link(token: str, nomination_id: int) -> SheetKey | None:
    """The sheet ``token`` opens as :class:`SheetKey`, or None when it opens no such sheet.

    Read through the access rule the first time, then kept in this process under the
    sheet and the token's hash (a token is random, so an entry never meets another sheet).
    """
    from tandem.cycles.links import token_hash

    cached = (nomination_id, token_hash(token))
    key = _sheet_keys.get(cached)
    if key is None:
        row = (
            access_sheets_by_link(token)
            .filter(pk=nomination_id)
            .values_list(
                "group",
                "participant__cycle_id",
                "participant__cycle__instrument_id",
                "participant__cycle__instrument__updated_at",
            )
            .first()
        )
        if row is None:
            return None
        key = SheetKey(nomination_id, row[0] != "self", row[1], row[2], row[3])
        if len(_sheet_keys) > _CACHE_LIMIT:
            _sheet_keys.clear()
        _sheet_keys[cached] = key
    return key


def answers_record_by_link(
    *, key: SheetKey, token: str, given: Mapping[str, str]
) -> dict[str, str] | None:
    """:func:`answers_record` for a sheet opened by an emailed link, in one statement.

    ``key`` says the link opens the sheet (:func:`sheet_key_by_link`); the write itself
    checks what can change: that the sheet still exists and is approved, and that its cycle
    is open (two primary-key lookups, cheap to plan). When it wrote less than it should have,
    or an answer does not fit the sheet, nothing is claimed (None): the caller reads the
    sheet afresh with :class:`SheetRef`, which also says why. One round trip to the database
    in the usual case, as a bare upsert would be.
    """
    from tandem.cycles.links import token_hash

    rows, cleared, refused = answers_check(key.allowed(), key.nomination_id, given)
    if refused:  # rare (a bad value): the slow path says why
        return None
    q = connection.ops.quote_name
    nominations, cycles = q(Nomination._meta.db_table), q(Cycle._meta.db_table)
    guard = (
        f"EXISTS (SELECT 1 FROM {nominations} n "  # noqa: S608
        f"WHERE n.{q('id')} = %s AND n.{q('approved')}) "
        f"AND EXISTS (SELECT 1 FROM {cycles} c WHERE c.{q('id')} = %s AND c.{q('status')} = %s)"
    )
    params = (key.nomination_id, key.cycle_id, CycleStatus.OPEN)
    if cleared:
        opened = access_sheets_by_link(token).filter(pk=key.nomination_id)
        if not opened.filter(participant__cycle__status=CycleStatus.OPEN, approved=True).exists():
            return None
        Answer.objects.filter(nomination_id=key.nomination_id, item_id__in=cleared).delete()
    if rows:
        written = {r[0] for r in rows_prepared(*_upsert_sql(rows, guard, params))}
        if len(written) != len(rows):
            return None
        hashed = token_hash(token)
        if (key.nomination_id, hashed) not in _started:
            Nomination.objects.filter(pk=key.nomination_id, started=False).update(started=True)
            if len(_started) > _CACHE_LIMIT:
                _started.clear()
            _started.add((key.nomination_id, hashed))
    return refused


def access_sheets_by_link(token: str) -> QuerySet[Nomination]:
    """The sheets a link opens (the access rule, imported late: access imports this app)."""
    from tandem.access.cycles import sheets_opened_by_link

    return sheets_opened_by_link(token)


def answer_save(*, nomination: Nomination, item_id: str, value: str) -> None:
    """:func:`answer_record` for a nomination object (its state is read fresh)."""
    sheet = SheetRef.load(Nomination.objects.filter(pk=nomination.pk))
    if sheet is None:
        raise CycleError(gettext("this request no longer exists"))
    answer_record(sheet=sheet, item_id=item_id, value=value)
    nomination.started = True


@transaction.atomic
def sheet_finish(*, nomination: Nomination, now: dt.datetime | None = None) -> Nomination:
    if _status_now(nomination.participant.cycle_id) != CycleStatus.OPEN:
        raise CycleError(gettext("this cycle is closed"))
    if not nomination.answers.exists():
        raise CycleError(gettext("answer at least one question before finishing"))
    nomination.finished_at = now or timezone.now()
    nomination.started = True
    nomination.save(update_fields=["finished_at", "started"])
    return nomination


# --- reminders and closing -----------------------------------------------------------------


def reminders_send(*, cycle: Cycle, now: dt.datetime | None = None) -> int:
    """Email a fresh link to every rater with unfinished sheets whose last email is old enough.

    Returns the number of emails sent. Safe to call often: it respects the cycle's interval.
    """
    now = now or timezone.now()
    if cycle.status != CycleStatus.OPEN:
        return 0
    due_before = now - dt.timedelta(days=cycle.reminder_every_days)
    pending_raters = (
        Nomination.objects.filter(
            participant__cycle=cycle, approved=True, finished_at=None, invited_at__isnull=False
        )
        .values_list("rater_id", flat=True)
        .distinct()
    )
    messages: list[Mail] = []
    with transaction.atomic():
        links = RaterLink.objects.filter(cycle=cycle, rater_id__in=list(pending_raters)).filter(
            last_sent_at__lt=due_before
        )
        due = [link for link in links.select_related("rater") if link.rater.email]
        languages = _languages(cycle, [link.rater.email for link in due])
        for link in due:
            rater = link.rater
            messages.extend(
                _invite_mail(
                    cycle,
                    rater,
                    now=now,
                    language=languages.get(rater.email.lower()),
                    reminder=True,
                )
            )
        _send_after_commit(cycle, messages, "cycle.reminder")
    return len(messages)


@transaction.atomic
def cycle_close(*, cycle: Cycle, actor: Any, now: dt.datetime | None = None) -> Cycle:
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != CycleStatus.OPEN:
        raise CycleError(gettext("only an open cycle can be closed"))
    cycle.status = CycleStatus.CLOSED
    cycle.closed_at = now or timezone.now()
    cycle.save(update_fields=["status", "closed_at"])
    audit_record(
        organisation=cycle.organisation,
        actor=actor,
        action="cycle.close",
        target=cycle,
        changes={"status": (CycleStatus.OPEN, CycleStatus.CLOSED)},
    )
    cycle_event(cycle, WebhookEvent.CYCLE_CLOSED)
    return cycle


def cycle_event(cycle: Cycle, event: WebhookEvent, **more: Any) -> None:
    """Tell the organisation's webhooks about a cycle: what an API token reads of it."""
    webhooks_emit(
        organisation=cycle.organisation,
        event=event,
        data={
            "cycle_id": cycle.pk,
            "name": cycle.name,
            "status": cycle.status,
            "opens_on": cycle.opens_on.isoformat(),
            "closes_on": cycle.closes_on.isoformat(),
            **more,
        },
    )


def cycles_tick(*, now: dt.datetime | None = None) -> dict[str, int]:
    """What the scheduler runs: close cycles past their date, remind raters in the others."""
    now = now or timezone.now()
    closed = reminded = 0
    for cycle in Cycle.objects.filter(status=CycleStatus.OPEN):
        if timezone.localdate(now) > cycle.closes_on:
            cycle_close(cycle=cycle, actor=None, now=now)
            closed += 1
        else:
            reminded += reminders_send(cycle=cycle, now=now)
    return {"closed": closed, "reminded": reminded}
