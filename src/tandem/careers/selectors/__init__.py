"""Reads of careers, every one scoped to one organisation, one module per part.

``framework`` reads versions, tracks, levels and where people stand; ``evidence`` evidence
over time and quarterly summaries; ``track_choice`` the motivation check; ``cases`` promotion
cases with their readiness; ``calibration`` the board and its bias flags.
"""

from tandem.careers.selectors.calibration import (
    Board,
    Cell,
    calibration_board,
    case_flags,
    demographics_in,
)
from tandem.careers.selectors.cases import (
    CaseView,
    CriterionRow,
    Waiting,
    case_get,
    case_view,
    cases_in,
    open_case_for,
    waiting_for,
)
from tandem.careers.selectors.evidence import (
    CriterionEvidence,
    LevelEvidence,
    draft_cases_linking,
    evidence_criteria_choices,
    evidence_get,
    evidence_of,
    growth_by_criterion,
    people_without_summary,
    quarter_of,
    quarter_summaries,
    quarter_summary_get,
)
from tandem.careers.selectors.framework import (
    PlacementRow,
    Position,
    Theme,
    criteria_by_theme,
    framework_spec,
    framework_version_get,
    framework_versions,
    person_position,
    placement_current,
    placement_history,
    placements_in,
    track_get,
    tracks_with_levels,
)
from tandem.careers.selectors.track_choice import motivation_latest

__all__ = [
    "Board",
    "CaseView",
    "Cell",
    "CriterionEvidence",
    "CriterionRow",
    "LevelEvidence",
    "PlacementRow",
    "Position",
    "Theme",
    "Waiting",
    "calibration_board",
    "case_flags",
    "case_get",
    "case_view",
    "cases_in",
    "criteria_by_theme",
    "demographics_in",
    "draft_cases_linking",
    "evidence_criteria_choices",
    "evidence_get",
    "evidence_of",
    "framework_spec",
    "framework_version_get",
    "framework_versions",
    "growth_by_criterion",
    "motivation_latest",
    "open_case_for",
    "people_without_summary",
    "person_position",
    "placement_current",
    "placement_history",
    "placements_in",
    "quarter_of",
    "quarter_summaries",
    "quarter_summary_get",
    "track_get",
    "tracks_with_levels",
    "waiting_for",
]
