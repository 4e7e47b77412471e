from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import access
from tandem.growth import selectors
from tandem.growth.forms import (
    ActionUpdateForm,
    InterestForm,
    NewActionForm,
    NoteForm,
)
from tandem.growth.models import (
    FocusArea,
    FocusKind,
    Interest,
    NoteKind,
    PlanAction,
)
from tandem.growth.pages import me
from tandem.growth.services import (
    GrowthError,
    action_note_add,
    focus_close,
    interest_add,
    interest_remove,
    plan_action_create,
    plan_action_update,
    plan_focus_add,
)
from tandem.people.models import Person
from tandem.web.inputs import whole_number


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    organisation, person = me(request)
    plan = selectors.plan_get(person=person)
    latest = selectors.latest_participant(person=person)
    context = {
        "plan": plan,
        "latest": latest,
        "habit_weeks": selectors.habit_weeks(person=person, today=timezone.localdate()),
        "inbox": selectors.feedback_inbox(person=person),
        "can_view_team": access.growth.can_view_team(request.user, organisation),
    }
    return render(request, "growth/home.html", context)


# --- plans -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, participant_id: int) -> HttpResponse:
    organisation, person = me(request)
    participant = selectors.released_participant(
        organisation=organisation, participant_id=participant_id
    )
    if participant is None:
        raise Http404
    if not access.growth.can_build_plan_from(request.user, participant):
        raise PermissionDenied
    result = selectors.result_of(participant)
    suggestions = selectors.suggestions_for(result)
    plan = selectors.plan_get(person=person)
    current = (
        {(f.scale_id, f.kind) for f in plan.focus_areas.all() if f.closed_at is None}
        if plan
        else set()
    )
    if request.method == "POST":
        choices = []
        for value in request.POST.getlist("focus"):
            kind, _, scale_id = value.partition(":")
            choices.append((scale_id, kind))
        reasons = {
            f"{s.kind}:{s.scale_id}": s.reason for s in (*suggestions.strengths, *suggestions.gaps)
        }
        try:
            plan_focus_add(
                person=person,
                choices=choices,
                instrument=result.instrument,
                cycle=participant.cycle,
                reasons=reasons,
                actor=request.user,
            )
        except GrowthError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, gettext("Your plan is ready. Now pick an action for each focus.")
            )
            return redirect("growth:plan")
    suggested = {f"{s.kind}:{s.scale_id}" for s in (*suggestions.strengths, *suggestions.gaps)}
    rows = []
    for scale in result.instrument.scales:
        rows.append(
            {
                "scale": scale,
                "others": result.others_scores.get(scale.id),
                "self": result.self_scores.get(scale.id),
                "percentile": result.percentiles.get(scale.id),
            }
        )
    context = {
        "participant": participant,
        "result": result,
        "suggestions": suggestions,
        "suggested": suggested,
        "current": {f"{kind}:{sid}" for sid, kind in current},
        "rows": rows,
        "kinds": FocusKind,
    }
    return render(request, "growth/plan_new.html", context)


def _plan_page(request: HttpRequest, person: Person, *, own: bool) -> HttpResponse:
    plan = selectors.plan_get(person=person)
    actions = list(plan.actions.all()) if plan else []
    context = {
        "person": person,
        "plan": plan,
        "open_focus": [f for f in plan.focus_areas.all() if f.closed_at is None] if plan else [],
        "closed_focus": [f for f in plan.focus_areas.all() if f.closed_at] if plan else [],
        "actions": actions,
        "own": own,
        "latest": selectors.latest_participant(person=person) if own else None,
    }
    return render(request, "growth/plan.html", context)


@login_required
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    _, person = me(request)
    return _plan_page(request, person, own=True)


@login_required
@require_GET
def person_plan(request: HttpRequest, person_id: int) -> HttpResponse:
    organisation = access.organisation_required(request.user)
    person = Person.objects.filter(pk=person_id, organisation=organisation).first()
    if person is None:
        raise Http404
    if not access.growth.can_view_plan(request.user, person):
        raise PermissionDenied
    if access.person_of(request.user) == person:
        return redirect("growth:plan")
    return _plan_page(request, person, own=False)


@login_required
@require_POST
def focus_done(request: HttpRequest, focus_id: int) -> HttpResponse:
    _, person = me(request)
    focus = selectors.focus_get(person=person, focus_id=focus_id)
    if focus is None:
        raise Http404
    focus_close(focus=focus, actor=request.user)
    messages.success(
        request,
        gettext("'%(scale)s' is moved to what you worked on before.") % {"scale": focus.scale_name},
    )
    return redirect("growth:plan")


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest) -> HttpResponse:
    organisation, person = me(request)
    if not access.growth.can_edit_plan(request.user, person):
        raise PermissionDenied
    plan = selectors.plan_get(person=person)
    focus_areas = (
        plan.focus_areas.filter(closed_at__isnull=True) if plan else FocusArea.objects.none()
    )
    # A library action retired after the page was opened still links the new plan action.
    library = selectors.library_all(organisation=organisation)
    initial: dict[str, object] = {"owner": person.pk}
    focus_id = whole_number(request.GET.get("focus"))
    chosen_focus = focus_areas.filter(pk=focus_id).first() if focus_id is not None else None
    if chosen_focus is not None:
        initial["focus"] = chosen_focus.pk
    from_library = whole_number(request.GET.get("from"))
    template = (
        selectors.library_action_get(organisation=organisation, action_id=from_library)
        if from_library is not None
        else None
    )
    if template is not None:
        initial.update(
            title=template.shown_title,
            success=template.shown_success_hint,
            library_action=template.pk,
        )
    form = NewActionForm(
        request.POST or None,
        initial=initial,
        owners=selectors.owner_choices(person=person),
        focus_areas=focus_areas,
        library=library,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created = plan_action_create(
            person=person,
            title=data["title"],
            owner=data["owner"],
            due_on=data["due_on"],
            success=data["success"],
            focus=data["focus"],
            library_action=data["library_action"],
            actor=request.user,
        )
        messages.success(
            request, gettext("'%(title)s' is in your plan.") % {"title": created.title}
        )
        return redirect("growth:plan")
    scale_ids = [chosen_focus.scale_id] if chosen_focus else [f.scale_id for f in focus_areas]
    names = selectors.scale_names(person=person)
    fits = [
        {"action": fit.action, "grows": ", ".join(names.get(s, s) for s in fit.matches)}
        for fit in selectors.actions_that_fit(organisation=organisation, scale_ids=scale_ids)
    ]
    context = {"form": form, "fits": fits, "chosen_focus": chosen_focus, "template": template}
    return render(request, "growth/action_new.html", context)


def _action(request: HttpRequest, action_id: int) -> PlanAction:
    organisation = access.organisation_required(request.user)
    found = selectors.action_get(organisation=organisation, action_id=action_id)
    if found is None:
        raise Http404
    if not access.growth.can_view_plan(request.user, found.plan.person):
        raise PermissionDenied
    return found


@login_required
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, action_id: int) -> HttpResponse:
    found = _action(request, action_id)
    person = found.plan.person
    can_update = access.growth.can_update_action(request.user, found)
    if request.method == "POST" and not can_update:
        raise PermissionDenied
    form = None
    if can_update:
        form = ActionUpdateForm(
            request.POST or None,
            initial={
                "title": found.title,
                "status": found.status,
                "owner": found.owner_id,
                "due_on": found.due_on,
                "success": found.success,
            },
            owners=selectors.owner_choices(person=person),
        )
    if request.method == "POST" and form is not None and form.is_valid():
        plan_action_update(action=found, actor=request.user, **form.cleaned_data)
        messages.success(request, gettext("Saved."))
        return redirect("growth:action", found.pk)
    context = {
        "action": found,
        "person": person,
        "form": form,
        "can_check_in": access.growth.can_check_in(request.user, found),
        "can_comment": access.growth.can_comment_on_action(request.user, found),
        "note_form": NoteForm(),
        "own": access.person_of(request.user) == person,
    }
    return render(request, "growth/action.html", context)


@login_required
@require_POST
def action_note(request: HttpRequest, action_id: int) -> HttpResponse:
    found = _action(request, action_id)
    if access.growth.can_comment_on_action(request.user, found):
        kind = NoteKind.COMMENT
    elif access.growth.can_check_in(request.user, found):
        kind = NoteKind.CHECK_IN
    else:
        raise PermissionDenied
    author = access.person_of(request.user)
    assert author is not None  # both rules require a person
    form = NoteForm(request.POST)
    if form.is_valid():
        action_note_add(
            action=found,
            author=author,
            kind=kind,
            text=form.cleaned_data["text"],
            actor=request.user,
        )
        messages.success(
            request,
            gettext("Comment added.")
            if kind == NoteKind.COMMENT
            else gettext("Check-in recorded."),
        )
    else:
        messages.error(request, gettext("Write something first."))
    return redirect("growth:action", found.pk)


# --- interests, team -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def interests(request: HttpRequest) -> HttpResponse:
    _, person = me(request)
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interest_add(person=person, text=form.cleaned_data["text"], actor=request.user)
        except GrowthError as error:
            form.add_error("text", str(error))
        else:
            messages.success(
                request, gettext("Added. Your manager sees it next to your strengths.")
            )
            return redirect("growth:interests")
    context = {"form": form, "interests": selectors.interests_of(person=person)}
    return render(request, "growth/interests.html", context)


@login_required
@require_POST
def interest_delete(request: HttpRequest, interest_id: int) -> HttpResponse:
    _, person = me(request)
    found = Interest.objects.filter(pk=interest_id, person=person).first()
    if found is None:
        raise Http404
    interest_remove(interest=found, actor=request.user)
    messages.success(request, gettext("Removed."))
    return redirect("growth:interests")


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    organisation, person = me(request)
    if not access.growth.can_view_team(request.user, organisation):
        raise PermissionDenied
    members = selectors.team_overview(
        manager=person,
        may_see=lambda participant: access.growth.can_view_strengths_of(request.user, participant),
    )
    return render(request, "growth/team.html", {"members": members})


# --- progress --------------------------------------------------------------------------------


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    _, person = me(request)
    if not access.growth.can_view_progress(request.user, person):
        raise PermissionDenied
    return render(
        request, "growth/progress.html", {"progress": selectors.progress_for(person=person)}
    )
