"""Tandem's measurement core: pure functions over numpy arrays, no Django.

Everything numeric in Tandem lives here; the web platform and the ``tandem`` command line both
call it. See ``docs/measure.md`` for every function, its formula and its source.

* Instruments: :func:`load_instrument`, :func:`parse_instrument`
* Scoring: :func:`score_scales`, :func:`score_instrument`, :func:`score_360`
* Anonymity: :func:`disclose` and :func:`person_figures` (one disclosure decision for every
  figure about a person), :func:`visible_aggregates` (one measure shown alone),
  :func:`visibility_masks`
* Self vs others: :func:`self_other_agreement`, :func:`item_flags`
* Norms: :class:`NormTable`
* Reliability: :func:`cronbach_alpha`, :func:`omega_total`, SEM and score intervals
* Agreement: :func:`icc`, :func:`bliese_icc`, :func:`rwg`, :func:`rwg_j`, :func:`ad_m`
* Profile and change: :func:`place_profile`, :func:`reliable_change`
"""

from tandem.measure.agreement import (
    GroupAgreement,
    GroupICC,
    ad_m,
    bliese_icc,
    rwg,
    rwg_j,
    uniform_null_variance,
)
from tandem.measure.answers import DuplicateAnswerError, long_to_wide
from tandem.measure.batch import Scored360, score_360
from tandem.measure.change import ReliableChange, reliable_change
from tandem.measure.correlation import pairwise_correlation, pairwise_covariance
from tandem.measure.disclosure import Disclosure, PersonFigures, disclose, person_figures
from tandem.measure.htmlreport import render_html
from tandem.measure.icc import ICCForm, ICCResult, icc
from tandem.measure.instrument import (
    Instrument,
    InstrumentError,
    Item,
    OpenQuestion,
    ResponseScale,
    Scale,
    SelfSection,
    load_instrument,
    parse_instrument,
    shipped_instruments,
)
from tandem.measure.norms import NormTable
from tandem.measure.profile import PLACEMENTS, Profile, index_scores, place_profile
from tandem.measure.raters import (
    DEFAULT_MINIMUMS,
    GROUPS,
    SLOTS,
    Aggregate,
    AnonymityPlan,
    RuleResult,
    anonymity_plan,
    apply_rule,
    effective_minimums,
    minimum_vector,
    visibility_masks,
    visible_aggregates,
)
from tandem.measure.reliability import (
    AlphaResult,
    OmegaResult,
    ScoreInterval,
    cronbach_alpha,
    omega_total,
    score_interval,
    standard_error_of_measurement,
)
from tandem.measure.report import ratee_dicts, summary_header, summary_rows
from tandem.measure.responses import LongResponses, ResponsesError, read_responses
from tandem.measure.scoring import ScaleScores, reverse_key, score_instrument, score_scales
from tandem.measure.selfother import (
    CATEGORIES,
    ItemFlag,
    ItemFlags,
    SelfOtherResult,
    item_flags,
    rank_item_flags,
    self_other_agreement,
)

__all__ = [
    "CATEGORIES",
    "DEFAULT_MINIMUMS",
    "GROUPS",
    "PLACEMENTS",
    "SLOTS",
    "Aggregate",
    "AlphaResult",
    "AnonymityPlan",
    "Disclosure",
    "DuplicateAnswerError",
    "GroupAgreement",
    "GroupICC",
    "ICCForm",
    "ICCResult",
    "Instrument",
    "InstrumentError",
    "Item",
    "ItemFlag",
    "ItemFlags",
    "LongResponses",
    "NormTable",
    "OmegaResult",
    "OpenQuestion",
    "PersonFigures",
    "Profile",
    "ReliableChange",
    "ResponseScale",
    "ResponsesError",
    "RuleResult",
    "Scale",
    "ScaleScores",
    "ScoreInterval",
    "Scored360",
    "SelfOtherResult",
    "SelfSection",
    "ad_m",
    "anonymity_plan",
    "apply_rule",
    "bliese_icc",
    "cronbach_alpha",
    "disclose",
    "effective_minimums",
    "icc",
    "index_scores",
    "item_flags",
    "load_instrument",
    "long_to_wide",
    "minimum_vector",
    "omega_total",
    "pairwise_correlation",
    "pairwise_covariance",
    "parse_instrument",
    "person_figures",
    "place_profile",
    "rank_item_flags",
    "ratee_dicts",
    "read_responses",
    "reliable_change",
    "render_html",
    "reverse_key",
    "rwg",
    "rwg_j",
    "score_360",
    "score_instrument",
    "score_interval",
    "score_scales",
    "self_other_agreement",
    "shipped_instruments",
    "standard_error_of_measurement",
    "summary_header",
    "summary_rows",
    "uniform_null_variance",
    "visibility_masks",
    "visible_aggregates",
]
