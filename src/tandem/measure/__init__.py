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
* Factor structure: :func:`cfa`, :func:`chi_square_difference`, :func:`measurement_invariance`
  (confirmatory factor analysis and invariance, as lavaan)
* Instrument health: :func:`instrument_health` (two lenses or one, reliability, weak questions,
  invariance across rater groups, each with a verdict)
* Rater leniency: :func:`crossed_reml` (crossed random effects by REML, as lme4),
  :func:`cycle_leniency` (which adjusted scores a 360 report may show)

Names are imported on first use (PEP 562): ``import tandem.measure`` and the ``tandem`` command
line pay only for the modules they touch (importing everything, scipy included, takes seconds).
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from tandem.measure.cfa import (
        CFAResult,
        ChiSquareDifference,
        FitMeasures,
        cfa,
        cfa_from_covariance,
        chi_square_difference,
    )
    from tandem.measure.change import ReliableChange, reliable_change
    from tandem.measure.correlation import pairwise_correlation, pairwise_covariance
    from tandem.measure.crossed import AdjustedScores, CrossedFit, crossed_reml
    from tandem.measure.disclosure import Disclosure, PersonFigures, disclose, person_figures
    from tandem.measure.health import (
        GroupComparison,
        InstrumentHealth,
        ItemHealth,
        ScaleHealth,
        instrument_health,
    )
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
    from tandem.measure.invariance import (
        GroupCFAResult,
        InvarianceResult,
        measurement_invariance,
        multigroup_cfa,
    )
    from tandem.measure.leniency import CycleLeniency, ScaleLeniency, cycle_leniency
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

_SOURCE: dict[str, str] = {
    "CFAResult": "tandem.measure.cfa",
    "ChiSquareDifference": "tandem.measure.cfa",
    "FitMeasures": "tandem.measure.cfa",
    "cfa": "tandem.measure.cfa",
    "cfa_from_covariance": "tandem.measure.cfa",
    "chi_square_difference": "tandem.measure.cfa",
    "GroupComparison": "tandem.measure.health",
    "InstrumentHealth": "tandem.measure.health",
    "ItemHealth": "tandem.measure.health",
    "ScaleHealth": "tandem.measure.health",
    "instrument_health": "tandem.measure.health",
    "ICCForm": "tandem.measure.icc",
    "ICCResult": "tandem.measure.icc",
    "icc": "tandem.measure.icc",
    "CATEGORIES": "tandem.measure.selfother",
    "DEFAULT_MINIMUMS": "tandem.measure.raters",
    "GROUPS": "tandem.measure.raters",
    "PLACEMENTS": "tandem.measure.profile",
    "SLOTS": "tandem.measure.raters",
    "AdjustedScores": "tandem.measure.crossed",
    "Aggregate": "tandem.measure.raters",
    "AlphaResult": "tandem.measure.reliability",
    "AnonymityPlan": "tandem.measure.raters",
    "CrossedFit": "tandem.measure.crossed",
    "CycleLeniency": "tandem.measure.leniency",
    "ScaleLeniency": "tandem.measure.leniency",
    "Disclosure": "tandem.measure.disclosure",
    "DuplicateAnswerError": "tandem.measure.answers",
    "GroupAgreement": "tandem.measure.agreement",
    "GroupCFAResult": "tandem.measure.invariance",
    "GroupICC": "tandem.measure.agreement",
    "Instrument": "tandem.measure.instrument",
    "InstrumentError": "tandem.measure.instrument",
    "InvarianceResult": "tandem.measure.invariance",
    "Item": "tandem.measure.instrument",
    "ItemFlag": "tandem.measure.selfother",
    "ItemFlags": "tandem.measure.selfother",
    "LongResponses": "tandem.measure.responses",
    "NormTable": "tandem.measure.norms",
    "OmegaResult": "tandem.measure.reliability",
    "OpenQuestion": "tandem.measure.instrument",
    "PersonFigures": "tandem.measure.disclosure",
    "Profile": "tandem.measure.profile",
    "ReliableChange": "tandem.measure.change",
    "ResponseScale": "tandem.measure.instrument",
    "ResponsesError": "tandem.measure.responses",
    "RuleResult": "tandem.measure.raters",
    "Scale": "tandem.measure.instrument",
    "ScaleScores": "tandem.measure.scoring",
    "ScoreInterval": "tandem.measure.reliability",
    "Scored360": "tandem.measure.batch",
    "SelfOtherResult": "tandem.measure.selfother",
    "SelfSection": "tandem.measure.instrument",
    "ad_m": "tandem.measure.agreement",
    "anonymity_plan": "tandem.measure.raters",
    "apply_rule": "tandem.measure.raters",
    "bliese_icc": "tandem.measure.agreement",
    "cronbach_alpha": "tandem.measure.reliability",
    "crossed_reml": "tandem.measure.crossed",
    "cycle_leniency": "tandem.measure.leniency",
    "disclose": "tandem.measure.disclosure",
    "effective_minimums": "tandem.measure.raters",
    "index_scores": "tandem.measure.profile",
    "item_flags": "tandem.measure.selfother",
    "load_instrument": "tandem.measure.instrument",
    "long_to_wide": "tandem.measure.answers",
    "measurement_invariance": "tandem.measure.invariance",
    "minimum_vector": "tandem.measure.raters",
    "multigroup_cfa": "tandem.measure.invariance",
    "omega_total": "tandem.measure.reliability",
    "pairwise_correlation": "tandem.measure.correlation",
    "pairwise_covariance": "tandem.measure.correlation",
    "parse_instrument": "tandem.measure.instrument",
    "person_figures": "tandem.measure.disclosure",
    "place_profile": "tandem.measure.profile",
    "rank_item_flags": "tandem.measure.selfother",
    "ratee_dicts": "tandem.measure.report",
    "read_responses": "tandem.measure.responses",
    "reliable_change": "tandem.measure.change",
    "render_html": "tandem.measure.htmlreport",
    "reverse_key": "tandem.measure.scoring",
    "rwg": "tandem.measure.agreement",
    "rwg_j": "tandem.measure.agreement",
    "score_360": "tandem.measure.batch",
    "score_instrument": "tandem.measure.scoring",
    "score_interval": "tandem.measure.reliability",
    "score_scales": "tandem.measure.scoring",
    "self_other_agreement": "tandem.measure.selfother",
    "shipped_instruments": "tandem.measure.instrument",
    "standard_error_of_measurement": "tandem.measure.reliability",
    "summary_header": "tandem.measure.report",
    "summary_rows": "tandem.measure.report",
    "uniform_null_variance": "tandem.measure.agreement",
    "visibility_masks": "tandem.measure.raters",
    "visible_aggregates": "tandem.measure.raters",
}

__all__ = [
    "CATEGORIES",
    "DEFAULT_MINIMUMS",
    "GROUPS",
    "PLACEMENTS",
    "SLOTS",
    "AdjustedScores",
    "Aggregate",
    "AlphaResult",
    "AnonymityPlan",
    "CFAResult",
    "ChiSquareDifference",
    "CrossedFit",
    "CycleLeniency",
    "Disclosure",
    "DuplicateAnswerError",
    "FitMeasures",
    "GroupAgreement",
    "GroupCFAResult",
    "GroupComparison",
    "GroupICC",
    "ICCForm",
    "ICCResult",
    "Instrument",
    "InstrumentError",
    "InstrumentHealth",
    "InvarianceResult",
    "Item",
    "ItemFlag",
    "ItemFlags",
    "ItemHealth",
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
    "ScaleHealth",
    "ScaleLeniency",
    "ScaleScores",
    "ScoreInterval",
    "Scored360",
    "SelfOtherResult",
    "SelfSection",
    "ad_m",
    "anonymity_plan",
    "apply_rule",
    "bliese_icc",
    "cfa",
    "cfa_from_covariance",
    "chi_square_difference",
    "cronbach_alpha",
    "crossed_reml",
    "cycle_leniency",
    "disclose",
    "effective_minimums",
    "icc",
    "index_scores",
    "instrument_health",
    "item_flags",
    "load_instrument",
    "long_to_wide",
    "measurement_invariance",
    "minimum_vector",
    "multigroup_cfa",
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


class _Package(ModuleType):
    """This package, keeping functions that share their name with a submodule (``icc``).

    Importing ``tandem.measure.icc`` would bind the submodule as the package's ``icc``
    attribute, hiding the function; the function stays, as the package's eager imports always
    made it.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and _SOURCE.get(name) == f"{__name__}.{name}":
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    source = _SOURCE.get(name)
    if source is None:
        raise AttributeError(f"module 'tandem.measure' has no attribute {name!r}")
    value = getattr(import_module(source), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
