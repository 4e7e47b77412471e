"""Instrument health of a released cycle: do leadership and management behave as two things here?

Computed once, at release, over the answers that count in some report (the same answers the
cycle's other statistics use, so an answer outside every figure changes nothing here either),
by :func:`tandem.measure.instrument_health`, and kept in ``cycle.statistics["health"]``. Only
whole-cycle aggregates are kept: model fit, the two lenses' correlation, each scale's and each
question's figures over all sheets, and invariance across rater groups of at least 100 sheets.
Nothing about one person or one rater.

:func:`health_page` turns what was kept into the people team's page: plain words first, then
the numbers. See docs/instrument-health.md for every verdict and its source.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy, ngettext, pgettext_lazy

from tandem.measure import Instrument
from tandem.measure.cfa import ChiSquareDifference, FitMeasures
from tandem.measure.health import (
    ACCEPTABLE_RELIABILITY,
    GOOD_RELIABILITY,
    LOW_ITEM_REST,
    LOW_LOADING,
    MIN_GROUP_SHEETS,
    MIN_RELIABILITY_SHEETS,
    InstrumentHealth,
    instrument_health,
)

LENSES = ("leadership", "management")
_FIT_KEYS = (
    "chisq",
    "df",
    "pvalue",
    "cfi",
    "tli",
    "rmsea",
    "rmsea_ci_lower",
    "rmsea_ci_upper",
    "srmr",
    "n_obs",
)


def _number(value: float, digits: int = 4) -> float | None:
    return round(float(value), digits) if np.isfinite(value) else None


def _fit(fit: FitMeasures | None) -> dict[str, Any] | None:
    if fit is None:
        return None
    return {key: _number(getattr(fit, key)) for key in _FIT_KEYS}


def _difference(test: ChiSquareDifference | None) -> dict[str, Any] | None:
    if test is None:
        return None
    return {key: _number(value) for key, value in asdict(test).items()}


def rated_for_health(
    answers: np.ndarray[Any, Any], instrument: Instrument, counted: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """The rated answers as :func:`instrument_health` wants them: reverse-keyed items turned
    round, no answer, "not observed" and answers outside every figure as NaN."""
    n_items = len(instrument.items)
    scale = instrument.response_scale()
    rated = answers[:, :n_items].astype(float)
    missing = rated < 0
    if scale.not_observed_code is not None:
        missing |= rated == scale.not_observed_code
    rated[missing | ~np.asarray(counted, dtype=bool)[:, :n_items]] = np.nan
    reverse = instrument.reverse_mask()
    rated[:, reverse] = scale.minimum + scale.maximum - rated[:, reverse]
    return rated


def health_statistics(
    answers: np.ndarray[Any, Any],
    groups: list[str],
    instrument: Instrument,
    counted: np.ndarray[Any, Any],
) -> dict[str, Any]:
    """What a released cycle keeps of its instrument health (JSON, aggregates only)."""
    indices = dict(instrument.indices)
    if not all(lens in indices for lens in LENSES):
        return {"status": "no_lenses"}
    scale_lens = {scale: lens for lens in LENSES for scale in indices[lens]}
    health = instrument_health(
        rated_for_health(answers, instrument, counted),
        items=list(instrument.item_ids),
        item_scale=[item.scale for item in instrument.items],
        scale_lens=scale_lens,
        lenses=LENSES,
        groups=groups,
    )
    return health_to_json(health)


def health_to_json(health: InstrumentHealth) -> dict[str, Any]:
    """Round and flatten :class:`InstrumentHealth` for ``cycle.statistics``."""
    return {
        "status": health.status,
        "message": health.message,
        "n_sheets": health.n_sheets,
        "n_complete": health.n_complete,
        "min_sheets": health.min_sheets,
        "two_lens": _fit(health.two_lens),
        "one_lens": _fit(health.one_lens),
        "difference": _difference(health.difference),
        "lens_correlation": _number(health.lens_correlation),
        "lens_omega": [_number(v) for v in health.lens_omega],
        "structure": health.structure,
        "fit_verdict": health.fit_verdict,
        "scales": [
            {
                "scale": s.scale,
                "lens": s.lens,
                "items": s.n_items,
                "sheets": s.n_sheets,
                "alpha": _number(s.alpha),
                "omega": _number(s.omega),
                "verdict": s.verdict,
            }
            for s in health.scales
        ],
        "items": [
            {
                "item": i.item,
                "scale": i.scale,
                "lens": i.lens,
                "loading": _number(i.loading),
                "item_rest": _number(i.item_rest),
                "own_lens_r": _number(i.own_lens_r),
                "other_lens_r": _number(i.other_lens_r),
                "flags": list(i.flags),
            }
            for i in health.items
        ],
        "comparisons": [
            {
                "name": c.name,
                "groups": list(c.groups),
                "sizes": list(c.sizes),
                "status": c.status,
                "message": c.message,
                "configural": _fit(c.configural),
                "configural_verdict": c.configural_verdict,
                "metric_vs_configural": _difference(c.metric_vs_configural),
                "scalar_vs_metric": _difference(c.scalar_vs_metric),
                "metric": c.metric,
                "scalar": c.scalar,
                "level": c.level,
            }
            for c in health.comparisons
        ],
        "notes": list(health.notes),
    }


# --- the people team's page -------------------------------------------------------------------

GROUP_NAMES = {
    "self": gettext_lazy("self-ratings"),
    "others": gettext_lazy("others' ratings"),
    "manager": gettext_lazy("managers"),
    "peer": gettext_lazy("peers"),
    "direct_report": gettext_lazy("direct reports"),
}

STRUCTURE_WORDS = {
    "two_related": gettext_lazy(
        "Here, leadership and management are two related things (r = %(r)s): people's ratings "
        "separate them, and one lens would fit clearly worse."
    ),
    "two_separate": gettext_lazy(
        "Here, leadership and management are two largely separate things (r = %(r)s): being "
        "rated high on one says little about the other, and one lens would fit clearly worse."
    ),
    "hardly_distinct": gettext_lazy(
        "Here, leadership and management are hard to tell apart (r = %(r)s): two lenses fit "
        "better than one, but raters hardly separate them. Read the two indices as close "
        "to one judgement."
    ),
    "one_lens": gettext_lazy(
        "Here, raters did not separate leadership from management: one lens fits about as well "
        "as two (r = %(r)s between them). Read the two indices as one judgement until a later "
        "cycle shows otherwise."
    ),
}

FIT_WORDS = {
    "good": gettext_lazy("The two-lens model fits the answers well."),
    "acceptable": gettext_lazy(
        "The two-lens model fits the answers acceptably: good enough to read the lenses, with "
        "some pattern in the answers it does not capture (often questions of one scale being "
        "closer to each other than their lens alone explains)."
    ),
    "poor": gettext_lazy(
        "The two-lens model fits the answers poorly: read its figures with care. The questions "
        "flagged below are the first place to look."
    ),
}

FLAG_WORDS = {
    "low_loading": gettext_lazy("weakly tied to its lens (standardised loading below %(value)s)"),
    "low_item_rest": gettext_lazy(
        "out of step with its scale (item-rest correlation below %(value)s)"
    ),
    "other_lens": gettext_lazy("closer to the other lens than to its own"),
    "heywood": gettext_lazy("the model gives it a negative error variance (an improper solution)"),
}
FLAG_VALUES = {"low_loading": f"{LOW_LOADING:.2f}", "low_item_rest": f"{LOW_ITEM_REST:.2f}"}

RELIABILITY_WORDS = {
    "good": gettext_lazy("good (both %(value)s or more)"),
    "acceptable": gettext_lazy("acceptable (%(value)s or more)"),
    "low": gettext_lazy("low (below %(value)s): scores on this scale are noisy"),
    "unknown": gettext_lazy("not computed (fewer than %(value)s complete sheets)"),
}
RELIABILITY_VALUES = {
    "good": f"{GOOD_RELIABILITY:.2f}",
    "acceptable": f"{ACCEPTABLE_RELIABILITY:.2f}",
    "low": f"{ACCEPTABLE_RELIABILITY:.2f}",
    "unknown": str(MIN_RELIABILITY_SHEETS),
}

LEVEL_WORDS = {
    # Translators: groups is a list of rater groups, e.g. "Managers, peers and direct reports".
    "scalar": gettext_lazy(
        "%(groups)s measure the same thing in the same way: their scores and their means can be "
        "compared directly."
    ),
    # Translators: groups is a list of rater groups, e.g. "Managers, peers and direct reports".
    "metric": gettext_lazy(
        "%(groups)s see the same two lenses with the same weights, but start from different "
        "levels: relations can be compared, raw means should not be (the self-other gap mixes "
        "real difference and different use of the scale)."
    ),
    # Translators: groups is a list of rater groups, e.g. "Managers, peers and direct reports".
    "configural": gettext_lazy(
        "%(groups)s see the same two lenses but weigh the questions differently: compare their "
        "scores with care."
    ),
    # Translators: groups is a list of rater groups, e.g. "Managers, peers and direct reports".
    "none": gettext_lazy(
        "%(groups)s do not see the same two lenses: their scores cannot be compared as like "
        "with like."
    ),
}

VERDICT_WORDS = {
    "good": pgettext_lazy("model fit", "good"),
    "acceptable": pgettext_lazy("model fit", "acceptable"),
    "poor": pgettext_lazy("model fit", "poor"),
}
"""The configural model's fit verdict (``tandem.measure.health.fit_verdict``), as shown."""

STEP_WORDS = {
    "holds": pgettext_lazy("invariance step", "holds"),
    "doubtful": pgettext_lazy("invariance step", "doubtful"),
    "fails": pgettext_lazy("invariance step", "fails"),
}
"""Whether an invariance step holds (``tandem.measure.health``), as shown."""

LENS_TITLES = {
    "leadership": gettext_lazy("Leadership"),
    "management": gettext_lazy("Management"),
}


def flag_words(flag: str) -> str:
    """Why a question is flagged, in words."""
    words = str(FLAG_WORDS[flag])
    return words % {"value": FLAG_VALUES[flag]} if flag in FLAG_VALUES else words


def reliability_words(verdict: str) -> str:
    """A scale's reliability verdict, in words."""
    return str(RELIABILITY_WORDS[verdict]) % {"value": RELIABILITY_VALUES[verdict]}


@dataclass(frozen=True)
class HealthItemRow:
    item: str
    text: str
    scale: str
    loading: float | None
    item_rest: float | None
    own_lens_r: float | None
    other_lens_r: float | None
    problems: tuple[str, ...]


@dataclass(frozen=True)
class HealthComparison:
    title: str
    sentence: str
    rows: tuple[tuple[str, Any], ...]


@dataclass(frozen=True)
class HealthPage:
    """The instrument health page of one released cycle, in words and numbers."""

    fitted: bool
    headline: str
    fit_sentence: str
    reasons: tuple[str, ...]
    stored: dict[str, Any]
    scales: tuple[dict[str, Any], ...]
    items: tuple[HealthItemRow, ...]
    weak: tuple[HealthItemRow, ...]
    comparisons: tuple[HealthComparison, ...]


def _two(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _signed(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:+.3f}"
    return "0.000" if text in ("+0.000", "-0.000") else text


def _changes(test: dict[str, Any]) -> str:
    return f"CFI {_signed(test.get('delta_cfi'))}, RMSEA {_signed(test.get('delta_rmsea'))}"


def _step(code: str) -> str:
    return str(STEP_WORDS.get(code, code))


def _size_words(groups: list[str], sizes: list[int]) -> str:
    return ", ".join(f"{GROUP_NAMES.get(g, g)} {n}" for g, n in zip(groups, sizes, strict=True))


def _comparison(entry: dict[str, Any]) -> HealthComparison:
    title = (
        gettext("Self-ratings and others' ratings")
        if entry["name"] == "self_vs_others"
        else gettext("Managers, peers and direct reports")
    )
    if entry["status"] == "too_few":
        sentence = gettext(
            "Not tested: each group compared needs at least %(minimum)s complete sheets "
            "(and two groups at least). Complete sheets here: %(sizes)s."
        ) % {"minimum": MIN_GROUP_SHEETS, "sizes": _size_words(entry["groups"], entry["sizes"])}
        return HealthComparison(title=title, sentence=sentence, rows=())
    if entry["status"] == "failed":
        sentence = gettext("Not tested: the model could not be fitted (%(message)s).") % {
            "message": entry["message"]
        }
        return HealthComparison(title=title, sentence=sentence, rows=())
    names = [str(GROUP_NAMES.get(g, g)) for g in entry["groups"]]
    who = (
        names[0]
        if len(names) == 1
        # Translators: the end of a list, e.g. "managers, peers and direct reports"; items is the
        # list's start, already joined with commas.
        else gettext("%(items)s and %(last)s") % {"items": ", ".join(names[:-1]), "last": names[-1]}
    )
    sentence = str(LEVEL_WORDS[entry["level"]]) % {"groups": f"{who[0].upper()}{who[1:]}"}
    metric = entry["metric_vs_configural"] or {}
    scalar = entry["scalar_vs_metric"] or {}
    rows = (
        (gettext("Complete sheets"), _size_words(entry["groups"], entry["sizes"])),
        (
            gettext("The same two lenses in each group (configural): fit"),
            str(VERDICT_WORDS.get(entry["configural_verdict"], entry["configural_verdict"])),
        ),
        (gettext("Equal loadings (metric)"), f"{_step(entry['metric'])} ({_changes(metric)})"),
        (gettext("Equal intercepts (scalar)"), f"{_step(entry['scalar'])} ({_changes(scalar)})"),
    )
    return HealthComparison(title=title, sentence=sentence, rows=rows)


def health_page(stored: dict[str, Any] | None, instrument: Instrument) -> HealthPage | None:
    """The page for what a cycle kept, or None when it kept nothing (released before Tandem
    checked instrument health, or no sheets)."""
    if not stored or stored.get("status") not in ("fitted", "too_few", "failed"):
        return None
    scale_names = {s.id: s.name for s in instrument.scales}
    item_texts = {i.id: i.observer_text or i.self_text for i in instrument.items}
    scales = tuple(
        {
            **s,
            "name": scale_names.get(s["scale"], s["scale"]),
            "verdict_words": reliability_words(s["verdict"]),
            "lens_title": capfirst(str(LENS_TITLES.get(s["lens"], s["lens"]))),
        }
        for s in stored["scales"]
    )
    items = tuple(
        HealthItemRow(
            item=i["item"],
            text=item_texts.get(i["item"], i["item"]),
            scale=scale_names.get(i["scale"], i["scale"]),
            loading=i["loading"],
            item_rest=i["item_rest"],
            own_lens_r=i["own_lens_r"],
            other_lens_r=i["other_lens_r"],
            problems=tuple(flag_words(f) for f in i["flags"]),
        )
        for i in stored["items"]
    )
    if stored["status"] != "fitted":
        if stored["status"] == "too_few":
            reason = gettext(
                "Whether leadership and management are two things here was not tested: "
                "%(complete)s of %(sheets)s sheets answered every question, and a two-lens model "
                "of these questions needs at least %(minimum)s (about 200, and 5 per estimated "
                "figure: Kline 2016). With fewer, its figures would mostly be noise. Sheets from "
                "several cycles together, or a larger cycle, can answer it."
            ) % {
                "complete": stored["n_complete"],
                "sheets": stored["n_sheets"],
                "minimum": stored["min_sheets"],
            }
        else:
            reason = gettext("The lens models could not be fitted: %(message)s.") % {
                "message": stored["message"]
            }
        return HealthPage(
            fitted=False,
            headline=reason,
            fit_sentence="",
            reasons=(),
            stored=stored,
            scales=scales,
            items=(),
            weak=(),
            comparisons=(),
        )
    r = stored["lens_correlation"]
    headline = str(STRUCTURE_WORDS[stored["structure"]]) % {"r": _two(r)}
    difference = stored["difference"] or {}
    df = difference.get("df")
    reasons = (
        ngettext(
            "Two lenses against one: chi-square difference %(chisq)s on %(df)s degree of freedom "
            "(p %(p)s), CFI %(one)s with one lens against %(two)s with two.",
            "Two lenses against one: chi-square difference %(chisq)s on %(df)s degrees of "
            "freedom (p %(p)s), CFI %(one)s with one lens against %(two)s with two.",
            round(df) if isinstance(df, int | float) else 2,
        )
        % {
            "chisq": _two(difference.get("chisq"), 1),
            "df": _two(df, 0),
            "p": _p(difference.get("p")),
            "one": _two(stored["one_lens"]["cfi"], 3),
            "two": _two(stored["two_lens"]["cfi"], 3),
        },
    )
    return HealthPage(
        fitted=True,
        headline=headline,
        fit_sentence=str(FIT_WORDS[stored["fit_verdict"]]),
        reasons=reasons,
        stored=stored,
        scales=scales,
        items=items,
        weak=tuple(row for row in items if row.problems),
        comparisons=tuple(_comparison(c) for c in stored["comparisons"]),
    )


def _p(value: float | None) -> str:
    if value is None:
        return "—"
    return "< .001" if value < 0.001 else f"= {value:.3f}".replace("0.", ".")
