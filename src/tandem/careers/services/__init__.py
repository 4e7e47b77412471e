"""Writes to careers: keyword-only, each one atomic and audited, one module per part.

``framework`` publishes framework versions and places people on them, ``evidence`` keeps
evidence over time and quarterly summaries, ``track_choice`` the motivation check, ``cases``
promotion cases from opening to decision, ``calibration`` the demographic fields its flags
group people by.
"""

from tandem.careers.services._common import CareersError
from tandem.careers.services.calibration import demographics_import
from tandem.careers.services.cases import (
    CriterionVerdict,
    OpenCaseExists,
    case_argue,
    case_decide,
    case_open,
    case_peer_add,
    case_propose,
    peer_input_add,
)
from tandem.careers.services.evidence import (
    evidence_delete,
    evidence_endorse,
    evidence_log,
    evidence_update,
    quarter_reminders_send,
    quarter_summary_save,
)
from tandem.careers.services.framework import (
    DEFAULT_FRAMEWORK_PATH,
    FrameworkUnchanged,
    default_framework_spec,
    framework_default_install,
    framework_edit,
    framework_import,
    framework_version_publish,
    placement_set,
)
from tandem.careers.services.track_choice import motivation_check_record

__all__ = [
    "DEFAULT_FRAMEWORK_PATH",
    "CareersError",
    "CriterionVerdict",
    "FrameworkUnchanged",
    "OpenCaseExists",
    "case_argue",
    "case_decide",
    "case_open",
    "case_peer_add",
    "case_propose",
    "default_framework_spec",
    "demographics_import",
    "evidence_delete",
    "evidence_endorse",
    "evidence_log",
    "evidence_update",
    "framework_default_install",
    "framework_edit",
    "framework_import",
    "framework_version_publish",
    "motivation_check_record",
    "peer_input_add",
    "placement_set",
    "quarter_reminders_send",
    "quarter_summary_save",
]
