"""What a verdict compares against when a cycle is too small to be its own reference.

A pilot of one to a few participants has no spread across people to standardise a gap with,
and too few raters to estimate how much raters of one person disagree. Tandem then uses
published reference values, says so in the report, and switches to the cycle's own figures as
soon as there are enough of them (:data:`OWN_FIGURES_FROM` people rated).

The values come from a real multi-rater leadership data set: ``lq2002`` of the R package
multilevel (Bliese 2013), 2,042 soldiers in 49 companies rating their leaders on eleven 1-5
questions. Computed in ``tests/measure/test_references.py`` (which checks them against the data
set) with one-way random-effects ANOVA components:

* raters of the same target differ with a pooled within-company SD of **0.78** on the scale
  mean (1.12 on a single question): the spread behind the uncertainty of an average of k raters,
  ``SD / sqrt(k)``;
* targets differ with a between-company variance of 0.088 on the scale (0.119 on a question);
  an average of 8 raters, typical of a 360, then varies across people with SD
  ``sqrt(0.088 + 0.615 / 8) = 0.41`` (0.52 on a question): the reference SD of the self-other
  rule (Atwater & Yammarino 1992; Fleenor, McCauley & Brutus 1996);
* the reference level (good or poor agreement) is the middle of the answer scale.

References
----------
Bliese, P. D. (2013). multilevel: Multilevel functions. R package (data set ``lq2002``).
Atwater, L. E., & Yammarino, F. J. (1992). Does self-other agreement on leadership perceptions
moderate the validity of leadership and performance predictions? Personnel Psychology, 45.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LQ2002", "OWN_FIGURES_FROM", "ReferenceValues"]

OWN_FIGURES_FROM = 10
"""Fewest people rated by others before a cycle's own spread replaces the reference values."""


@dataclass(frozen=True)
class ReferenceValues:
    """Reference spreads on a 1-5 answer scale; see the module docstring for their source."""

    source: str
    rater_sd: float
    people_sd: float
    people_item_sd: float

    def describe(self) -> str:
        return self.source


LQ2002 = ReferenceValues(
    source=(
        "reference data (2,042 people rating their leaders in 49 teams; Bliese 2013, "
        "multilevel lq2002)"
    ),
    rater_sd=0.78,
    people_sd=0.41,
    people_item_sd=0.52,
)
