"""Who may see and do what in development plans, habits, quick feedback and progress.

Growth is personal. A plan is the person's own; their managers (anyone above them in the
reporting lines) may read it and comment on its actions. Habits, quick-feedback results and
progress across cycles are for the person alone. A manager's team view shows only what each
person's released report shows, and only for people who let their manager see their report.
The people team (and admins) keep the organisation's library of actions and its own habit
sets; Tandem's own are never changed, and another organisation's are never seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from tandem.access.core import in_organisation, is_manager, is_people_team, manages, person_of
from tandem.people.models import Organisation, Person

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    from tandem.cycles.models import Participant
    from tandem.growth.models import (
        FeedbackInvite,
        FeedbackRequest,
        HabitAdoption,
        HabitSet,
        LibraryAction,
        PlanAction,
    )


def can_use_growth(user: Any, organisation: Organisation) -> bool:
    """Growth pages are for members with a place in the organisation (a person)."""
    if not in_organisation(user, organisation):
        return False
    return person_of(user) is not None


def can_build_plan_from(user: Any, participant: Participant) -> bool:
    """Only the person assessed builds a plan from their own released report."""
    if not in_organisation(user, participant.cycle.organisation):
        return False
    if participant.cycle.status != "released":
        return False
    return person_of(user) == participant.person


def can_view_plan(user: Any, person: Person) -> bool:
    """The person and their managers; not the people team: a plan is personal."""
    if not in_organisation(user, person.organisation):
        return False
    if person_of(user) == person:
        return True
    return manages(user, person)


def can_edit_plan(user: Any, person: Person) -> bool:
    """Focus areas and new actions are the person's choice."""
    if not in_organisation(user, person.organisation):
        return False
    return person_of(user) == person


def can_update_action(user: Any, action: PlanAction) -> bool:
    """The plan's person and the action's owner change its details and status."""
    person = action.plan.person
    if not in_organisation(user, person.organisation):
        return False
    own = person_of(user)
    if own is None:
        return False
    return own == person or own.pk == action.owner_id


def can_check_in(user: Any, action: PlanAction) -> bool:
    return can_update_action(user, action)


def can_comment_on_action(user: Any, action: PlanAction) -> bool:
    """Managers above the person comment on the actions in their plan."""
    person = action.plan.person
    if not in_organisation(user, person.organisation):
        return False
    return manages(user, person)


def can_manage_library(user: Any, organisation: Organisation) -> bool:
    """The people team adds the organisation's own development actions."""
    return is_people_team(user, organisation)


# --- the library and habit sets: what the people team may change -------------------------

NOT_PEOPLE_TEAM = gettext_lazy("Only your organisation's people team can change this.")
SHIPPED_ACTION = gettext_lazy(
    "Tandem's own actions cannot be edited. Hide it from your library and add your own "
    "version instead."
)
RETIRED_ACTION = gettext_lazy(
    "This action is retired: it is no longer offered, and plans made from it keep their "
    "actions as they were."
)
SHIPPED_SET = gettext_lazy("Tandem's own habit sets cannot be changed.")
RETIRED_SET = gettext_lazy(
    "This habit set is retired: nobody new can adopt it, and those who keep it carry on."
)
ADOPTED_SET = gettext_lazy(
    "Someone has adopted this habit set, so it stays as they adopted it. To change it, retire "
    "it and make a new one."
)


@dataclass(frozen=True)
class Change:
    """Why a user may not edit or retire a library action or habit set, or None where they may."""

    edit_refused: _StrOrPromise | None
    retire_refused: _StrOrPromise | None

    @property
    def can_edit(self) -> bool:
        return self.edit_refused is None

    @property
    def can_retire(self) -> bool:
        return self.retire_refused is None


def library_action_change(user: Any, action: LibraryAction) -> Change:
    """Whether ``user`` may edit or retire a library action. The rules, in order:

    1. Tandem's own actions (no organisation) are never changed: an organisation hides them;
    2. only the people team of the action's organisation;
    3. a retired action stays as it was.
    """
    if action.organisation is None:
        refused: _StrOrPromise | None = SHIPPED_ACTION
    elif not can_manage_library(user, action.organisation):
        refused = NOT_PEOPLE_TEAM
    elif action.retired_at is not None:
        refused = RETIRED_ACTION
    else:
        refused = None
    return Change(edit_refused=refused, retire_refused=refused)


def can_edit_library_action(user: Any, action: LibraryAction) -> bool:
    return library_action_change(user, action).can_edit


def can_retire_library_action(user: Any, action: LibraryAction) -> bool:
    return library_action_change(user, action).can_retire


def can_hide_library_action(user: Any, organisation: Organisation, action: LibraryAction) -> bool:
    """The people team hides one of Tandem's own actions from their organisation's library, and
    shows it again. Their own actions are retired instead."""
    if action.organisation_id is not None:
        return False
    return can_manage_library(user, organisation)


def can_manage_habit_sets(user: Any, organisation: Organisation) -> bool:
    """Whoever manages the library makes the organisation's own habit sets."""
    return can_manage_library(user, organisation)


def habit_set_change(user: Any, habit_set: HabitSet) -> Change:
    """Whether ``user`` may edit or retire a habit set. The rules, in order:

    1. Tandem's own sets (no organisation) are never changed;
    2. only the people team of the set's organisation;
    3. a retired set stays as it is;
    4. once anyone has adopted it (even if they stopped since: their ticked weeks name its
       habits) it can be retired but no longer edited.
    """
    if habit_set.organisation is None:
        refused: _StrOrPromise | None = SHIPPED_SET
    elif not can_manage_habit_sets(user, habit_set.organisation):
        refused = NOT_PEOPLE_TEAM
    elif habit_set.retired_at is not None:
        refused = RETIRED_SET
    else:
        refused = None
    adopted = refused is None and _ever_adopted(habit_set)
    return Change(edit_refused=ADOPTED_SET if adopted else refused, retire_refused=refused)


def _ever_adopted(habit_set: HabitSet) -> bool:
    """From the ``adopted`` annotation when a list page read it (no query per set), else
    asked of the database (services ask on the row they have locked)."""
    known = getattr(habit_set, "adopted", None)
    if known is not None:
        return bool(known)
    return bool(habit_set.adoptions.exists())


def can_edit_habit_set(user: Any, habit_set: HabitSet) -> bool:
    return habit_set_change(user, habit_set).can_edit


def can_retire_habit_set(user: Any, habit_set: HabitSet) -> bool:
    return habit_set_change(user, habit_set).can_retire


def can_view_team(user: Any, organisation: Organisation) -> bool:
    """The team view (strengths and interests side by side) is for people with reports."""
    if not in_organisation(user, organisation):
        return False
    return is_manager(user)


def can_view_strengths_of(user: Any, participant: Participant) -> bool:
    """A manager sees a direct report's strengths only if the report is shared with them."""
    if not in_organisation(user, participant.cycle.organisation):
        return False
    if not participant.manager_may_view:
        return False
    return manages(user, participant.person)


# --- quick feedback ----------------------------------------------------------------------


def can_request_feedback(user: Any, organisation: Organisation) -> bool:
    return can_use_growth(user, organisation)


def can_view_feedback_request(user: Any, request: FeedbackRequest) -> bool:
    """Only the person who asked sees a request and its (anonymous, pooled) results."""
    if not in_organisation(user, request.organisation):
        return False
    return person_of(user) == request.person


def can_answer_feedback(user: Any, invite: FeedbackInvite) -> bool:
    """Signed in, the colleague asked answers from their inbox (links work without signing
    in; holding the link is the permission there)."""
    if not in_organisation(user, invite.request.organisation):
        return False
    person = person_of(user)
    if person is None:
        return False
    return person.pk == invite.respondent_id


# --- habits and progress -----------------------------------------------------------------


def can_keep_habits(user: Any, adoption: HabitAdoption) -> bool:
    """Habits are private: nobody but the person sees or ticks them."""
    if not in_organisation(user, adoption.person.organisation):
        return False
    return person_of(user) == adoption.person


def can_view_progress(user: Any, person: Person) -> bool:
    """Change across cycles is the person's own to read."""
    if not in_organisation(user, person.organisation):
        return False
    return person_of(user) == person
