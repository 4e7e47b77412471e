"""Access matrix rows for the vision cascade."""

from __future__ import annotations

from django.urls import reverse

from tandem.vision.models import Goal
from tandem.vision.services import goal_create, hazard_raise, pulse_open
from tests.access.statuses import DENIED, HIDDEN, LOGIN, OK, Pages
from tests.conftest import Personas


def _acme_hazard(p: Personas) -> str:
    goal: Goal = goal_create(
        organisation=p.organisation,
        team=p.manager_person,
        owner=p.sibling_person,
        title="Ship weekly",
        meaning="We release every week.",
        why="Small releases break less.",
        links_to_vision=True,
        actor=None,
    )
    hazard = hazard_raise(
        goal=goal,
        kind="risk",
        severity=3,
        description="The release pipeline needs a licence.",
        raised_by=p.sibling_person,
        actor=None,
    )
    return reverse("vision:hazard", args=[hazard.pk])


def _acme_pulse(p: Personas) -> str:
    pulse = pulse_open(team=p.manager_person, actor=None)
    return reverse("vision:pulse_answer", args=[pulse.pk])


def _acme_goal(p: Personas) -> str:
    goal: Goal = goal_create(
        organisation=p.organisation,
        team=p.manager_person,
        owner=p.manager_person,
        title="Ship weekly",
        meaning="We release every week.",
        why="Small releases break less.",
        links_to_vision=True,
        actor=None,
    )
    return reverse("vision:goal", args=[goal.pk])


PAGES: Pages = {
    "vision cascade": (
        "get",
        lambda p: reverse("vision:cascade"),
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
    "vision edit": (
        "get",
        lambda p: reverse("vision:edit"),
        [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED],
    ),
    # Only someone who writes some team's goals may add one: Otto's Globex has no teams.
    "vision goal new": (
        "get",
        lambda p: reverse("vision:goal_new"),
        [LOGIN, DENIED, OK, OK, OK, DENIED, DENIED],
    ),
    "vision goal": ("get", _acme_goal, [LOGIN, OK, OK, OK, OK, HIDDEN, DENIED]),
    # The team's manager and the people team name writers; Otto cannot see Acme's team.
    "vision team writers": (
        "get",
        lambda p: reverse("vision:team_writers", args=[p.manager_person.pk]),
        [LOGIN, DENIED, OK, OK, OK, HIDDEN, DENIED],
    ),
    # Leaders: the people team, admins and anyone with reports.
    "vision hazards": (
        "get",
        lambda p: reverse("vision:hazards"),
        [LOGIN, DENIED, OK, OK, OK, OK, DENIED],
    ),
    # Raised by Eli on his own goal: Emma is neither reached nor a leader.
    "vision hazard": ("get", _acme_hazard, [LOGIN, DENIED, OK, OK, OK, HIDDEN, DENIED]),
    "vision pulse": (
        "get",
        lambda p: reverse("vision:pulse"),
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
    # Only members of Manny's team (Emma, Eli) answer his team's pulse.
    "vision pulse answer": (
        "get",
        _acme_pulse,
        [LOGIN, OK, DENIED, DENIED, DENIED, HIDDEN, DENIED],
    ),
    "vision map": ("get", lambda p: reverse("vision:map"), [LOGIN, OK, OK, OK, OK, OK, DENIED]),
    "vision map data": (
        "get",
        lambda p: reverse("vision:map_data"),
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
    # Informal leaders and brokers: the people team and admins only.
    "vision leaders": (
        "get",
        lambda p: reverse("vision:leaders"),
        [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED],
    ),
    "vision leaders survey": (
        "get",
        lambda p: reverse("vision:leaders_survey"),
        [LOGIN, OK, OK, OK, OK, OK, DENIED],
    ),
}

PUBLIC_OR_TESTED_ELSEWHERE = {
    # POST-only; tests/vision/test_views.py checks who may use them.
    "vision:confirm",
    "vision:key_result_new",
    "vision:progress",
    "vision:team_writer_remove",
    "vision:hazard_new",
    "vision:acknowledge",
    "vision:pulse_open",
    "vision:pulse_close",
    "vision:leaders_opt_out",
    "vision:leaders_open",
    "vision:leaders_close",
}

MATRIX_URL_NAMES = {
    "vision:cascade",
    "vision:edit",
    "vision:goal_new",
    "vision:goal",
    "vision:team_writers",
    "vision:hazards",
    "vision:hazard",
    "vision:pulse",
    "vision:pulse_answer",
    "vision:map",
    "vision:map_data",
    "vision:leaders",
    "vision:leaders_survey",
}
