"""Quick feedback pages: ask, read pooled results, answer by link or signed in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import access
from tandem.growth import selectors
from tandem.growth.forms import (
    FeedbackRequestForm,
)
from tandem.growth.models import (
    FeedbackInvite,
)
from tandem.growth.pages import me
from tandem.growth.services import (
    GrowthError,
    feedback_answer,
    feedback_close,
    feedback_request_create,
    hash_token,
)
from tandem.web.inputs import whole_number

# --- quick feedback --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def feedback_list(request: HttpRequest) -> HttpResponse:
    organisation, person = me(request)
    if not access.growth.can_request_feedback(request.user, organisation):
        raise PermissionDenied
    instrument = selectors.instrument_for(person)
    form = FeedbackRequestForm(
        request.POST or None,
        scales=[(scale.id, scale.name) for scale in instrument.scales],
        colleagues=selectors.feedback_colleagues(person=person),
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = feedback_request_create(
                person=person,
                instrument=instrument,
                scale_ids=form.cleaned_data["scale_ids"],
                respondents=list(form.cleaned_data["respondents"]),
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except GrowthError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, gettext("Asked. Each colleague gets a link of their own by email.")
            )
            return redirect("growth:feedback", created.pk)
    context = {
        "form": form,
        "requests": selectors.feedback_requests_of(person=person),
        "inbox": selectors.feedback_inbox(person=person),
    }
    return render(request, "growth/feedback_list.html", context)


@login_required
@require_GET
def feedback(request: HttpRequest, request_id: int) -> HttpResponse:
    organisation = access.organisation_required(request.user)
    found = selectors.feedback_request_get(organisation=organisation, request_id=request_id)
    if found is None:
        raise Http404
    if not access.growth.can_view_feedback_request(request.user, found):
        raise PermissionDenied
    context = {"feedback": found, "results": selectors.feedback_results(request=found)}
    return render(request, "growth/feedback.html", context)


@login_required
@require_POST
def feedback_stop(request: HttpRequest, request_id: int) -> HttpResponse:
    organisation = access.organisation_required(request.user)
    found = selectors.feedback_request_get(organisation=organisation, request_id=request_id)
    if found is None:
        raise Http404
    if not access.growth.can_view_feedback_request(request.user, found):
        raise PermissionDenied
    feedback_close(request=found, actor=request.user)
    messages.success(request, gettext("Closed: no more answers are collected."))
    return redirect("growth:feedback", found.pk)


def _answer_values(request: HttpRequest, invite: FeedbackInvite) -> dict[str, int | None]:
    values: dict[str, int | None] = {}
    for scale in invite.request.questions["scales"]:
        for item in scale["items"]:
            number = whole_number(request.POST.get(f"item-{item['id']}"))
            values[item["id"]] = number if number != 0 else None  # 0: "not observed"
    return values


def _answer_page(request: HttpRequest, invite: FeedbackInvite, *, action: str) -> HttpResponse:
    feedback_request = invite.request
    status = 200
    if request.method == "POST":
        try:
            feedback_answer(
                invite=invite, values=_answer_values(request, invite), actor=request.user
            )
        except GrowthError as error:
            messages.error(request, str(error))
            status = 400
        else:
            return render(request, "growth/feedback_thanks.html", {"feedback": feedback_request})
    questions = feedback_request.questions
    # What the person chose is shown again when something was wrong.
    scales = [
        {
            "name": scale["name"],
            "items": [
                {**item, "chosen": request.POST.get(f"item-{item['id']}", "")}
                for item in scale["items"]
            ],
        }
        for scale in questions["scales"]
    ]
    low, high = int(questions["minimum"]), int(questions["maximum"])
    context = {
        "invite": invite,
        "feedback": feedback_request,
        "questions": questions,
        "scales": scales,
        "choices": [
            (str(v), questions["labels"].get(str(v), str(v))) for v in range(low, high + 1)
        ],
        "action": action,
        "minimum": int(feedback_request.minimums.get("other", 3)),
    }
    return render(request, "growth/feedback_answer.html", context, status=status)


@require_http_methods(["GET", "POST"])
def feedback_answer_link(request: HttpRequest, token: str) -> HttpResponse:
    """Public: holding the emailed link is the permission to answer."""
    invite = selectors.invite_for_token_hash(hash_token(token))
    if invite is None:
        return render(request, "growth/feedback_invalid.html", status=404)
    return _answer_page(request, invite, action=request.path)


@login_required
@require_http_methods(["GET", "POST"])
def feedback_answer_signed_in(request: HttpRequest, invite_id: int) -> HttpResponse:
    organisation = access.organisation_required(request.user)
    invite = (
        FeedbackInvite.objects.filter(pk=invite_id, request__organisation=organisation)
        .select_related("request__person", "request__organisation")
        .first()
    )
    if invite is None:
        raise Http404
    if not access.growth.can_answer_feedback(request.user, invite):
        raise PermissionDenied
    return _answer_page(request, invite, action=request.path)
