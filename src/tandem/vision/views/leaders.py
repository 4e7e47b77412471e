"""Leaders everywhere: the nomination survey, opting out, and the people team's view of
informal leaders and brokers (aggregates only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import access
from tandem.vision.forms import NominationForm
from tandem.vision.models import NominationQuestion
from tandem.vision.selectors import (
    has_nominated,
    is_opted_out,
    leaders_network,
    nominee_choices,
    survey_get,
    survey_open_get,
)
from tandem.vision.services import (
    SurveyError,
    network_opt_in,
    network_opt_out,
    nominations_save,
    survey_close,
    survey_open,
)
from tandem.vision.views._common import organisation_of


@login_required
@require_GET
def leaders(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    if not access.vision.can_view_leaders_network(request.user, organisation):
        raise PermissionDenied
    context = {
        "network": leaders_network(organisation=organisation),
        "can_run": access.vision.can_run_nomination_survey(request.user, organisation),
    }
    return render(request, "vision/leaders.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    person = access.person_of(request.user)
    if person is None or not access.vision.can_answer_nomination_survey(request.user, organisation):
        raise PermissionDenied
    current = survey_open_get(organisation=organisation)
    form = None
    if current is not None:
        people = nominee_choices(organisation=organisation, nominator=person)
        form = NominationForm(request.POST if request.method == "POST" else None, people=people)
        if request.method == "POST" and form.is_valid():
            choices = {q.value: list(form.cleaned_data[q.value]) for q in NominationQuestion}
            try:
                nominations_save(
                    survey=current, nominator=person, choices=choices, actor=request.user
                )
            except SurveyError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, gettext("Thank you. No one will see whom you named."))
                return redirect("vision:leaders_survey")
    elif request.method == "POST":
        messages.error(request, gettext("There is no open survey to answer."))
        return redirect("vision:leaders_survey")
    context = {
        "current": current,
        "form": form,
        "answered": current is not None and has_nominated(survey=current, person=person),
        "opted_out": is_opted_out(person=person),
    }
    return render(request, "vision/leaders_survey.html", context)


@login_required
@require_POST
def opt_out(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    person = access.person_of(request.user)
    if person is None or not access.vision.can_answer_nomination_survey(request.user, organisation):
        raise PermissionDenied
    if request.POST.get("choice") == "in":
        network_opt_in(person=person, actor=request.user)
        messages.success(
            request, gettext("You are part of the network again: people may name you.")
        )
    else:
        network_opt_out(person=person, actor=request.user)
        messages.success(
            request,
            gettext(
                "You are out of the network: no one can name you, and past nominations of you "
                "are deleted."
            ),
        )
    return redirect("vision:leaders_survey")


@login_required
@require_POST
def open_survey(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    if not access.vision.can_run_nomination_survey(request.user, organisation):
        raise PermissionDenied
    try:
        survey_open(organisation=organisation, actor=request.user)
    except SurveyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The nomination survey is open to everyone."))
    return redirect("vision:leaders")


@login_required
@require_POST
def close_survey(request: HttpRequest, survey_id: int) -> HttpResponse:
    organisation = organisation_of(request)
    if not access.vision.can_run_nomination_survey(request.user, organisation):
        raise PermissionDenied
    found = survey_get(organisation=organisation, survey_id=survey_id)
    if found is None:
        raise Http404
    survey_close(survey=found, actor=request.user)
    messages.success(request, gettext("The survey is closed. Its results stay until the next one."))
    return redirect("vision:leaders")
