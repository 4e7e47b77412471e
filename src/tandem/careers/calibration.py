"""Bias flags for a calibration session, computed from plain values. No Django here.

Each flag states its rule and its source, so the people team can explain it in the room.

* **Argued without evidence**: a criterion of a proposed case has an argument in words but no
  linked evidence entry.
* **Confidence without evidence**: someone proposed into the people manager track whose
  self-ratings average at least ``CONFIDENCE_GAP`` (0.5 points on the 1..5 frequency scale)
  above others' ratings, over the scales both were rated on. Over-estimators (self well above
  others) tend to be rated less effective by others (Atwater & Yammarino, 1992, *Personnel
  Psychology* 45(1); Fleenor et al., 2010, *The Leadership Quarterly* 21(6)). Half a point is a
  rule of thumb for a difference worth talking about, not a statistical cut. Only people who let
  their manager read their report are checked, and the flag never shows their scores: reports
  are private to the person and, with consent, their manager.
* **Manager proposal rate**: a manager's share of direct reports proposed, compared with the
  rest of the organisation by Fisher's exact test (two-sided, 2x2 table; Agresti, *Categorical
  Data Analysis*, 3rd ed., 2013, section 3.5). Flagged when p < 0.05. Fisher's test is used
  rather than a two-proportion z-test because teams are small, where the z-test's normal
  approximation is poor.
* **Four-fifths rule**: for each demographic field, each group's selection rate divided by the
  highest group's rate, at two stages: proposals (proposed / everyone with a manager) and
  approvals (approved / decided cases); a ratio below 0.8 is "generally regarded by
  the Federal enforcement agencies as evidence of adverse impact" (EEOC Uniform Guidelines on
  Employee Selection Procedures, 29 CFR 1607.4(D)). The same section says smaller differences
  can matter and that numbers too small to be reliable call for care, so groups under
  ``SMALL_GROUP`` people are marked as small rather than hidden.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from scipy.stats import fisher_exact

CONFIDENCE_GAP = 0.5
RATE_ALPHA = 0.05
FOUR_FIFTHS = 0.8
SMALL_GROUP = 5
MANAGER_TRACK = "manager"

UNEVIDENCED, CONFIDENCE, MANAGER_RATE, ADVERSE_IMPACT = (
    "argued-without-evidence",
    "confidence-without-evidence",
    "manager-proposal-rate",
    "four-fifths",
)


@dataclass(frozen=True)
class Argument:
    criterion: str
    has_text: bool
    evidence: int


@dataclass(frozen=True)
class CaseFacts:
    case_id: int
    candidate: str
    target_track: str
    current_track: str | None
    arguments: tuple[Argument, ...]
    self_scores: Mapping[str, float | None] | None = None
    others_scores: Mapping[str, float | None] | None = None


@dataclass(frozen=True)
class TeamFacts:
    manager_id: int
    manager: str
    eligible: int
    proposed: int


@dataclass(frozen=True)
class Flag:
    kind: str
    subject: str
    message: str
    case_id: int | None = None
    manager_id: int | None = None


def argued_without_evidence(cases: Iterable[CaseFacts]) -> list[Flag]:
    flags = []
    for case in cases:
        bare = [a.criterion.rstrip(". ") for a in case.arguments if a.has_text and a.evidence == 0]
        if bare:
            flags.append(
                Flag(
                    kind=UNEVIDENCED,
                    subject=case.candidate,
                    case_id=case.case_id,
                    message=f"{len(bare)} {'criterion' if len(bare) == 1 else 'criteria'} argued "
                    "with no evidence linked: " + "; ".join(bare) + ".",
                )
            )
    return flags


def self_other_gap(
    self_scores: Mapping[str, float | None] | None,
    others_scores: Mapping[str, float | None] | None,
) -> float | None:
    """Mean of (self - others) over the scales both have a number for, or None."""
    if not self_scores or not others_scores:
        return None
    gaps = []
    for scale, own in self_scores.items():
        seen = others_scores.get(scale)
        if own is None or seen is None or math.isnan(own) or math.isnan(seen):
            continue
        gaps.append(own - seen)
    if not gaps:
        return None
    return sum(gaps) / len(gaps)


def confidence_without_evidence(
    cases: Iterable[CaseFacts], *, gap: float = CONFIDENCE_GAP
) -> list[Flag]:
    flags = []
    for case in cases:
        if case.target_track != MANAGER_TRACK:
            continue
        difference = self_other_gap(case.self_scores, case.others_scores)
        if difference is None or difference < gap:
            continue
        flags.append(
            Flag(
                kind=CONFIDENCE,
                subject=case.candidate,
                case_id=case.case_id,
                # The gap itself stays in the person's report: the flag says only that the
                # rule fired, never their scores.
                message="Proposed into people management; in their latest assessment they rate "
                f"themself well above how others rate them ({gap:g} points or more on average).",
            )
        )
    return flags


@dataclass(frozen=True)
class RateTest:
    team: TeamFacts
    rate: float
    rest_rate: float
    p_value: float


def manager_rate_tests(teams: Sequence[TeamFacts]) -> list[RateTest]:
    """Each manager's proposal rate against the rest of the organisation (Fisher's exact)."""
    total_eligible = sum(t.eligible for t in teams)
    total_proposed = sum(t.proposed for t in teams)
    tests = []
    for team in teams:
        if team.eligible <= 0:
            continue
        if not 0 <= team.proposed <= team.eligible:
            raise ValueError(f"{team.manager}: proposed must be between 0 and eligible")
        rest_eligible = total_eligible - team.eligible
        rest_proposed = total_proposed - team.proposed
        if rest_eligible <= 0:
            continue
        table = [
            [team.proposed, team.eligible - team.proposed],
            [rest_proposed, rest_eligible - rest_proposed],
        ]
        _, p_value = fisher_exact(table, alternative="two-sided")
        tests.append(
            RateTest(
                team=team,
                rate=team.proposed / team.eligible,
                rest_rate=rest_proposed / rest_eligible,
                p_value=float(p_value),
            )
        )
    return tests


def format_p(p_value: float) -> str:
    """A p-value as people read it: ``p = 0.012``, or ``p < 0.001`` when smaller."""
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def manager_rate_flags(teams: Sequence[TeamFacts], *, alpha: float = RATE_ALPHA) -> list[Flag]:
    flags = []
    for test in manager_rate_tests(teams):
        if test.p_value >= alpha:
            continue
        direction = "more" if test.rate > test.rest_rate else "fewer"
        flags.append(
            Flag(
                kind=MANAGER_RATE,
                subject=test.team.manager,
                manager_id=test.team.manager_id,
                message=f"Proposed {test.team.proposed} of {test.team.eligible} direct reports "
                f"({test.rate:.0%}), {direction} than the rest of the organisation "
                f"({test.rest_rate:.0%}); Fisher's exact {format_p(test.p_value)}.",
            )
        )
    return flags


@dataclass(frozen=True)
class GroupRate:
    group: str
    selected: int
    eligible: int
    rate: float
    impact_ratio: float | None  # rate / highest rate; None when nobody was selected
    small: bool

    @property
    def adverse(self) -> bool:
        return self.impact_ratio is not None and self.impact_ratio < FOUR_FIFTHS


def selection_rates(groups: Mapping[str, tuple[int, int]]) -> list[GroupRate]:
    """Selection rate and impact ratio per group, from ``{group: (selected, eligible)}``."""
    rates = {}
    for group, (selected, eligible) in groups.items():
        if eligible <= 0:
            continue
        if not 0 <= selected <= eligible:
            raise ValueError(f"group {group!r}: selected must be between 0 and eligible")
        rates[group] = selected / eligible
    highest = max(rates.values(), default=0.0)
    return [
        GroupRate(
            group=group,
            selected=groups[group][0],
            eligible=groups[group][1],
            rate=rate,
            impact_ratio=rate / highest if highest > 0 else None,
            small=groups[group][1] < SMALL_GROUP,
        )
        for group, rate in sorted(rates.items())
    ]


def four_fifths_flags(
    fields: Mapping[str, Mapping[str, tuple[int, int]]],
    *,
    rate_name: str = "Selection rate",
    stage: str = "",
) -> list[Flag]:
    """Four-fifths flags per field; ``stage`` (e.g. "approvals") is added to the subject."""
    flags = []
    for field, groups in sorted(fields.items()):
        rates = selection_rates(groups)
        if len(rates) < 2:
            continue
        best = max(rates, key=lambda r: r.rate)
        for rate in rates:
            if not rate.adverse:
                continue
            caution = " Few people in this group: read with care." if rate.small else ""
            flags.append(
                Flag(
                    kind=ADVERSE_IMPACT,
                    subject=f"{field}: {rate.group}" + (f" ({stage})" if stage else ""),
                    message=f"{rate_name} {rate.rate:.0%} ({rate.selected} of "
                    f"{rate.eligible}) is {rate.impact_ratio:.2f} of the highest group's "
                    f"({best.group}, {best.rate:.0%}), under four-fifths.{caution}",
                )
            )
    return flags
