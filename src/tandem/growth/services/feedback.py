"""Writes to quick feedback: atomic and audited, except that answers never reach the audit log.

Answering is recorded as an event on the request with no actor and no values, and the answer
itself is stored on a sheet that names nobody.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from tandem.audit.services import audit_record
from tandem.growth.models import (
    FeedbackInvite,
    FeedbackRequest,
    FeedbackSheet,
    FeedbackStatus,
)
from tandem.growth.services._common import (
    GrowthError,
    day_month,
    hash_token,
    same_organisation,
)
from tandem.measure import DEFAULT_MINIMUMS, Instrument
from tandem.outbox.language import recipient_languages
from tandem.outbox.services import Mail, mail_queue
from tandem.people.models import Person

FEEDBACK_MIN_SCALES, FEEDBACK_MAX_SCALES = 1, 2
FEEDBACK_MAX_PEOPLE = 12
# Comparing two requests on the same scale to overlapping colleagues could reveal one answer
# (the difference between the pooled figures), so a scale can be asked about once a month.
FEEDBACK_SCALE_EVERY_DAYS = 30


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
        raise GrowthError(gettext("Choose one or two scales to ask about."))
    if unknown := [s for s in scale_ids if s not in known]:
        raise GrowthError(gettext("Unknown scale %(scale)s.") % {"scale": repr(unknown[0])})
    people = list({p.pk: p for p in respondents}.values())
    people = [p for p in people if p.pk != person.pk]
    same_organisation(person.organisation, *people)
    minimum = max(DEFAULT_MINIMUMS["other"], 1)
    if len(people) < minimum:
        raise GrowthError(
            ngettext(
                "Ask at least %(minimum)s colleague: nothing is shown until %(minimum)s has "
                "answered.",
                "Ask at least %(minimum)s colleagues: nothing is shown until %(minimum)s have "
                "answered.",
                minimum,
            )
            % {"minimum": minimum}
        )
    if len(people) > FEEDBACK_MAX_PEOPLE:
        raise GrowthError(
            ngettext(
                "Ask at most %(most)s colleague.",
                "Ask at most %(most)s colleagues.",
                FEEDBACK_MAX_PEOPLE,
            )
            % {"most": FEEDBACK_MAX_PEOPLE}
        )
    since = timezone.now() - datetime.timedelta(days=FEEDBACK_SCALE_EVERY_DAYS)
    for earlier in FeedbackRequest.objects.filter(person=person, created_at__gte=since):
        asked = {scale["id"]: scale["name"] for scale in earlier.questions.get("scales", [])}
        if repeated := [asked[s] for s in scale_ids if s in asked]:
            again = (earlier.created_at + datetime.timedelta(days=FEEDBACK_SCALE_EVERY_DAYS)).date()
            raise GrowthError(
                gettext(
                    "You asked about %(scale)s on %(asked_on)s. Ask about it again from "
                    "%(again)s: comparing requests close together could reveal someone's "
                    "answer."
                )
                % {
                    "scale": repeated[0],
                    "asked_on": day_month(earlier.created_at),
                    "again": day_month(again),
                }
            )
    request = FeedbackRequest.objects.create(
        organisation=person.organisation,
        person=person,
        questions=feedback_questions(instrument, scale_ids),
        minimums=dict(DEFAULT_MINIMUMS),
        note=note.strip()[:300],
    )
    messages = []
    languages = recipient_languages(
        organisation=person.organisation, emails=[p.email for p in people if p.email]
    )
    for respondent in people:
        token = secrets.token_urlsafe(32)
        FeedbackInvite.objects.create(
            request=request, respondent=respondent, token_hash=hash_token(token)
        )
        if respondent.email:
            link = settings.SITE_URL + reverse("growth:feedback_answer_link", args=[token])
            with translation.override(languages.get(respondent.email.lower())):
                messages.append(
                    _invite_mail(
                        person=person,
                        request=request,
                        minimum=minimum,
                        link=link,
                        email=respondent.email,
                    )
                )
    audit_record(
        organisation=person.organisation,
        actor=actor,
        action="growth.feedback_request_create",
        target=request,
        changes={"scales": ", ".join(scale_ids), "asked": len(people)},
    )
    mail_queue(organisation=person.organisation, messages=messages, kind="growth.feedback")
    return request


def _invite_mail(
    *, person: Person, request: FeedbackRequest, minimum: int, link: str, email: str
) -> Mail:
    """The invitation to answer, in the active language (the respondent's)."""
    others = minimum - 1
    paragraphs = [
        gettext("%(name)s would like your quick feedback on %(scales)s. It takes two minutes.")
        % {"name": person.name, "scales": request.scale_names_text},
        ngettext(
            "Your answers are pooled with at least %(count)s other's and never shown on their "
            "own; nobody can see who answered what.",
            "Your answers are pooled with at least %(count)s others' and never shown on their "
            "own; nobody can see who answered what.",
            others,
        )
        % {"count": others},
        gettext("Answer here (this link is yours alone): %(link)s") % {"link": link},
    ]
    subject = gettext("A colleague asks for your quick feedback")
    return (subject, "\n\n".join(paragraphs) + "\n", settings.DEFAULT_FROM_EMAIL, [email])


def _valid_values(request: FeedbackRequest, values: Mapping[str, int | None]) -> dict[str, Any]:
    questions = request.questions
    low, high = int(questions["minimum"]), int(questions["maximum"])
    item_ids = [item["id"] for scale in questions["scales"] for item in scale["items"]]
    clean: dict[str, int | None] = {}
    for item_id in item_ids:
        value = values.get(item_id)
        if value is not None and not low <= int(value) <= high:
            raise GrowthError(
                gettext("Answers run from %(low)s to %(high)s.") % {"low": low, "high": high}
            )
        clean[item_id] = None if value is None else int(value)
    if all(v is None for v in clean.values()):
        raise GrowthError(
            gettext("Answer at least one question, or choose 'not observed' for each.")
        )
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
        raise GrowthError(gettext("This request is closed: answers are no longer collected."))
    if invite.answered:
        raise GrowthError(gettext("You have answered this request already. Thank you!"))
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
