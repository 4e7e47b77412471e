"""Pages for choosing a track: the motivation check and which track fits."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods

from tandem import access
from tandem.careers import assessment, motivation, selectors
from tandem.careers.forms import MotivationForm
from tandem.careers.services import motivation_check_record
from tandem.careers.trackfit import TRACK_NAMES, track_fit
from tandem.careers.views._common import own_person


def _either(names: list[str]) -> str:
    """Track names as alternatives: "Individual contributor or People manager"."""
    text = names[0] if names else ""
    for name in names[1:]:
        text = gettext("%(first)s or %(second)s") % {"first": text, "second": name}
    return text


def _scales() -> dict[str, object]:
    return {rs.id: rs for rs in motivation.instrument().response_scales}


@login_required
@require_http_methods(["GET", "POST"])
def motivation_check(request: HttpRequest) -> HttpResponse:
    person = own_person(request)
    if not access.careers.can_take_motivation_check(request.user):
        raise PermissionDenied
    latest = selectors.motivation_latest(person=person)
    form = MotivationForm(
        request.POST or None,
        initial=latest.answers if latest else None,
        sections=motivation.sections(),
        labels=_scales(),
    )
    if request.method == "POST" and form.is_valid():
        motivation_check_record(person=person, answers=dict(form.cleaned_data), actor=request.user)
        return redirect("careers:track_fit")
    guidance = None
    if latest is not None:
        mtm = latest.scores.get(motivation.MOTIVATION, {})
        guidance = motivation.motivation_guidance(
            developing=mtm.get("developing_people"), advancement=mtm.get("advancement_status")
        )
    context = {"form": form, "latest": latest, "guidance": guidance}
    return render(request, "careers/motivation.html", context)


@login_required
@require_GET
def track_fit_view(request: HttpRequest) -> HttpResponse:
    person = own_person(request)
    if not access.careers.can_take_motivation_check(request.user):
        raise PermissionDenied
    latest = selectors.motivation_latest(person=person)
    result = assessment.latest_result(person)
    scores = latest.scores if latest else {}
    mtm = scores.get(motivation.MOTIVATION, {})
    interests = scores.get(motivation.INTERESTS, {})
    if result is not None and latest is None:
        # The assessment's self questionnaire asks the same sections: use its answers until
        # the person takes the check here.
        mtm = result.self_sections.get(motivation.MOTIVATION) or {}
        interests = result.self_sections.get(motivation.INTERESTS) or {}
    fit = track_fit(
        placement=result.placement if result else None,
        leaning=result.leaning if result else None,
        borderline=result.borderline if result else False,
        developing=mtm.get("developing_people"),
        advancement=mtm.get("advancement_status"),
        interests=interests,
    )
    guidance = motivation.motivation_guidance(
        developing=mtm.get("developing_people"), advancement=mtm.get("advancement_status")
    )
    recommended = [str(TRACK_NAMES[t]) for t in fit.recommended]
    context = {
        "fit": fit,
        "names": TRACK_NAMES,
        "recommended": recommended,
        "recommended_text": _either(recommended),
        "ranked": [(str(TRACK_NAMES[t]), value) for t, value in fit.scores],
        "latest": latest,
        "result": result,
        "guidance": guidance,
    }
    return render(request, "careers/track_fit.html", context)
