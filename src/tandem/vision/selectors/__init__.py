"""Reads of the vision app, every one scoped to one organisation, one module per part.

``cascade`` reads the vision, goals, teams and the map; ``pulse`` understanding scores;
``hazards`` open and past hazards; ``leaders`` the leaders network. Pulse scores and the
network leave their modules only as aggregates that meet the anonymity minimum.
"""

from tandem.vision.selectors.cascade import (
    Cascade,
    CascadeNode,
    TeamRow,
    cascade_get,
    cascade_map,
    goal_choices,
    goal_get,
    goal_health,
    goal_nodes,
    team_get,
    team_writers,
    teams,
    vision_get,
    writer_candidates,
)
from tandem.vision.selectors.hazards import (
    hazard_get,
    hazards_of_goal,
    hazards_open,
    open_hazard_counts,
)
from tandem.vision.selectors.leaders import (
    Community,
    LeadersNetwork,
    ShownPerson,
    has_nominated,
    is_opted_out,
    leaders_network,
    network_minimum,
    nominee_choices,
    survey_current,
    survey_get,
    survey_open_get,
)
from tandem.vision.selectors.pulse import (
    PulseScore,
    has_answered,
    pulse_get,
    pulse_minimum,
    pulse_scores,
    pulses_to_answer,
)

__all__ = [
    "Cascade",
    "CascadeNode",
    "Community",
    "LeadersNetwork",
    "PulseScore",
    "ShownPerson",
    "TeamRow",
    "cascade_get",
    "cascade_map",
    "goal_choices",
    "goal_get",
    "goal_health",
    "goal_nodes",
    "has_answered",
    "has_nominated",
    "hazard_get",
    "hazards_of_goal",
    "hazards_open",
    "is_opted_out",
    "leaders_network",
    "network_minimum",
    "nominee_choices",
    "open_hazard_counts",
    "pulse_get",
    "pulse_minimum",
    "pulse_scores",
    "pulses_to_answer",
    "survey_current",
    "survey_get",
    "survey_open_get",
    "team_get",
    "team_writers",
    "teams",
    "vision_get",
    "writer_candidates",
]
