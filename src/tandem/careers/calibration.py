"""Bias flags for a calibration session, computed from plain values. Of Django only its
translations, to word the flags in the reader's language.

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
  Data Analysis*, 3rd ed., 2013, section 3.5), then Holm's adjustment over every manager
  compared (Holm, 1979, *Scandinavian Journal of Statistics* 6(2)). Flagged when the adjusted
  p < 0.05. Fisher's test is used rather than a two-proportion z-test because teams are small,
  where the z-test's normal approximation is poor. Holm's adjustment because an organisation
  compares dozens of managers at once: at p < 0.05 each, one fair manager in twenty is flagged
  by chance (about two in a round of 45), and a flag names a person. Holm keeps the chance
  that *any* fair manager is flagged in a round under 5%, whatever the dependence between the
  tests (Benjamini-Hochberg would control only the share of wrong flags among those raised).
  Two minimums come first, and below them the manager is "too few to judge", never flagged:
  ``MIN_PROPOSALS`` (5) proposals in the organisation, because with fewer, whoever proposes
  first differs from a rest that has proposed nobody (one proposal among 3 reports against 0
  of 147 gives p = 0.02); and ``MIN_REPORTS`` (5) direct reports, because with fewer, one
  proposal more or less moves a manager's rate by 25 points or more.
* **Four-fifths rule**: for each demographic field, each group's selection rate divided by the
  highest group's rate, at two stages: proposals (proposed / everyone with a manager) and
  approvals (approved / decided cases); a ratio below 0.8 is "generally regarded by
  the Federal enforcement agencies as evidence of adverse impact" (EEOC Uniform Guidelines on
  Employee Selection Procedures, 29 CFR 1607.4(D)). The same section says that "greater
  differences in selection rate may not constitute adverse impact where the differences are
  based on small numbers and are not statistically significant", and the agencies' Questions
  and Answers on the Guidelines (44 FR 11996, 1979) say not to act where "the selection of one
  different person" would reverse the result. So a ratio under 0.8 is "too few to judge",
  not a flag, when one different selection (one more from the group, one fewer from the
  highest group) would give the group a rate at least as high as the highest group's. Groups
  under ``SMALL_GROUP`` people that are still flagged are marked as small rather than hidden.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext, ngettext

CONFIDENCE_GAP = 0.5
RATE_ALPHA = 0.05
MIN_PROPOSALS = 5
MIN_REPORTS = 5
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
                    message=ngettext(
                        "%(count)s criterion argued with no evidence linked: %(criteria)s.",
                        "%(count)s criteria argued with no evidence linked: %(criteria)s.",
                        len(bare),
                    )
                    % {"count": len(bare), "criteria": "; ".join(bare)},
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
                message=gettext(
                    "Proposed into people management; in their latest assessment they rate "
                    "themself well above how others rate them (%(gap)s points or more on "
                    "average)."
                )
                % {"gap": f"{gap:g}"},
            )
        )
    return flags


def holm_adjust(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjustment of p-values for a family of tests, in the order given.

    With the m p-values sorted ascending, the i-th smallest (counting from 1) becomes
    ``max over j <= i of min(1, (m - j + 1) * p_(j))``. Rejecting where the adjusted p is under
    alpha keeps the chance of any false rejection in the family under alpha, whatever the
    dependence between the tests.

    Parameters
    ----------
    p_values : sequence of float
        Raw p-values, each in [0, 1].

    Returns
    -------
    list of float
        Adjusted p-values, in the same order as ``p_values``.

    Raises
    ------
    ValueError
        If a p-value lies outside [0, 1].

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics* 6(2), 65-70.

    Examples
    --------
    The same numbers as R's ``p.adjust(c(0.01, 0.04, 0.03), method = "holm")``:

    >>> [round(p, 6) for p in holm_adjust([0.01, 0.04, 0.03])]
    [0.03, 0.06, 0.06]
    >>> holm_adjust([])
    []
    """
    for p in p_values:
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"a p-value must lie between 0 and 1, not {p}")
    m = len(p_values)
    adjusted = [0.0] * m
    running = 0.0
    for rank, index in enumerate(sorted(range(m), key=lambda i: p_values[i])):
        running = max(running, min(1.0, (m - rank) * p_values[index]))
        adjusted[index] = running
    return adjusted


@dataclass(frozen=True)
class RateTest:
    """One manager's proposal rate against the rest of the organisation.

    ``p_value`` is Fisher's exact test (two-sided) and ``adjusted_p`` the same after Holm's
    adjustment over every manager compared; both are None when there is too little to judge,
    and ``too_few`` then says why in plain words. ``rest_rate`` is None when the manager's team
    is the whole organisation.
    """

    team: TeamFacts
    rate: float
    rest_rate: float | None
    p_value: float | None = None
    adjusted_p: float | None = None
    flagged: bool = False
    too_few: str = ""

    @property
    def judged(self) -> bool:
        return self.p_value is not None

    @property
    def evidence(self) -> str:
        """The evidence in words: the Holm-adjusted p, or why there is too little to judge."""
        if self.adjusted_p is None:
            return gettext("too few to judge: %(why)s") % {"why": self.too_few}
        return format_p(self.adjusted_p)


def _evidence_order(test: RateTest) -> tuple[int, float, float, int, str, int]:
    """Flags first, then the other managers compared, then those too few to judge; within
    each, the strongest evidence (smallest p) first, then the most proposals."""
    group = 0 if test.flagged else 1 if test.judged else 2
    return (
        group,
        1.0 if test.adjusted_p is None else test.adjusted_p,
        1.0 if test.p_value is None else test.p_value,
        -test.team.proposed,
        test.team.manager,
        test.team.manager_id,
    )


def manager_rate_tests(
    teams: Sequence[TeamFacts],
    *,
    alpha: float = RATE_ALPHA,
    min_proposals: int = MIN_PROPOSALS,
    min_reports: int = MIN_REPORTS,
) -> list[RateTest]:
    """Each manager's proposal rate against the rest of the organisation, strongest evidence
    first.

    A manager is compared (Fisher's exact test on the 2x2 table of their reports proposed and
    not, against everyone else's) only when the organisation has at least ``min_proposals``
    proposals and the manager at least ``min_reports`` direct reports; the p-values of the
    managers compared are then adjusted together by :func:`holm_adjust`, and a manager is
    flagged when the adjusted p is under ``alpha``.

    Parameters
    ----------
    teams : sequence of TeamFacts
        One entry per manager: direct reports eligible and how many of them were proposed.
        Managers with no eligible reports are left out.
    alpha : float
        The family-wise error rate: the chance that any fair manager is flagged.
    min_proposals, min_reports : int
        The minimum evidence; below either, the test says ``too_few`` and is not run.

    Returns
    -------
    list of RateTest
        Flagged managers first (smallest adjusted p first), then the others compared, then
        those too few to judge (most proposals first).

    Raises
    ------
    ValueError
        If a team proposed more people than it has, or fewer than none.

    Examples
    --------
    The first manager to propose anyone, one of three reports, among 49 managers who have
    proposed nobody yet, is too few to judge, not a flag:

    >>> first = [TeamFacts(1, "Ann", eligible=3, proposed=1)]
    >>> rest = [TeamFacts(i, f"M{i}", eligible=3, proposed=0) for i in range(2, 51)]
    >>> test = manager_rate_tests(first + rest)[0]
    >>> test.team.manager, test.flagged, test.p_value, test.too_few
    ('Ann', False, None, 'fewer than 5 proposals in the organisation')

    A manager who proposes all six reports while four others propose one of eight each. Only
    the observed table is as extreme, so p is its hypergeometric probability, C(10, 6) / C(38, 6)
    = 210 / 2760681; Holm multiplies the smallest of five p-values by five:

    >>> teams = [TeamFacts(1, "Gina", 6, 6)] + [TeamFacts(i, f"M{i}", 8, 1) for i in range(2, 6)]
    >>> gina = manager_rate_tests(teams)[0]
    >>> gina.team.manager, gina.flagged
    ('Gina', True)
    >>> abs(gina.p_value - 210 / 2760681) < 1e-12, abs(gina.adjusted_p - 5 * gina.p_value) < 1e-12
    (True, True)
    """
    from scipy.stats import fisher_exact  # imported when used: a second at start-up

    total_eligible = sum(t.eligible for t in teams if t.eligible > 0)
    total_proposed = sum(t.proposed for t in teams if t.eligible > 0)
    rows: list[tuple[TeamFacts, float | None, float | None, str]] = []
    for team in teams:
        if team.eligible <= 0:
            continue
        if not 0 <= team.proposed <= team.eligible:
            raise ValueError(f"{team.manager}: proposed must be between 0 and eligible")
        rest_eligible = total_eligible - team.eligible
        rest_proposed = total_proposed - team.proposed
        rest_rate = rest_proposed / rest_eligible if rest_eligible > 0 else None
        p_value: float | None = None
        too_few = ""
        if rest_eligible <= 0:
            too_few = gettext("no one else to compare with")
        elif total_proposed < min_proposals:
            too_few = ngettext(
                "fewer than %(count)s proposal in the organisation",
                "fewer than %(count)s proposals in the organisation",
                min_proposals,
            ) % {"count": min_proposals}
        elif team.eligible < min_reports:
            too_few = ngettext(
                "fewer than %(count)s direct report",
                "fewer than %(count)s direct reports",
                min_reports,
            ) % {"count": min_reports}
        else:
            table = [
                [team.proposed, team.eligible - team.proposed],
                [rest_proposed, rest_eligible - rest_proposed],
            ]
            _, p = fisher_exact(table, alternative="two-sided")
            p_value = min(1.0, float(p))
        rows.append((team, rest_rate, p_value, too_few))
    compared = [p for _, _, p, _ in rows if p is not None]
    adjusted = iter(holm_adjust(compared))
    tests = []
    for team, rest_rate, p_value, too_few in rows:
        adjusted_p = next(adjusted) if p_value is not None else None
        tests.append(
            RateTest(
                team=team,
                rate=team.proposed / team.eligible,
                rest_rate=rest_rate,
                p_value=p_value,
                adjusted_p=adjusted_p,
                flagged=adjusted_p is not None and adjusted_p < alpha,
                too_few=too_few,
            )
        )
    return sorted(tests, key=_evidence_order)


def format_p(p_value: float) -> str:
    """A p-value as people read it: ``p = 0.012``, or ``p < 0.001`` when smaller."""
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


@dataclass(frozen=True)
class ManagerRates:
    """Every manager's proposal rate in one round, with what the page needs to show first.

    ``tests`` come from :func:`manager_rate_tests`, strongest evidence first. ``listed`` is
    what deserves a row: the flagged managers and everyone who proposed someone. The managers
    who proposed nobody and are not flagged are only counted (``proposed_nobody``): a row each
    with 0 proposals and p = 1.000 would bury the few that matter.
    """

    tests: tuple[RateTest, ...]
    proposed: int
    eligible: int
    min_proposals: int = MIN_PROPOSALS

    @property
    def enough_proposals(self) -> bool:
        return self.proposed >= self.min_proposals

    @property
    def compared(self) -> int:
        return sum(1 for t in self.tests if t.judged)

    @property
    def flagged(self) -> tuple[RateTest, ...]:
        return tuple(t for t in self.tests if t.flagged)

    @property
    def listed(self) -> tuple[RateTest, ...]:
        return tuple(t for t in self.tests if t.flagged or t.team.proposed > 0)

    @property
    def proposed_nobody(self) -> int:
        return sum(1 for t in self.tests if not t.flagged and t.team.proposed == 0)

    @property
    def flags(self) -> tuple[Flag, ...]:
        """One flag per flagged manager, strongest evidence first."""
        flags = []
        for test in self.flagged:
            assert test.adjusted_p is not None and test.rest_rate is not None
            values = {
                "proposed": test.team.proposed,
                "eligible": test.team.eligible,
                "rate": f"{test.rate:.0%}",
                "rest_rate": f"{test.rest_rate:.0%}",
                "p": format_p(test.adjusted_p),
                "count": self.compared,
            }
            if test.rate > test.rest_rate:
                message = ngettext(
                    "Proposed %(proposed)s of %(eligible)s direct reports (%(rate)s), more than "
                    "the rest of the organisation (%(rest_rate)s); Fisher's exact %(p)s after "
                    "Holm's adjustment for the %(count)s manager compared.",
                    "Proposed %(proposed)s of %(eligible)s direct reports (%(rate)s), more than "
                    "the rest of the organisation (%(rest_rate)s); Fisher's exact %(p)s after "
                    "Holm's adjustment for the %(count)s managers compared.",
                    self.compared,
                )
            else:
                message = ngettext(
                    "Proposed %(proposed)s of %(eligible)s direct reports (%(rate)s), fewer than "
                    "the rest of the organisation (%(rest_rate)s); Fisher's exact %(p)s after "
                    "Holm's adjustment for the %(count)s manager compared.",
                    "Proposed %(proposed)s of %(eligible)s direct reports (%(rate)s), fewer than "
                    "the rest of the organisation (%(rest_rate)s); Fisher's exact %(p)s after "
                    "Holm's adjustment for the %(count)s managers compared.",
                    self.compared,
                )
            flags.append(
                Flag(
                    kind=MANAGER_RATE,
                    subject=test.team.manager,
                    manager_id=test.team.manager_id,
                    message=message % values,
                )
            )
        return tuple(flags)


def manager_rates(
    teams: Sequence[TeamFacts],
    *,
    alpha: float = RATE_ALPHA,
    min_proposals: int = MIN_PROPOSALS,
    min_reports: int = MIN_REPORTS,
) -> ManagerRates:
    """Every manager's proposal rate, compared as :func:`manager_rate_tests` says.

    Examples
    --------
    Forty-two managers proposed nobody; they are counted, not listed:

    >>> teams = [TeamFacts(1, "Gina", 6, 6)] + [TeamFacts(i, f"M{i}", 8, 1) for i in range(2, 6)]
    >>> teams += [TeamFacts(i, f"Q{i}", 5, 0) for i in range(6, 48)]
    >>> rates = manager_rates(teams)
    >>> [t.team.manager for t in rates.flagged], len(rates.listed), rates.proposed_nobody
    (['Gina'], 5, 42)
    >>> rates.flags[0].message
    "Proposed 6 of 6 direct reports (100%), more than the rest of the organisation (2%); \
Fisher's exact p < 0.001 after Holm's adjustment for the 47 managers compared."
    """
    tests = manager_rate_tests(
        teams, alpha=alpha, min_proposals=min_proposals, min_reports=min_reports
    )
    return ManagerRates(
        tests=tuple(tests),
        proposed=sum(t.proposed for t in teams if t.eligible > 0),
        eligible=sum(t.eligible for t in teams if t.eligible > 0),
        min_proposals=min_proposals,
    )


def manager_rate_flags(teams: Sequence[TeamFacts], *, alpha: float = RATE_ALPHA) -> list[Flag]:
    """The managers whose proposal rate stands out, strongest evidence first."""
    return list(manager_rates(teams, alpha=alpha).flags)


@dataclass(frozen=True)
class GroupRate:
    """One group's selection rate against the highest group's.

    ``impact_ratio`` is None when nobody was selected. ``too_few`` is True when the ratio is
    under four-fifths but one different selection (one more from this group, one fewer from
    the highest group) would give this group a rate at least as high as the highest group's.
    """

    group: str
    selected: int
    eligible: int
    rate: float
    impact_ratio: float | None
    small: bool
    too_few: bool = False

    @property
    def below_four_fifths(self) -> bool:
        return self.impact_ratio is not None and self.impact_ratio < FOUR_FIFTHS

    @property
    def adverse(self) -> bool:
        """Under four-fifths, by more than one different selection could undo."""
        return self.below_four_fifths and not self.too_few


def selection_rates(groups: Mapping[str, tuple[int, int]]) -> list[GroupRate]:
    """Selection rate and impact ratio per group, from ``{group: (selected, eligible)}``.

    Parameters
    ----------
    groups : mapping of str to (int, int)
        Per group, how many were selected and how many were eligible. Groups with nobody
        eligible are left out.

    Returns
    -------
    list of GroupRate
        By group name. The highest group is the first by name among those with the highest
        rate; ``too_few`` compares with it.

    Raises
    ------
    ValueError
        If a group selected more people than it has, or fewer than none.

    Examples
    --------
    The agencies' own example: three of 20 men and one of 10 women selected. Women's rate is
    2/3 of men's, under four-fifths, but one different selection (two women, two men) would
    put women ahead, so the numbers are too few to judge:

    >>> women = selection_rates({"men": (3, 20), "women": (1, 10)})[1]
    >>> round(women.impact_ratio, 2), women.below_four_fifths, women.too_few, women.adverse
    (0.67, True, True, False)
    >>> selection_rates({"men": (9, 20), "women": (2, 15)})[1].adverse
    True
    """
    rates = {}
    for group, (selected, eligible) in groups.items():
        if eligible <= 0:
            continue
        if not 0 <= selected <= eligible:
            raise ValueError(f"group {group!r}: selected must be between 0 and eligible")
        rates[group] = selected / eligible
    highest = max(rates.values(), default=0.0)
    best = next((g for g in sorted(rates) if rates[g] == highest), None)
    result = []
    for group, rate in sorted(rates.items()):
        selected, eligible = groups[group]
        ratio = rate / highest if highest > 0 else None
        too_few = False
        if best is not None and ratio is not None and ratio < FOUR_FIFTHS:
            best_selected, best_eligible = groups[best]
            too_few = (selected + 1) / eligible >= (best_selected - 1) / best_eligible
        result.append(
            GroupRate(
                group=group,
                selected=selected,
                eligible=eligible,
                rate=rate,
                impact_ratio=ratio,
                small=eligible < SMALL_GROUP,
                too_few=too_few,
            )
        )
    return result


def four_fifths_flags(
    fields: Mapping[str, Mapping[str, tuple[int, int]]],
    *,
    rate_name: str | None = None,
    stage: str = "",
) -> list[Flag]:
    """Four-fifths flags over every field, the largest shortfall (lowest ratio) first.

    A group under four-fifths of the highest group's rate is flagged unless one different
    selection would undo it (see :func:`selection_rates`). ``rate_name`` (by default "Selection
    rate") begins the message and ``stage`` (e.g. "approvals") is added to the subject; both
    come in the reader's language.

    Examples
    --------
    >>> [f.subject for f in four_fifths_flags({
    ...     "gender": {"woman": (2, 15), "man": (9, 20)},
    ...     "age": {"under 30": (0, 3), "30+": (5, 20)},
    ... })]
    ['gender: woman']
    """
    rate_name = gettext("Selection rate") if rate_name is None else rate_name
    found = []
    for field, groups in sorted(fields.items()):
        rates = selection_rates(groups)
        if len(rates) < 2:
            continue
        best = max(rates, key=lambda r: r.rate)
        for rate in rates:
            if not rate.adverse:
                continue
            assert rate.impact_ratio is not None
            caution = (
                " " + gettext("Few people in this group: read with care.") if rate.small else ""
            )
            if best.small:
                caution += " " + gettext("Few people in the highest group: read with care.")
            values = {"field": field, "group": rate.group, "stage": stage}
            found.append(
                (
                    rate.impact_ratio,
                    Flag(
                        kind=ADVERSE_IMPACT,
                        subject=(
                            gettext("%(field)s: %(group)s (%(stage)s)")
                            if stage
                            else gettext("%(field)s: %(group)s")
                        )
                        % values,
                        message=gettext(
                            "%(rate_name)s %(rate)s (%(selected)s of %(eligible)s) is %(ratio)s "
                            "of the highest group's (%(best)s, %(best_rate)s), under four-fifths."
                        )
                        % {
                            "rate_name": rate_name,
                            "rate": f"{rate.rate:.0%}",
                            "selected": rate.selected,
                            "eligible": rate.eligible,
                            "ratio": f"{rate.impact_ratio:.2f}",
                            "best": best.group,
                            "best_rate": f"{best.rate:.0%}",
                        }
                        + caution,
                    ),
                )
            )
    return [flag for _, flag in sorted(found, key=lambda pair: pair[0])]
