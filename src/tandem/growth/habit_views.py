"""Weekly habit pages: private to the person. The people team makes the organisation's own
habit sets here too, and never sees who keeps them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods, require_POST

from tandem import access
from tandem.growth import selectors
from tandem.growth.forms import HabitSetForm
from tandem.growth.models import HabitAdoption, HabitSet
from tandem.growth.pages import me, this_week
from tandem.growth.services import (
    GrowthError,
    habit_adopt,
    habit_set_create,
    habit_set_retire,
    habit_set_update,
    habit_settings,
    habit_tick,
)

# --- habits ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def habits(request: HttpRequest) -> HttpResponse:
    organisation, person = me(request)
    sets = selectors.habit_sets_for(organisation=organisation)
    if request.method == "POST":
        chosen = sets.filter(pk=request.POST.get("habit_set", "0") or 0).first()
        if chosen is None:
            messages.error(request, gettext("Choose a habit set."))
            return redirect("growth:habits")
        try:
            habit_adopt(person=person, habit_set=chosen, actor=request.user)
        except GrowthError as error:  # retired while the page was open
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext("You keep '%(name)s' now. Tick as you go.") % {"name": chosen.shown_name},
            )
        return redirect("growth:habits")
    weeks = selectors.habit_weeks(person=person, today=timezone.localdate())
    kept = {w.adoption.habit_set_id for w in weeks}
    context = {
        "weeks": weeks,
        "offered": [s for s in sets if s.pk not in kept],
        "can_manage_sets": access.growth.can_manage_habit_sets(request.user, organisation),
    }
    return render(request, "growth/habits.html", context)


def _adoption(request: HttpRequest, adoption_id: int) -> HabitAdoption:
    _, person = me(request)
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
    week = this_week()
    ticked = set(request.POST.getlist("habit"))
    for habit in adoption.habit_set.habits.all():
        habit_tick(
            adoption=adoption,
            habit=habit,
            week=week,
            done=str(habit.pk) in ticked,
            actor=request.user,
        )
    messages.success(request, gettext("Week %(week)s saved.") % {"week": week.week})
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
    messages.success(request, gettext("Saved."))
    return redirect("growth:habits")


# --- habit sets the people team makes ---------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def habit_sets(request: HttpRequest) -> HttpResponse:
    organisation = access.organisation_required(request.user)
    if not access.growth.can_manage_habit_sets(request.user, organisation):
        raise PermissionDenied
    form = HabitSetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = habit_set_create(
                organisation=organisation, actor=request.user, **form.cleaned_data
            )
        except GrowthError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                gettext("'%(name)s' is offered on everyone's habits page.")
                % {"name": created.name},
            )
            return redirect(reverse("growth:habit_sets") + f"#set-{created.pk}")
    rows = [
        {"set": found, "change": access.growth.habit_set_change(request.user, found)}
        for found in selectors.habit_sets_made_by(organisation=organisation)
    ]
    status = 400 if form.is_bound else 200
    return render(request, "growth/habit_sets.html", {"rows": rows, "form": form}, status=status)


def _managed_set(request: HttpRequest, habit_set_id: int) -> HabitSet:
    """403 for anyone but the people team; 404 for sets their organisation does not see."""
    organisation = access.organisation_required(request.user)
    if not access.growth.can_manage_habit_sets(request.user, organisation):
        raise PermissionDenied
    found = selectors.habit_set_find(organisation=organisation, habit_set_id=habit_set_id)
    if found is None:
        raise Http404
    return found


def _back_to(habit_set: HabitSet) -> HttpResponse:
    return redirect(reverse("growth:habit_sets") + f"#set-{habit_set.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def habit_set_edit(request: HttpRequest, habit_set_id: int) -> HttpResponse:
    habit_set = _managed_set(request, habit_set_id)
    refused = access.growth.habit_set_change(request.user, habit_set).edit_refused
    if refused:
        messages.info(request, str(refused))
        return _back_to(habit_set)
    form = HabitSetForm(
        request.POST or None,
        initial={
            "name": habit_set.name,
            "description": habit_set.description,
            "habits": "\n".join(habit.text for habit in habit_set.habits.all()),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            habit_set_update(habit_set=habit_set, actor=request.user, **form.cleaned_data)
        except GrowthError as error:  # adopted while it was being edited, say
            form.add_error(None, str(error))
        else:
            messages.success(
                request, gettext("Saved '%(name)s'.") % {"name": form.cleaned_data["name"]}
            )
            return _back_to(habit_set)
    status = 400 if form.is_bound else 200
    context = {"habit_set": habit_set, "form": form}
    return render(request, "growth/habit_set_edit.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def habit_set_retire_view(request: HttpRequest, habit_set_id: int) -> HttpResponse:
    """Asks first; retires only on the confirming POST."""
    habit_set = _managed_set(request, habit_set_id)
    refused = access.growth.habit_set_change(request.user, habit_set).retire_refused
    if refused:
        messages.info(request, str(refused))
        return _back_to(habit_set)
    if request.method == "POST":
        try:
            habit_set_retire(habit_set=habit_set, actor=request.user)
        except GrowthError as error:
            messages.info(request, str(error))
        else:
            messages.success(
                request,
                gettext("'%(name)s' is retired. Those who keep it carry on.")
                % {"name": habit_set.name},
            )
        return _back_to(habit_set)
    return render(request, "growth/habit_set_retire.html", {"habit_set": habit_set})
