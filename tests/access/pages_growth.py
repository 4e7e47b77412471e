"""Access matrix rows for growth: plans, habits, quick feedback, progress."""

from __future__ import annotations

from django.urls import reverse

from tandem.growth.models import FeedbackInvite, LibraryAction
from tandem.growth.services import (
    feedback_request_create,
    habit_set_create,
    hash_token,
    library_action_create,
    plan_action_create,
)
from tandem.measure import load_instrument
from tests.access.statuses import DENIED, HIDDEN, LOGIN, OK, Pages
from tests.conftest import Personas
from tests.factories import make_person
from tests.growth.factories import make_released_result

# Signed in with a place in an organisation: every role but the superuser, who has none.
EVERY_MEMBER = [LOGIN, OK, OK, OK, OK, OK, DENIED]
REDIRECT = 302
# The people team and admins of Acme change Acme's own library actions and habit sets; Otto,
# an admin of Globex, must not even find them.
ACME_PEOPLE_TEAM = [LOGIN, DENIED, DENIED, OK, OK, HIDDEN, DENIED]


def _plan_new(p: Personas) -> str:
    participant = make_released_result(p.employee_person)
    return reverse("growth:plan_new", args=[participant.pk])


def _employee_action(p: Personas) -> str:
    action = plan_action_create(
        person=p.employee_person,
        title="Shadow a senior leader",
        owner=p.employee_person,
        due_on=None,
        success="Three things tried since.",
        actor=None,
    )
    return reverse("growth:action", args=[action.pk])


def _employee_feedback(p: Personas) -> FeedbackInvite:
    colleagues = [make_person(p.organisation, f"Colleague {n}") for n in range(2)]
    request = feedback_request_create(
        person=p.employee_person,
        instrument=load_instrument("tandem-lm-1"),
        scale_ids=["setting_direction"],
        respondents=[p.manager_person, *colleagues],
        actor=None,
    )
    return request.invites.get(respondent=p.manager_person)


def _feedback_request(p: Personas) -> str:
    return reverse("growth:feedback", args=[_employee_feedback(p).request_id])


def _feedback_answer(p: Personas) -> str:
    return reverse("growth:feedback_answer", args=[_employee_feedback(p).pk])


def _feedback_link(p: Personas) -> str:
    invite = _employee_feedback(p)
    invite.token_hash = hash_token("a-known-token-for-the-matrix")
    invite.save(update_fields=["token_hash"])
    return reverse("growth:feedback_answer_link", args=["a-known-token-for-the-matrix"])


def _acme_action(p: Personas) -> LibraryAction:
    return library_action_create(
        organisation=p.organisation,
        title="Run the all-hands",
        description="Once a quarter.",
        scale_ids=["setting_direction"],
        actor=p.hr,
    )


def _acme_habit_set(p: Personas) -> int:
    habit_set = habit_set_create(
        organisation=p.organisation,
        name="Two a week",
        description="Small.",
        habits=["Thank someone", "Ask a question"],
        actor=p.hr,
    )
    return habit_set.pk


def _shipped_action(p: Personas) -> int:
    return LibraryAction.objects.get(organisation=None, key="shadow-senior-leader").pk


PAGES: Pages = {
    "growth home": ("get", lambda p: reverse("growth:home"), EVERY_MEMBER),
    "growth plan": ("get", lambda p: reverse("growth:plan"), EVERY_MEMBER),
    # Only the person assessed builds a plan from their own released report.
    "growth plan new": (
        "get",
        _plan_new,
        [LOGIN, OK, DENIED, DENIED, DENIED, HIDDEN, DENIED],
    ),
    "growth action new": ("get", lambda p: reverse("growth:action_new"), EVERY_MEMBER),
    # A plan is for the person (sent to their own page) and the managers above them.
    "growth person plan": (
        "get",
        lambda p: reverse("growth:person_plan", args=[p.employee_person.pk]),
        [LOGIN, REDIRECT, OK, DENIED, OK, HIDDEN, DENIED],
    ),
    "growth action": (
        "get",
        _employee_action,
        [LOGIN, OK, OK, DENIED, OK, HIDDEN, DENIED],
    ),
    "growth library": ("get", lambda p: reverse("growth:library"), EVERY_MEMBER),
    "growth library edit": (
        "get",
        lambda p: reverse("growth:library_edit", args=[_acme_action(p).pk]),
        ACME_PEOPLE_TEAM,
    ),
    "growth library retire": (
        "get",
        lambda p: reverse("growth:library_retire", args=[_acme_action(p).pk]),
        ACME_PEOPLE_TEAM,
    ),
    # POST-only, asked with no data. Tandem's own actions are in every organisation's library,
    # so Otto hides one from (and shows it in) Globex's.
    "growth library hide": (
        "post",
        lambda p: reverse("growth:library_hide", args=[_shipped_action(p)]),
        [LOGIN, DENIED, DENIED, REDIRECT, REDIRECT, REDIRECT, DENIED],
    ),
    "growth library show": (
        "post",
        lambda p: reverse("growth:library_show", args=[_shipped_action(p)]),
        [LOGIN, DENIED, DENIED, REDIRECT, REDIRECT, REDIRECT, DENIED],
    ),
    "growth interests": ("get", lambda p: reverse("growth:interests"), EVERY_MEMBER),
    # Anyone with direct reports: Manny and Ada in Acme; Otto has none in Globex.
    "growth team": (
        "get",
        lambda p: reverse("growth:team"),
        [LOGIN, DENIED, OK, DENIED, OK, DENIED, DENIED],
    ),
    "growth feedback list": ("get", lambda p: reverse("growth:feedback_list"), EVERY_MEMBER),
    # Only the person who asked sees the request.
    "growth feedback": (
        "get",
        _feedback_request,
        [LOGIN, OK, DENIED, DENIED, DENIED, HIDDEN, DENIED],
    ),
    # Signed in, only the colleague asked (Manny here) answers from their inbox.
    "growth feedback answer": (
        "get",
        _feedback_answer,
        [LOGIN, DENIED, OK, DENIED, DENIED, HIDDEN, DENIED],
    ),
    # Holding the emailed link is the permission: it works signed in or not.
    "growth feedback answer link": ("get", _feedback_link, [OK, OK, OK, OK, OK, OK, OK]),
    "growth habits": ("get", lambda p: reverse("growth:habits"), EVERY_MEMBER),
    # Each organisation's people team sees its own sets: Otto sees Globex's.
    "growth habit sets": (
        "get",
        lambda p: reverse("growth:habit_sets"),
        [LOGIN, DENIED, DENIED, OK, OK, OK, DENIED],
    ),
    "growth habit set edit": (
        "get",
        lambda p: reverse("growth:habit_set_edit", args=[_acme_habit_set(p)]),
        ACME_PEOPLE_TEAM,
    ),
    "growth habit set retire": (
        "get",
        lambda p: reverse("growth:habit_set_retire", args=[_acme_habit_set(p)]),
        ACME_PEOPLE_TEAM,
    ),
    "growth progress": ("get", lambda p: reverse("growth:progress"), EVERY_MEMBER),
}

PUBLIC_OR_TESTED_ELSEWHERE = {
    # POST-only; tests/growth/test_views.py, test_plans.py and test_habits.py check who may
    # use them.
    "growth:focus_done",
    "growth:action_note",
    "growth:interest_remove",
    "growth:feedback_close",
    "growth:habit_week",
    "growth:habit_options",
}

MATRIX_URL_NAMES = {
    "growth:home",
    "growth:plan",
    "growth:plan_new",
    "growth:action_new",
    "growth:person_plan",
    "growth:action",
    "growth:library",
    "growth:library_edit",
    "growth:library_retire",
    "growth:library_hide",
    "growth:library_show",
    "growth:interests",
    "growth:team",
    "growth:feedback_list",
    "growth:feedback",
    "growth:feedback_answer",
    "growth:feedback_answer_link",
    "growth:habits",
    "growth:habit_sets",
    "growth:habit_set_edit",
    "growth:habit_set_retire",
    "growth:progress",
}
