"""Pages for promotion cases: opening, arguing criterion by criterion, peers' input,
proposing and deciding."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import access
from tandem.careers import selectors
from tandem.careers.forms import ArgumentForm, CaseOpenForm, DecideForm, PeerForm, PeerInputForm
from tandem.careers.models import Criterion, Evidence, Level, PromotionCase
from tandem.careers.services import (
    CareersError,
    CriterionVerdict,
    OpenCaseExists,
    case_argue,
    case_decide,
    case_open,
    case_peer_add,
    case_propose,
    peer_input_add,
)
from tandem.careers.views._common import organisation_of
from tandem.people.models import Person


def _case(request: HttpRequest, case_id: int) -> PromotionCase:
    """The case, if the user may see it; cases of other organisations do not exist for them."""
    organisation = organisation_of(request)
    case = selectors.case_get(organisation=organisation, case_id=case_id)
    if case is None:
        raise Http404
    if not access.careers.can_view_case(request.user, case):
        raise PermissionDenied
    return case


@login_required
@require_GET
def cases(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    every = selectors.cases_in(organisation=organisation)
    allowed = access.careers.cases_visible_to(request.user, every)
    visible = [c for c in every if c.pk in allowed]
    own = access.person_of(request.user)
    context = {
        "cases": visible,
        "own": own,
        "can_calibrate": access.careers.can_view_calibration(request.user, organisation),
    }
    return render(request, "careers/cases.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest, person_id: int) -> HttpResponse:
    organisation = organisation_of(request)
    candidate = Person.objects.filter(pk=person_id, organisation=organisation).first()
    if candidate is None:
        raise Http404
    if not access.careers.can_open_case(request.user, candidate):
        raise PermissionDenied
    version = selectors.framework_version_get(organisation=organisation)
    if version is None:
        raise Http404
    levels = list(
        Level.objects.filter(track__version=version)
        .select_related("track")
        .order_by("track__position", "number")
    )
    position = selectors.person_position(version=version, person=candidate)
    initial = {}
    if request.GET.get("level", "").isdigit():
        initial["target_level"] = int(request.GET["level"])
    elif position.next_level is not None:
        initial["target_level"] = position.next_level.pk
    form = CaseOpenForm(request.POST or None, initial=initial, levels=levels)
    if request.method == "POST" and form.is_valid():
        target = next(lv for lv in levels if lv.pk == form.cleaned_data["target_level"])
        try:
            case = case_open(candidate=candidate, target_level=target, actor=request.user)
        except OpenCaseExists as error:
            messages.info(request, gettext("%(error)s Here it is.") % {"error": error})
            existing = selectors.open_case_for(candidate=candidate, target_level=target)
            assert existing is not None
            return redirect("careers:case", case_id=existing.pk)
        messages.success(request, gettext("The case is open. Argue it criterion by criterion."))
        return redirect("careers:case", case_id=case.pk)
    context = {"form": form, "candidate": candidate, "position": position}
    return render(request, "careers/case_new.html", context)


@login_required
@require_GET
def case(request: HttpRequest, case_id: int) -> HttpResponse:
    found = _case(request, case_id)
    view = selectors.case_view(case=found)
    organisation = found.organisation
    user = request.user
    can_argue = access.careers.can_argue_case(user, found)
    context = {
        "view": view,
        "case": found,
        "met": view.count("met"),
        "partly": view.count("partly"),
        "not_yet": view.count("not_yet"),
        "can_argue": can_argue,
        "can_propose": access.careers.can_propose_case(user, found),
        "can_decide": access.careers.can_decide_case(user, found),
        "can_add_input": access.careers.can_add_peer_input(user, found),
        "peer_form": PeerForm(
            people=Person.objects.in_organisation(organisation)
            .active()
            .exclude(pk=found.candidate_id)
            .exclude(pk__in=found.peers.values("pk"))
        )
        if can_argue
        else None,
        "peers": list(found.peers.all()),
        "input_form": PeerInputForm(criteria=[row.criterion for row in view.rows]),
        "flags": selectors.case_flags(case=found)
        if access.careers.can_view_calibration(user, organisation)
        else [],
    }
    return render(request, "careers/case.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_argue_view(request: HttpRequest, case_id: int, criterion_id: int) -> HttpResponse:
    found = _case(request, case_id)
    if not access.careers.can_argue_case(request.user, found):
        raise PermissionDenied
    criterion = Criterion.objects.filter(pk=criterion_id, level=found.target_level).first()
    if criterion is None:
        raise Http404
    existing = found.arguments.filter(criterion=criterion).first()
    evidence = list(Evidence.objects.filter(person=found.candidate).prefetch_related("criteria"))
    initial = (
        {"text": existing.text, "evidence": [e.pk for e in existing.evidence.all()]}
        if existing
        else {
            "evidence": [
                e.pk for e in evidence if criterion.text in {c.text for c in e.criteria.all()}
            ]
        }
    )
    form = ArgumentForm(request.POST or None, initial=initial, evidence=evidence)
    if request.method == "POST" and form.is_valid():
        chosen = [e for e in evidence if e.pk in set(form.cleaned_data["evidence"])]
        case_argue(
            case=found,
            criterion=criterion,
            text=form.cleaned_data["text"],
            evidence=chosen,
            author=access.person_of(request.user),
            actor=request.user,
        )
        messages.success(request, gettext("Saved."))
        return redirect(reverse("careers:case", args=[found.pk]) + f"#criterion-{criterion.pk}")
    context = {"form": form, "case": found, "criterion": criterion, "evidence": evidence}
    return render(request, "careers/case_argue.html", context)


@login_required
@require_POST
def case_peer(request: HttpRequest, case_id: int) -> HttpResponse:
    found = _case(request, case_id)
    if not access.careers.can_argue_case(request.user, found):
        raise PermissionDenied
    people = (
        Person.objects.in_organisation(found.organisation).active().exclude(pk=found.candidate_id)
    )
    form = PeerForm(request.POST, people=people)
    if form.is_valid():
        peer = form.cleaned_data["peer"]
        try:
            case_peer_add(case=found, peer=peer, actor=request.user)
        except CareersError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext("%(name)s can now read the case and add input.") % {"name": peer.name},
            )
    else:
        messages.error(request, gettext("Choose a colleague from the list."))
    return redirect("careers:case", case_id=found.pk)


@login_required
@require_POST
def case_input(request: HttpRequest, case_id: int) -> HttpResponse:
    found = _case(request, case_id)
    if not access.careers.can_add_peer_input(request.user, found):
        raise PermissionDenied
    criteria = list(found.target_level.criteria.all())
    form = PeerInputForm(request.POST, criteria=criteria)
    author = access.person_of(request.user)
    assert author is not None  # a peer has a person
    if form.is_valid():
        chosen = next((c for c in criteria if c.pk == form.cleaned_data["criterion"]), None)
        peer_input_add(
            case=found,
            author=author,
            criterion=chosen,
            text=form.cleaned_data["text"],
            actor=request.user,
        )
        messages.success(request, gettext("Thank you: your input is on the case."))
    else:
        messages.error(request, gettext("Write your input before sending it."))
    return redirect("careers:case", case_id=found.pk)


@login_required
@require_POST
def case_propose_view(request: HttpRequest, case_id: int) -> HttpResponse:
    found = _case(request, case_id)
    if not access.careers.can_propose_case(request.user, found):
        raise PermissionDenied
    case_propose(case=found, actor=request.user)
    messages.success(request, gettext("Proposed. The case goes to the next calibration session."))
    return redirect("careers:case", case_id=found.pk)


@login_required
@require_http_methods(["GET", "POST"])
def case_decide_view(request: HttpRequest, case_id: int) -> HttpResponse:
    found = _case(request, case_id)
    if not access.careers.can_decide_case(request.user, found):
        raise PermissionDenied
    view = selectors.case_view(case=found)
    form = DecideForm(request.POST or None, rows=view.rows)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_decide(
                case=found,
                verdicts=[
                    CriterionVerdict(
                        criterion=row.criterion,
                        verdict=data[f"verdict_{row.criterion.pk}"],
                        reason=data[f"reason_{row.criterion.pk}"],
                    )
                    for row in view.rows
                ],
                outcome=data["outcome"],
                reason=data["outcome_reason"],
                actor=request.user,
            )
        except CareersError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext("The decision is recorded; %(name)s can read it.")
                % {"name": found.candidate.name},
            )
            return redirect("careers:case", case_id=found.pk)
    return render(request, "careers/case_decide.html", {"form": form, "case": found, "view": view})
