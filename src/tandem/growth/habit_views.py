"""Weekly habit pages: private to the person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from tandem import access
from tandem.growth import selectors
from tandem.growth.models import (
    HabitAdoption,
)
from tandem.growth.pages import me, this_week
from tandem.growth.services import (
    habit_adopt,
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
