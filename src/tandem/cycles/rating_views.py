"""Rating: one form per person to rate, reached signed in or through the emailed link.

Each answer is saved as it is given (htmx posts one item at a time); without JavaScript the
form posts every answer at once to the same address. Answers can change until the cycle
closes; a link to a closed cycle explains that it is closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from tandem import access
from tandem.cycles import selectors
from tandem.cycles.instruments import instrument_of
from tandem.cycles.links import link_for_token
from tandem.cycles.models import CycleStatus, InstrumentVersion, Nomination, RaterLink
from tandem.cycles.services import (
    CycleError,
    SheetRef,
    answers_record,
    sheet_finish,
)
from tandem.measure import Instrument, Item


@dataclass(frozen=True)
class Question:
    id: str
    number: int
    text: str
    options: tuple[tuple[str, str], ...]  # (value, label); empty for free text
    answer: str
    radios: str = ""  # the options as HTML, see options_html


@dataclass(frozen=True)
class Section:
    title: str
    prompt: str
    questions: tuple[Question, ...]


def _options(instrument: Instrument, item: Item, *, observer: bool) -> tuple[tuple[str, str], ...]:
    scale = instrument.response_scale(item.response_scale)
    options = [(str(scale.minimum + k), label) for k, label in enumerate(scale.labels)]
    if observer and scale.not_observed_code is not None:
        options.append((str(scale.not_observed_code), scale.not_observed_label or "Not observed"))
    return tuple(options)


def sheet_sections(
    instrument: Instrument, *, observer: bool, answers: dict[str, str]
) -> list[Section]:
    """The questions of one sheet, in order, with the answers given so far."""
    number = 0
    sections: list[Section] = []

    def question(item: Item) -> Question:
        nonlocal number
        number += 1
        text = (item.observer_text or item.self_text) if observer else item.self_text
        return Question(
            id=item.id,
            number=number,
            text=text,
            options=_options(instrument, item, observer=observer),
            answer=answers.get(item.id, ""),
        )

    for scale in instrument.scales:
        sections.append(
            Section(title=scale.name, prompt="", questions=tuple(question(i) for i in scale.items))
        )
    if not observer:
        if instrument.others_estimate:
            sections.append(
                Section(
                    title="How do you think others will rate you?",
                    prompt="",
                    questions=tuple(question(i) for i in instrument.others_estimate),
                )
            )
        for part in instrument.self_sections:
            items = tuple(question(i) for sub in part.subscales for i in sub.items)
            sections.append(Section(title=part.name, prompt=part.prompt, questions=items))
    open_questions = []
    for q in instrument.open_questions:
        number += 1
        open_questions.append(
            Question(
                id=q.id,
                number=number,
                text=q.observer_text if observer else q.self_text,
                options=(),
                answer=answers.get(q.id, ""),
            )
        )
    if open_questions:
        sections.append(
            Section(
                title="In your own words",
                prompt="Optional. Comments are shown without your name, mixed with others', "
                "and only when enough people in your group answered.",
                questions=tuple(open_questions),
            )
        )
    return sections


def option_pieces(question: Question) -> tuple[tuple[str, str, str], ...]:
    """A question's radio buttons as HTML, each as (value, unchecked, checked).

    Built once per questionnaire version (see :func:`_sheet_layout`): a sheet has about 250
    of them, the same for every rater, and building them was most of a sheet's time.
    """
    qid = escape(question.id)
    pieces = []
    for value, label in question.options:
        head = f'<label class="option"><input type="radio" name="{qid}" value="{escape(value)}"'
        tail = f"> <span>{escape(label)}</span></label>"
        pieces.append((value, head + tail, head + " checked" + tail))
    return tuple(pieces)


def options_html(pieces: tuple[tuple[str, str, str], ...], answer: str) -> SafeString:
    """The radio buttons with the rater's answer checked."""
    # Every piece was escaped in option_pieces.
    return mark_safe(
        "\n".join(checked if value == answer else plain for value, plain, checked in pieces)
    )


@lru_cache(maxsize=64)
def _sheet_layout(
    version_id: int, updated_at: dt.datetime, *, observer: bool
) -> tuple[tuple[Section, ...], dict[str, tuple[tuple[str, str, str], ...]]]:
    """A questionnaire version's sheet without answers, and each question's radio pieces.

    Cached by version and its last change (as the allowed answers are), so an edited
    questionnaire is rebuilt on its next view.
    """
    instrument = instrument_of(InstrumentVersion.objects.get(pk=version_id))
    sections = tuple(sheet_sections(instrument, observer=observer, answers={}))
    pieces = {q.id: option_pieces(q) for s in sections for q in s.questions if q.options}
    return sections, pieces


def _answers_of(nomination: Nomination) -> dict[str, str]:
    return {
        item_id: text if value is None else str(value)
        for item_id, value, text in nomination.answers.values_list("item_id", "value", "text")
    }


def _render_sheet(
    request: HttpRequest, nomination: Nomination, *, base: str, inbox: str
) -> HttpResponse:
    cycle = nomination.participant.cycle
    if cycle.status != CycleStatus.OPEN:
        return render(request, "cycles/closed.html", {"cycle": cycle}, status=410)
    instrument = instrument_of(cycle.instrument)
    observer = nomination.group != "self"
    answers = _answers_of(nomination)
    layout, pieces = _sheet_layout(
        cycle.instrument.pk, cycle.instrument.updated_at, observer=observer
    )
    sections = [
        replace(
            section,
            questions=tuple(
                replace(
                    q,
                    answer=answers.get(q.id, ""),
                    radios=options_html(pieces[q.id], answers.get(q.id, "")),
                )
                if q.options
                else replace(q, answer=answers.get(q.id, ""))
                for q in section.questions
            ),
        )
        for section in layout
    ]
    total = sum(len(s.questions) for s in sections if s.questions and s.questions[0].options)
    answered = sum(1 for s in sections for q in s.questions if q.options and q.answer)
    context = {
        "nomination": nomination,
        "cycle": cycle,
        "ratee": nomination.participant.person,
        "observer": observer,
        "sections": sections,
        "prompt": instrument_prompt(instrument, observer=observer),
        "answer_url": f"{base}answer/",
        "finish_url": f"{base}finish/",
        "inbox_url": inbox,
        "answered": answered,
        "total": total,
        "outcome": selectors.rater_outcome(nomination),
    }
    return render(request, "cycles/rate.html", context)


def instrument_prompt(instrument: Instrument, *, observer: bool) -> str:
    if observer:
        return "How often does this person do the following? Choose “not observed” when you have not seen enough to say."
    return "How often do you do the following? Answer as you are, not as you would like to be."


def _save(request: HttpRequest, sheet: SheetRef | None, *, back: str) -> HttpResponse:
    """Answers from the sheet's script (a batch: ``item`` repeated, each with its value; the
    reply is JSON saying which were saved and which refused) or the whole form (no
    JavaScript). The hot path: one query for the sheet, one statement for the answers."""
    if sheet is None:
        raise Http404
    batch = "application/json" in request.headers.get("Accept", "")
    items = request.POST.getlist("item")
    try:
        if items:
            given = {item: request.POST.get(item, "") for item in items}
        else:
            given = {k: request.POST[k] for k in sheet.allowed() if k in request.POST}
        refused = answers_record(sheet=sheet, given=given)
    except CycleError as exc:
        if batch:
            return JsonResponse({"saved": [], "refused": {}, "error": str(exc)}, status=400)
        messages.error(request, str(exc))
        return redirect(back)
    if batch:
        saved = [item for item in given if item not in refused]
        return JsonResponse({"saved": saved, "refused": refused}, status=200 if saved else 400)
    if refused:
        messages.error(request, "Not saved: " + "; ".join(refused.values()))
    else:
        messages.success(
            request, "Your answers are saved. You can change them until the cycle closes."
        )
    return redirect(back)


def _finish(request: HttpRequest, nomination: Nomination, *, inbox: str, back: str) -> HttpResponse:
    try:
        sheet_finish(nomination=nomination)
    except CycleError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        f"Thank you: your answers about {nomination.participant.person.name} are in. "
        "You can still change them until the cycle closes.",
    )
    return redirect(inbox)


# --- through the emailed link -------------------------------------------------------------


def _link(token: str) -> RaterLink:
    link = link_for_token(token)
    if link is None:
        raise Http404("This link is not valid. Check that it was copied whole.")
    return link


def _linked_nomination(token: str, nomination_id: int) -> Nomination:
    nomination = (
        access.cycles.sheets_opened_by_link(token)
        .filter(pk=nomination_id)
        .select_related("participant__cycle__instrument", "participant__person")
        .first()
    )
    if nomination is None:
        raise Http404
    return nomination


@require_GET
def link_inbox(request: HttpRequest, token: str) -> HttpResponse:
    link = _link(token)
    cycle = link.cycle
    if cycle.status != CycleStatus.OPEN:
        return render(request, "cycles/closed.html", {"cycle": cycle}, status=410)
    opened = (
        access.cycles.sheets_opened_by_link(token)
        .select_related("participant__person", "participant__cycle")
        .order_by("group", "participant__person__name")
    )
    sheets = [
        (n, reverse("cycles:link_rate", args=[token, n.pk]), selectors.rater_outcome(n))
        for n in opened
    ]
    return render(
        request, "cycles/inbox.html", {"cycle": cycle, "rater": link.rater, "sheets": sheets}
    )


@require_GET
def rate_by_link(request: HttpRequest, token: str, nomination_id: int) -> HttpResponse:
    nomination = _linked_nomination(token, nomination_id)
    base = reverse("cycles:link_rate", args=[token, nomination.pk])
    return _render_sheet(
        request, nomination, base=base, inbox=reverse("cycles:link_inbox", args=[token])
    )


@require_POST
def answer_by_link(request: HttpRequest, token: str, nomination_id: int) -> HttpResponse:
    sheet = SheetRef.load(access.cycles.sheets_opened_by_link(token).filter(pk=nomination_id))
    return _save(request, sheet, back=reverse("cycles:link_rate", args=[token, nomination_id]))


@require_POST
def finish_by_link(request: HttpRequest, token: str, nomination_id: int) -> HttpResponse:
    nomination = _linked_nomination(token, nomination_id)
    return _finish(
        request,
        nomination,
        inbox=reverse("cycles:link_inbox", args=[token]),
        back=reverse("cycles:link_rate", args=[token, nomination_id]),
    )


# --- signed in ----------------------------------------------------------------------------


def _own_nomination(request: HttpRequest, nomination_id: int) -> Nomination:
    organisation = access.organisation_required(request.user)
    nomination = (
        Nomination.objects.filter(
            pk=nomination_id, approved=True, participant__cycle__organisation=organisation
        )
        .select_related("participant__cycle__instrument", "participant__person")
        .first()
    )
    if nomination is None:
        raise Http404
    if not access.cycles.can_rate(request.user, nomination):
        raise PermissionDenied
    return nomination


@login_required
@require_GET
def rate_signed_in(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _own_nomination(request, nomination_id)
    base = reverse("cycles:rate", args=[nomination.pk])
    return _render_sheet(request, nomination, base=base, inbox=reverse("cycles:home"))


@login_required
@require_POST
def answer_signed_in(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _own_nomination(request, nomination_id)
    sheet = SheetRef.load(Nomination.objects.filter(pk=nomination.pk))
    return _save(request, sheet, back=reverse("cycles:rate", args=[nomination_id]))


@login_required
@require_POST
def finish_signed_in(request: HttpRequest, nomination_id: int) -> HttpResponse:
    nomination = _own_nomination(request, nomination_id)
    return _finish(
        request,
        nomination,
        inbox=reverse("cycles:home"),
        back=reverse("cycles:rate", args=[nomination_id]),
    )
