"""Rating: one form per person to rate, reached signed in or through the emailed link.

Each answer is saved as it is given (htmx posts one item at a time); without JavaScript the
form posts every answer at once to the same address. Answers can change until the cycle
closes; a link to a closed cycle explains that it is closed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from tandem import access
from tandem.cycles import selectors
from tandem.cycles.instruments import instrument_of, instrument_saved
from tandem.cycles.links import link_for_token
from tandem.cycles.models import Cycle, CycleStatus, InstrumentVersion, Nomination, RaterLink
from tandem.cycles.services import (
    CycleError,
    SheetRef,
    allowed_answers,
    answers_record,
    answers_record_by_link,
    sheet_finish,
    sheet_key_by_link,
)
from tandem.cycles.sheet_page import sheet_page_read
from tandem.measure import Instrument, Item


@dataclass(frozen=True)
class Question:
    id: str
    number: int
    text: str
    options: tuple[tuple[str, str], ...]  # (value, label); empty for free text
    answer: str
    radios: str = ""  # the options as HTML, with a slot where "checked" may go

    @property
    def status_slot(self) -> SafeString:
        return mark_safe(f"\x00S{self.id}\x00")

    @property
    def text_slot(self) -> SafeString:
        return mark_safe(f"\x00A{self.id}\x00")


@dataclass(frozen=True)
class Section:
    title: str
    prompt: str
    questions: tuple[Question, ...]


def _options(instrument: Instrument, item: Item, *, observer: bool) -> tuple[tuple[str, str], ...]:
    scale = instrument.response_scale(item.response_scale)
    options = [(str(scale.minimum + k), label) for k, label in enumerate(scale.labels)]
    if observer and scale.not_observed_code is not None:
        options.append(
            (str(scale.not_observed_code), scale.not_observed_label or gettext("Not observed"))
        )
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
                    title=gettext("How do you think others will rate you?"),
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
                title=gettext("In your own words"),
                prompt=gettext(
                    "Optional. Comments are shown without your name, mixed with others', "
                    "and only when enough people in your group answered."
                ),
                questions=tuple(open_questions),
            )
        )
    return sections


def options_html(question: Question) -> SafeString:
    """A question's radio buttons, each with a slot for "checked" (see :func:`fill_answers`)."""
    qid = escape(question.id)
    parts = []
    for value, label in question.options:
        parts.append(
            f'<label class="option"><input type="radio" name="{qid}" value="{escape(value)}"'
            f"\x00C{question.id}={value}\x00> <span>{escape(label)}</span></label>"
        )
    # Every value and label is escaped above.
    return mark_safe("\n".join(parts))


_SLOT = re.compile("\x00([CSA])([^\x00=]*)(?:=([^\x00]*))?\x00")


def fill_answers(html: str, answers: Mapping[str, str]) -> SafeString:
    """A rendered sheet with one rater's answers: each radio slot becomes " checked" where it
    is the answer, each status slot "Saved" where there is one, each comment slot the text."""

    def fill(match: re.Match[str]) -> str:
        kind, qid, value = match.group(1), match.group(2), match.group(3)
        answer = answers.get(qid, "")
        if kind == "C":
            return " checked" if answer and answer == value else ""
        if kind == "S":
            return gettext("Saved") if answer else ""
        return str(escape(answer))

    # The template escaped everything it rendered; answers are escaped here.
    return mark_safe(_SLOT.sub(fill, html))


@lru_cache(maxsize=64)
def _sheet_questions(
    version_id: int, updated_at: dt.datetime, language: str, *, observer: bool
) -> tuple[str, int]:
    """A questionnaire version's questions as HTML with answer slots, and how many are rated.

    Rendered once per version, its last change (as the allowed answers are) and language, and
    kept: the same for every rater, and most of a sheet's time when rendered per request.
    ``language`` is the interface language active while it renders.
    """
    instrument = instrument_of(InstrumentVersion.objects.get(pk=version_id), language)
    sections = [
        replace(
            section,
            questions=tuple(
                replace(q, radios=options_html(q)) if q.options else q for q in section.questions
            ),
        )
        for section in sheet_sections(instrument, observer=observer, answers={})
    ]
    total = sum(1 for s in sections for q in s.questions if q.options)
    return render_to_string("cycles/_sheet_questions.html", {"sections": sections}), total


def _render_sheet(
    request: HttpRequest, nomination_id: int, *, base: str, inbox: str
) -> HttpResponse:
    page = sheet_page_read(nomination_id)
    if page is None:
        raise Http404
    if page.cycle_status != CycleStatus.OPEN:
        cycle = Cycle.objects.get(pk=page.cycle_id)
        return render(request, "cycles/closed.html", {"cycle": cycle}, status=410)
    language = translation.get_language()
    instrument = instrument_saved(page.instrument_id, page.instrument_updated, language)
    html, total = _sheet_questions(
        page.instrument_id, page.instrument_updated, language, observer=page.observer
    )
    rated = allowed_answers(page.instrument_id, page.instrument_updated, observer=page.observer)
    answered = sum(1 for k, v in page.answers.items() if v and rated.get(k) is not None)
    context = {
        "sheet": page,
        "observer": page.observer,
        "questions_html": fill_answers(html, page.answers),
        "prompt": instrument_prompt(instrument, observer=page.observer),
        "answer_url": f"{base}answer/",
        "finish_url": f"{base}finish/",
        "inbox_url": inbox,
        "answered": answered,
        "total": total,
        "outcome": page.outcome,
        "questions_language": instrument.language,
        # The questionnaire has no text in the reader's language: the page says so.
        "questions_in_another_language": instrument.language.split("-")[0]
        != language.split("-")[0],
    }
    return render(request, "cycles/rate.html", context)


def instrument_prompt(instrument: Instrument, *, observer: bool) -> str:
    if observer:
        return gettext(
            "How often does this person do the following? Choose “not observed” when you have "
            "not seen enough to say."
        )
    return gettext(
        "How often do you do the following? Answer as you are, not as you would like to be."
    )


def _given(request: HttpRequest, allowed: Mapping[str, object]) -> dict[str, str]:
    """The answers posted: a batch from the sheet's script (``item`` repeated, each with its
    value) or the whole form (no JavaScript: every question present in the post)."""
    items = request.POST.getlist("item")
    if items:
        return {item: request.POST.get(item, "") for item in items}
    return {k: request.POST[k] for k in allowed if k in request.POST}


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _saved(
    request: HttpRequest, given: Mapping[str, str], refused: Mapping[str, str], *, back: str
) -> HttpResponse:
    """The reply to saved answers: JSON for the script, a message and a redirect for the form."""
    if _wants_json(request):
        saved = [item for item in given if item not in refused]
        return JsonResponse(
            {"saved": saved, "refused": dict(refused)}, status=200 if saved else 400
        )
    if request.headers.get("HX-Request") == "true":
        # A sheet loaded before the batching script (htmx posting one answer, swapping the
        # reply into its status line) keeps working until it is reloaded.
        if refused:
            return HttpResponse(
                "; ".join(refused.values()), status=400, content_type="text/plain; charset=utf-8"
            )
        return HttpResponse(gettext("Saved"), content_type="text/plain; charset=utf-8")
    if refused:
        messages.error(
            request, gettext("Not saved: %(why)s") % {"why": "; ".join(refused.values())}
        )
    else:
        messages.success(
            request, gettext("Your answers are saved. You can change them until the cycle closes.")
        )
    return redirect(back)


def _save(request: HttpRequest, sheet: SheetRef | None, *, back: str) -> HttpResponse:
    """Save posted answers to a sheet read afresh (see :func:`_given` and :func:`_saved`)."""
    if sheet is None:
        raise Http404
    given = _given(request, sheet.allowed())
    try:
        refused = answers_record(sheet=sheet, given=given)
    except CycleError as exc:
        if _wants_json(request):
            return JsonResponse({"saved": [], "refused": {}, "error": str(exc)}, status=400)
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
        messages.error(request, str(exc))
        return redirect(back)
    return _saved(request, given, refused, back=back)


def _finish(request: HttpRequest, nomination: Nomination, *, inbox: str, back: str) -> HttpResponse:
    try:
        sheet_finish(nomination=nomination)
    except CycleError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(
        request,
        gettext(
            "Thank you: your answers about %(name)s are in. "
            "You can still change them until the cycle closes."
        )
        % {"name": nomination.participant.person.name},
    )
    return redirect(inbox)


# --- through the emailed link -------------------------------------------------------------


def _link(token: str) -> RaterLink:
    link = link_for_token(token)
    if link is None:
        raise Http404(gettext("This link is not valid. Check that it was copied whole."))
    return link


def _linked_nomination(token: str, nomination_id: int) -> Nomination:
    """The sheet ``token`` opens, with its person and cycle read fresh (404 otherwise).

    Whether the link opens the sheet never changes, so it is checked once per process
    (:func:`sheet_key_by_link`); the sheet itself is read by its primary key.
    """
    _link_opens(token, nomination_id)
    found = list(
        Nomination.objects.filter(pk=nomination_id, approved=True)
        .select_related("participant__cycle__instrument", "participant__person")
        .defer("participant__cycle__instrument__text", "participant__cycle__statistics")
        .order_by()[:1]
    )
    if not found:
        raise Http404
    return found[0]


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


def _link_opens(token: str, nomination_id: int) -> None:
    """404 unless ``token`` opens the sheet (checked once per process: that never changes)."""
    if sheet_key_by_link(token, nomination_id) is None:
        raise Http404


@require_GET
def rate_by_link(request: HttpRequest, token: str, nomination_id: int) -> HttpResponse:
    _link_opens(token, nomination_id)
    base = reverse("cycles:link_rate", args=[token, nomination_id])
    return _render_sheet(
        request, nomination_id, base=base, inbox=reverse("cycles:link_inbox", args=[token])
    )


@require_POST
def answer_by_link(request: HttpRequest, token: str, nomination_id: int) -> HttpResponse:
    """The hot path: the link checked once and kept in the process with the sheet's
    questionnaire; answers written by one statement that itself checks the approval and the
    open cycle. Anything unusual (an unknown sheet, a closed cycle, a bad value) is answered
    by reading the sheet afresh, with the reason."""
    key = sheet_key_by_link(token, nomination_id)
    if key is not None:
        given = _given(request, key.allowed())
        refused = answers_record_by_link(key=key, token=token, given=given)
        if refused is not None:
            # The script's batch goes back to no page: the form's post does.
            back = (
                ""
                if _wants_json(request)
                else reverse("cycles:link_rate", args=[token, nomination_id])
            )
            return _saved(request, given, refused, back=back)
    back = reverse("cycles:link_rate", args=[token, nomination_id])
    sheet = SheetRef.load(access.cycles.sheets_opened_by_link(token).filter(pk=nomination_id))
    return _save(request, sheet, back=back)


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
    return _render_sheet(request, nomination.pk, base=base, inbox=reverse("cycles:home"))


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
