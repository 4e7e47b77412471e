"""Pages of the cascade: the vision, goals and their translations team by team, key results,
named writers, and the interactive map (a page that loads ECharts, and the JSON it draws)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem import access
from tandem.people.models import Organisation, Person
from tandem.vision import selectors
from tandem.vision.forms import GoalForm, HazardForm, KeyResultForm, ProgressForm, VisionForm
from tandem.vision.health import Health
from tandem.vision.models import Goal, KeyResult
from tandem.vision.selectors import PulseScore
from tandem.vision.services import (
    CascadeLoop,
    goal_confirm,
    goal_create,
    goal_update,
    key_result_add,
    key_result_progress,
    team_writer_add,
    team_writer_remove,
    vision_save,
)
from tandem.vision.views._common import goal_of, organisation_of, team_of


def _writable_teams(request: HttpRequest, organisation: Organisation) -> QuerySet[Person]:
    teams = selectors.teams(organisation=organisation)
    return teams.filter(pk__in=access.vision.teams_writable_by(request.user, list(teams)))


def _names(rows: list[selectors.TeamRow], shown: int = 5) -> str:
    """The teams in plain words, naming at most ``shown``: 'the teams of Ann, Bo and Cy'."""
    names = [str(row.team.name) for row in rows]
    if len(names) > shown:
        more = len(rows) - shown
        names = [
            *names[:shown],
            ngettext("%(count)s more", "%(count)s more", more) % {"count": more},
        ]
    if len(names) == 1:
        listed = names[0]
    else:
        # Translators: what separates the names of a list, "Ann, Bo and Cy".
        separator = gettext(", ")
        # Translators: the end of a list of names, "Ann, Bo and Cy".
        listed = gettext("%(names)s and %(last)s") % {
            "names": separator.join(names[:-1]),
            "last": names[-1],
        }
    return ngettext("the team of %(names)s", "the teams of %(names)s", len(rows)) % {
        "names": listed
    }


@login_required
@require_GET
def cascade(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    found = selectors.cascade_get(organisation=organisation)
    scores = selectors.pulse_scores(organisation=organisation)
    teams = [row.team for row in found.teams]
    scored = access.vision.teams_scored_for(request.user, teams)
    named = access.vision.teams_named_by(request.user, teams)
    writable = access.vision.teams_writable_by(request.user, teams)
    layers = [
        {
            "layer": layer.layer,
            "translated": layer.translated,
            "rows": [
                {
                    "row": row,
                    "score_visible": row.team.pk in scored,
                    "score": scores.get(row.team.pk),
                    "can_name": row.team.pk in named,
                }
                for row in layer.rows
            ],
        }
        for layer in found.layers
    ]
    next_teams = found.next_teams
    person = access.person_of(request.user)
    context = {
        "cascade": found,
        "layers": layers,
        "step": found.step,
        "next_names": _names(next_teams) if next_teams else "",
        "next_is_mine": person is not None and any(row.team == person for row in next_teams),
        "next_writable": any(row.team.pk in writable for row in next_teams),
        "stale_count": found.count(Health.STALE),
        "unlinked_count": found.count(Health.UNLINKED),
        "can_edit_vision": access.vision.can_edit_vision(request.user, organisation),
        "can_add_goal": bool(writable),
        "can_view_hazards": access.vision.can_view_hazard_board(request.user, organisation),
        "can_view_leaders": access.vision.can_view_leaders_network(request.user, organisation),
    }
    return render(request, "vision/cascade.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def vision_edit(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    if not access.vision.can_edit_vision(request.user, organisation):
        raise PermissionDenied
    vision = selectors.vision_get(organisation=organisation)
    initial = {"destination": vision.destination, "why": vision.why} if vision else {}
    form = VisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        vision_save(organisation=organisation, actor=request.user, **form.cleaned_data)
        messages.success(
            request, gettext("The vision is saved. Teams below are asked to check theirs.")
        )
        return redirect("vision:cascade")
    return render(request, "vision/vision_edit.html", {"form": form, "vision": vision})


@login_required
@require_http_methods(["GET", "POST"])
def goal_new(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    teams = _writable_teams(request, organisation)
    if not teams.exists():
        raise PermissionDenied
    initial = {}
    person = access.person_of(request.user)
    if person is not None and teams.filter(pk=person.pk).exists():
        initial = {"team": person.pk, "owner": person.pk}
    form = GoalForm(
        request.POST or None,
        initial=initial,
        organisation=organisation,
        teams=teams,
        goals=selectors.goal_choices(organisation=organisation),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        goal = goal_create(
            organisation=organisation,
            team=data["team"],
            owner=data["owner"],
            title=data["title"],
            meaning=data["meaning"],
            why=data["why"],
            parents=list(data["parents"]),
            links_to_vision=data["links_to_vision"],
            actor=request.user,
        )
        messages.success(
            request, gettext("'%(goal)s' is added to the cascade.") % {"goal": goal.title}
        )
        return redirect("vision:goal", goal.pk)
    return render(request, "vision/goal_new.html", {"form": form})


def goal_form(request: HttpRequest, found: Goal, data: QueryDict | None = None) -> GoalForm | None:
    """The form that edits and links a goal, or None for whoever may not edit it."""
    if not access.vision.can_edit_goal(request.user, found):
        return None
    organisation = found.organisation
    return GoalForm(
        data,
        initial={
            "owner": found.owner_id,
            "title": found.title,
            "meaning": found.meaning,
            "why": found.why,
            "links_to_vision": found.links_to_vision,
            "parents": [p.pk for p in found.parents.all()],
        },
        organisation=organisation,
        teams=None,
        goals=selectors.goal_choices(organisation=organisation, below=found),
        with_team=False,
    )


def goal_page_context(
    request: HttpRequest,
    found: Goal,
    *,
    form: GoalForm | None,
    hazard_form: HazardForm | None = None,
) -> dict[str, object]:
    """What the goal page shows; a form passed in (bound, with errors) is shown as it is.

    ``form`` is the goal's edit form from ``goal_form``: None means the user may not edit.
    """
    organisation = found.organisation
    can_raise_hazard = access.vision.can_raise_hazard(request.user, found)
    return {
        "goal": found,
        "health": selectors.goal_health(organisation=organisation, goal=found),
        "form": form,
        "can_edit": form is not None,
        "can_confirm": access.vision.can_confirm_goal(request.user, found),
        "key_result_form": KeyResultForm(),
        "vision": selectors.vision_get(organisation=organisation),
        "hazards": [
            h
            for h in selectors.hazards_of_goal(goal=found)
            if access.vision.can_view_hazard(request.user, h)
        ],
        "hazard_form": (HazardForm() if hazard_form is None else hazard_form)
        if can_raise_hazard
        else None,
    }


@login_required
@require_http_methods(["GET", "POST"])
def goal(request: HttpRequest, goal_id: int) -> HttpResponse:
    found = goal_of(request, goal_id)
    form = goal_form(request, found, request.POST or None)
    if request.method == "POST" and form is None:
        raise PermissionDenied
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            goal_update(
                goal=found,
                owner=data["owner"],
                title=data["title"],
                meaning=data["meaning"],
                why=data["why"],
                parents=list(data["parents"]),
                links_to_vision=data["links_to_vision"],
                actor=request.user,
            )
        except CascadeLoop as error:
            form.add_error("parents", str(error))
        else:
            messages.success(request, gettext("Saved. Your translation counts as confirmed."))
            return redirect("vision:goal", found.pk)
    return render(request, "vision/goal.html", goal_page_context(request, found, form=form))


@login_required
@require_POST
def confirm(request: HttpRequest, goal_id: int) -> HttpResponse:
    found = goal_of(request, goal_id)
    if not access.vision.can_confirm_goal(request.user, found):
        raise PermissionDenied
    goal_confirm(goal=found, actor=request.user)
    messages.success(
        request,
        gettext("'%(goal)s' is confirmed against everything above it.") % {"goal": found.title},
    )
    return redirect("vision:goal", found.pk)


@login_required
@require_POST
def key_result_new(request: HttpRequest, goal_id: int) -> HttpResponse:
    found = goal_of(request, goal_id)
    if not access.vision.can_edit_goal(request.user, found):
        raise PermissionDenied
    form = KeyResultForm(request.POST)
    if form.is_valid():
        key_result_add(goal=found, actor=request.user, **form.cleaned_data)
        messages.success(request, gettext("Key result added."))
    else:
        messages.error(
            request, gettext("The key result needs a title, a target and a number for now.")
        )
    return redirect("vision:goal", found.pk)


@login_required
@require_POST
def progress(request: HttpRequest, key_result_id: int) -> HttpResponse:
    organisation = organisation_of(request)
    key_result = (
        KeyResult.objects.filter(pk=key_result_id, goal__organisation=organisation)
        .select_related("goal__team", "goal__owner", "goal__organisation")
        .first()
    )
    if key_result is None:
        raise Http404
    if not access.vision.can_edit_goal(request.user, key_result.goal):
        raise PermissionDenied
    form = ProgressForm(request.POST)
    if form.is_valid():
        key_result_progress(
            key_result=key_result, current=form.cleaned_data["current"], actor=request.user
        )
        messages.success(request, gettext("Progress recorded."))
    else:
        messages.error(request, gettext("Progress must be a number of zero or more."))
    return redirect("vision:goal", key_result.goal_id)


@login_required
@require_http_methods(["GET", "POST"])
def team_writers(request: HttpRequest, team_id: int) -> HttpResponse:
    """The manager names the members who may write the team's goals with them."""
    team = team_of(request, team_id)
    if not access.vision.can_name_writers(request.user, team):
        raise PermissionDenied
    candidates = selectors.writer_candidates(team=team)
    if request.method == "POST":
        person = candidates.filter(pk=request.POST.get("person") or 0).first()
        if person is None:
            messages.error(request, gettext("Pick a member of the team to name as a writer."))
        else:
            team_writer_add(team=team, person=person, actor=request.user)
            messages.success(
                request,
                gettext("%(name)s can now write the team's goals.") % {"name": person.name},
            )
        return redirect("vision:team_writers", team.pk)
    context = {
        "team": team,
        "writers": selectors.team_writers(team=team),
        "candidates": candidates,
    }
    return render(request, "vision/team_writers.html", context)


@login_required
@require_POST
def team_writer_remove_view(request: HttpRequest, team_id: int, person_id: int) -> HttpResponse:
    team = team_of(request, team_id)
    if not access.vision.can_name_writers(request.user, team):
        raise PermissionDenied
    person = selectors.team_writers(team=team).filter(pk=person_id).first()
    if person is None:
        raise Http404
    team_writer_remove(team=team, person=person, actor=request.user)
    messages.success(
        request, gettext("%(name)s no longer writes the team's goals.") % {"name": person.name}
    )
    return redirect("vision:team_writers", team.pk)


# --- the interactive map ---------------------------------------------------------------------


def _map(request: HttpRequest, organisation: Organisation) -> dict[str, Any]:
    """The map for this reader: understanding scores only for teams they may see."""
    scores = selectors.pulse_scores(organisation=organisation)
    teams = list(selectors.teams(organisation=organisation))
    scored = access.vision.teams_scored_for(request.user, teams)
    visible: dict[int, PulseScore | None] = {
        team.pk: scores.get(team.pk) for team in teams if team.pk in scored
    }
    hazards = None
    if access.vision.can_view_hazard_board(request.user, organisation):
        hazards = selectors.open_hazard_counts(organisation=organisation)
    return selectors.cascade_map(organisation=organisation, scores=visible, open_hazards=hazards)


@login_required
@require_GET
def cascade_map(request: HttpRequest) -> HttpResponse:
    organisation = organisation_of(request)
    data = _map(request, organisation)
    context = {
        "layers": data["layers"],
        "counts": data["counts"],
        "can_view_hazards": access.vision.can_view_hazard_board(request.user, organisation),
        "can_view_leaders": access.vision.can_view_leaders_network(request.user, organisation),
    }
    return render(request, "vision/map.html", context)


@login_required
@require_GET
def cascade_map_data(request: HttpRequest) -> JsonResponse:
    organisation = organisation_of(request)
    response = JsonResponse(_map(request, organisation))
    response["Cache-Control"] = "private, no-store"
    return response
