"""Writes to growth: keyword-only, each one atomic and audited, one module per idea.

Quick-feedback answers never reach the audit log (see ``services.feedback``).
"""

from tandem.growth.services._common import GrowthError, hash_token
from tandem.growth.services.feedback import (
    FEEDBACK_MAX_PEOPLE,
    FEEDBACK_MAX_SCALES,
    FEEDBACK_MIN_SCALES,
    feedback_answer,
    feedback_close,
    feedback_questions,
    feedback_request_create,
)
from tandem.growth.services.habits import (
    REMINDER_WEEKDAY,
    habit_adopt,
    habit_reminders_send,
    habit_set_create,
    habit_set_retire,
    habit_set_update,
    habit_settings,
    habit_tick,
)
from tandem.growth.services.library import (
    library_action_create,
    library_action_hide,
    library_action_retire,
    library_action_show,
    library_action_update,
)
from tandem.growth.services.plans import (
    action_note_add,
    focus_close,
    growth_defaults_install,
    interest_add,
    interest_remove,
    plan_action_create,
    plan_action_update,
    plan_focus_add,
)

__all__ = [
    "FEEDBACK_MAX_PEOPLE",
    "FEEDBACK_MAX_SCALES",
    "FEEDBACK_MIN_SCALES",
    "REMINDER_WEEKDAY",
    "GrowthError",
    "action_note_add",
    "feedback_answer",
    "feedback_close",
    "feedback_questions",
    "feedback_request_create",
    "focus_close",
    "growth_defaults_install",
    "habit_adopt",
    "habit_reminders_send",
    "habit_set_create",
    "habit_set_retire",
    "habit_set_update",
    "habit_settings",
    "habit_tick",
    "hash_token",
    "interest_add",
    "interest_remove",
    "library_action_create",
    "library_action_hide",
    "library_action_retire",
    "library_action_show",
    "library_action_update",
    "plan_action_create",
    "plan_action_update",
    "plan_focus_add",
]
