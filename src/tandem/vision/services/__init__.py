"""Writes to the vision app: keyword-only, each one atomic and audited, one module per part.

``cascade`` writes the vision, goals, their key results and named writers; ``pulse`` the
understanding pulse; ``hazards`` hazards raised and carried up; ``leaders`` the nomination
survey. Pulse answers and nominations never reach the audit log by name (see their modules).
"""

from tandem.vision.services.cascade import (
    GOAL_WORDS,
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
from tandem.vision.services.hazards import (
    DEFAULT_ESCALATION_HOURS,
    Escalation,
    escalation_interval,
    hazard_acknowledge,
    hazard_raise,
    hazards_escalate,
)
from tandem.vision.services.leaders import (
    MAX_PER_QUESTION,
    SurveyError,
    network_opt_in,
    network_opt_out,
    nominations_save,
    survey_close,
    survey_open,
)
from tandem.vision.services.pulse import PulseError, pulse_answer, pulse_close, pulse_open

__all__ = [
    "DEFAULT_ESCALATION_HOURS",
    "GOAL_WORDS",
    "MAX_PER_QUESTION",
    "CascadeLoop",
    "Escalation",
    "PulseError",
    "SurveyError",
    "escalation_interval",
    "goal_confirm",
    "goal_create",
    "goal_update",
    "hazard_acknowledge",
    "hazard_raise",
    "hazards_escalate",
    "key_result_add",
    "key_result_progress",
    "network_opt_in",
    "network_opt_out",
    "nominations_save",
    "pulse_answer",
    "pulse_close",
    "pulse_open",
    "survey_close",
    "survey_open",
    "team_writer_add",
    "team_writer_remove",
    "vision_save",
]
