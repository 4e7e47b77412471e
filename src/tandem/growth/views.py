from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import access
from tandem.growth import selectors
from tandem.growth.forms import (
    ActionUpdateForm,
    FeedbackRequestForm,
    InterestForm,
    LibraryActionForm,
    NewActionForm,
    NoteForm,
)
from tandem.growth.models import (
    FeedbackInvite,
    FocusArea,
    FocusKind,
    HabitAdoption,
    Interest,
    NoteKind,
    PlanAction,
)
from tandem.growth.services import (
    GrowthError,
    action_note_add,
    feedback_answer,
    feedback_close,
    feedback_request_create,
    focus_close,
    habit_adopt,
    habit_settings,
    habit_tick,
    hash_token,
    interest_add,
    interest_remove,
    library_action_create,
    plan_action_create,
    plan_action_update,
    plan_focus_add,
)
from tandem.growth.weeks import IsoWeek
from tandem.people.models import Organisation, Person


def _me(request: HttpRequest) -> tuple[Organisation, Person]:
    organisation = access.organisation_required(request.user)
    if not access.growth.can_use_growth(request.user, organisation):
        raise PermissionDenied
    person = access.person_of(request.user)
    assert person is not None  # can_use_growth checked it
    return organisation, person


def _today() -> IsoWeek:
    return IsoWeek.of(timezone.localdate())


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    organisation, person = _me(request)
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
    organisation, person = _me(request)
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
            messages.success(request, "Your plan is ready. Now pick an action for each focus.")
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
    _, person = _me(request)
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
    _, person = _me(request)
    focus = selectors.focus_get(person=person, focus_id=focus_id)
    if focus is None:
        raise Http404
    focus_close(focus=focus, actor=request.user)
    messages.success(request, f"'{focus.scale_name}' is moved to what you worked on before.")
    return redirect("growth:plan")


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest) -> HttpResponse:
    organisation, person = _me(request)
    if not access.growth.can_edit_plan(request.user, person):
        raise PermissionDenied
    plan = selectors.plan_get(person=person)
    focus_areas = (
        plan.focus_areas.filter(closed_at__isnull=True) if plan else FocusArea.objects.none()
    )
    library = selectors.library(organisation=organisation)
    initial: dict[str, object] = {"owner": person.pk}
    focus_id = request.GET.get("focus", "")
    chosen_focus = focus_areas.filter(pk=focus_id).first() if focus_id.isdigit() else None
    if chosen_focus is not None:
        initial["focus"] = chosen_focus.pk
    from_library = request.GET.get("from", "")
    template = (
        selectors.library_action_get(organisation=organisation, action_id=int(from_library))
        if from_library.isdigit()
        else None
    )
    if template is not None:
        initial.update(
            title=template.title, success=template.success_hint, library_action=template.pk
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
        messages.success(request, f"'{created.title}' is in your plan.")
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
        messages.success(request, "Saved.")
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
            request, "Comment added." if kind == NoteKind.COMMENT else "Check-in recorded."
        )
    else:
        messages.error(request, "Write something first.")
    return redirect("growth:action", found.pk)


# --- library, interests, team ----------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def library(request: HttpRequest) -> HttpResponse:
    organisation = access.organisation_required(request.user)
    if not access.growth.can_use_growth(request.user, organisation) and not (
        access.growth.can_manage_library(request.user, organisation)
    ):
        raise PermissionDenied
    can_manage = access.growth.can_manage_library(request.user, organisation)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    person = access.person_of(request.user)
    names = selectors.scale_names(person=person)
    form = (
        LibraryActionForm(request.POST or None, scales=list(names.items())) if can_manage else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        created = library_action_create(
            organisation=organisation, actor=request.user, **form.cleaned_data
        )
        messages.success(request, f"'{created.title}' is in the library.")
        return redirect("growth:library")
    rows = [
        {"action": a, "grows": ", ".join(names.get(s, s) for s in a.scale_ids)}
        for a in selectors.library(organisation=organisation)
    ]
    context = {"rows": rows, "form": form}
    return render(request, "growth/library.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def interests(request: HttpRequest) -> HttpResponse:
    _, person = _me(request)
    form = InterestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            interest_add(person=person, text=form.cleaned_data["text"], actor=request.user)
        except GrowthError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, "Added. Your manager sees it next to your strengths.")
            return redirect("growth:interests")
    context = {"form": form, "interests": selectors.interests_of(person=person)}
    return render(request, "growth/interests.html", context)


@login_required
@require_POST
def interest_delete(request: HttpRequest, interest_id: int) -> HttpResponse:
    _, person = _me(request)
    found = Interest.objects.filter(pk=interest_id, person=person).first()
    if found is None:
        raise Http404
    interest_remove(interest=found, actor=request.user)
    messages.success(request, "Removed.")
    return redirect("growth:interests")


@login_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    organisation, person = _me(request)
    if not access.growth.can_view_team(request.user, organisation):
        raise PermissionDenied
    members = selectors.team_overview(
        manager=person,
        may_see=lambda participant: access.growth.can_view_strengths_of(request.user, participant),
    )
    return render(request, "growth/team.html", {"members": members})


# --- quick feedback --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def feedback_list(request: HttpRequest) -> HttpResponse:
    organisation, person = _me(request)
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
            messages.success(request, "Asked. Each colleague gets a link of their own by email.")
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
    messages.success(request, "Closed: no more answers are collected.")
    return redirect("growth:feedback", found.pk)


def _answer_values(request: HttpRequest, invite: FeedbackInvite) -> dict[str, int | None]:
    values: dict[str, int | None] = {}
    for scale in invite.request.questions["scales"]:
        for item in scale["items"]:
            raw = request.POST.get(f"item-{item['id']}", "")
            values[item["id"]] = int(raw) if raw.lstrip("-").isdigit() and raw != "0" else None
    return values


def _answer_page(request: HttpRequest, invite: FeedbackInvite, *, action: str) -> HttpResponse:
    feedback_request = invite.request
    if request.method == "POST":
        try:
            feedback_answer(
                invite=invite, values=_answer_values(request, invite), actor=request.user
            )
        except GrowthError as error:
            messages.error(request, str(error))
        else:
            return render(request, "growth/feedback_thanks.html", {"feedback": feedback_request})
    questions = feedback_request.questions
    low, high = int(questions["minimum"]), int(questions["maximum"])
    context = {
        "invite": invite,
        "feedback": feedback_request,
        "questions": questions,
        "choices": [
            (str(v), questions["labels"].get(str(v), str(v))) for v in range(low, high + 1)
        ],
        "action": action,
        "minimum": int(feedback_request.minimums.get("other", 3)),
    }
    return render(request, "growth/feedback_answer.html", context)


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


# --- habits ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def habits(request: HttpRequest) -> HttpResponse:
    organisation, person = _me(request)
    sets = selectors.habit_sets_for(organisation=organisation)
    if request.method == "POST":
        chosen = sets.filter(pk=request.POST.get("habit_set", "0") or 0).first()
        if chosen is None:
            messages.error(request, "Choose a habit set.")
        else:
            habit_adopt(person=person, habit_set=chosen, actor=request.user)
            messages.success(request, f"You keep '{chosen.name}' now. Tick as you go.")
        return redirect("growth:habits")
    weeks = selectors.habit_weeks(person=person, today=timezone.localdate())
    kept = {w.adoption.habit_set_id for w in weeks}
    context = {"weeks": weeks, "offered": [s for s in sets if s.pk not in kept]}
    return render(request, "growth/habits.html", context)


def _adoption(request: HttpRequest, adoption_id: int) -> HabitAdoption:
    _, person = _me(request)
    adoption = selectors.adoption_get(person=person, adoption_id=adoption_id)
    if adoption is None:
        raise Http404
    if not access.growth.can_keep_habits(request.user, adoption):
        raise PermissionDenied
    return adoption


@login_required
@require_POST
def habit_week(request: HttpRequest, adoption_id: int) -> HttpResponse:
    """Save this week's checklist: every habit of the set ticked or not."""
    adoption = _adoption(request, adoption_id)
    week = _today()
    ticked = set(request.POST.getlist("habit"))
    for habit in adoption.habit_set.habits.all():
        habit_tick(
            adoption=adoption,
            habit=habit,
            week=week,
            done=str(habit.pk) in ticked,
            actor=request.user,
        )
    messages.success(request, f"Week {week.week} saved.")
    return redirect(reverse("growth:habits") + f"#set-{adoption.pk}")


@login_required
@require_POST
def habit_options(request: HttpRequest, adoption_id: int) -> HttpResponse:
    adoption = _adoption(request, adoption_id)
    habit_settings(
        adoption=adoption,
        active=request.POST.get("active") != "off",
        reminders=request.POST.get("reminders") == "on",
        actor=request.user,
    )
    messages.success(request, "Saved.")
    return redirect("growth:habits")


# --- progress --------------------------------------------------------------------------------


@login_required
@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    _, person = _me(request)
    if not access.growth.can_view_progress(request.user, person):
        raise PermissionDenied
    return render(
        request, "growth/progress.html", {"progress": selectors.progress_for(person=person)}
    )
