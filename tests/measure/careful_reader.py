"""The careful reader: every figure shown about one person, taken together, with exact arithmetic.

Used by ``tests/measure/test_disclosure_properties.py`` (a sample every run) and by
``bench/bench_anonymity.py`` (100,000 mixes, recorded).

The attacker (docs/measure.md, "Who the rule protects against") sees every number Tandem
shows about one person, knows who was asked, which group each rater is in and which questions
each one answered, knows their own answers (the participant; or the manager, when the
participant lets them read the report), and can do exact arithmetic. They must not be able to
determine one rater's answer, or any combination of the answers of a set of raters smaller
than that set's minimum (a group below its minimum, say).

How it is checked, without trusting the code under test:

1. **Figures.** Every number in the report dict (:func:`tandem.measure.ratee_dicts` with
   ``digits=None``: the exact values, a stronger reader than one who sees rounded ones).
   Norm percentiles, categories and the ranking of blind spots are left out: each is a
   function of figures that are in (with the stored norms the reader can look up), so it
   adds nothing to what the figures already give.
2. **Coefficients.** With the pattern of who answered what fixed, every figure is an affine
   function of the answers. Moving one answer by one step moves each figure by exactly that
   answer's coefficient. We score one copy of the person per answer, each with that answer
   moved, in a single :func:`tandem.measure.score_360` call (stored norms and a stored ICC, so
   copies do not influence each other), and read the coefficients back as exact fractions.
3. **Exact algebra.** Scaled to whole numbers, the coefficients form a matrix ``M`` (figures x
   unknown answers). A nonzero combination of figures that involves only the answers of a set
   ``G`` of raters exists exactly when the rows of a basis of ``M``'s null space, restricted
   to ``G``'s answers, are linearly dependent. Ranks are computed exactly in the prime fields
   of ``2^31 - 1`` and ``2^31 - 19``: a combination over the rationals shows up in a prime
   field unless the prime divides the denominators of its multipliers, so a leak would have to
   hide from both primes at once to be missed.
4. **Sets checked.** For each reader (the participant; the manager, knowing one manager's
   answers, when there is a manager; see :func:`readers`): every set of ``m - 1`` raters of a group with minimum
   ``m >= 2`` (every single rater of it, when ``m = 2``), or the whole group when it has fewer;
   and sets of ``m - 1`` raters drawn from two groups whose smaller minimum is ``m >= 3`` (all
   of them, or a random 40 per pair of groups when there are more). A combination on a smaller set also lives on
   every larger set that contains it, so these cover every smaller set too.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from tandem.measure import (
    DEFAULT_MINIMUMS,
    GROUPS,
    Instrument,
    NormTable,
    parse_instrument,
    ratee_dicts,
    score_360,
    visible_aggregates,
)

PRIMES = (2_147_483_647, 2_147_483_629)
LEFT_OUT_KEYS = frozenset(
    {"minimums", "instrument", "blind_spots", "hidden_strengths", "percentile"}
)
CROSS_SET_CAP = 40


def tiny_instrument() -> Instrument:
    """Two scales of three items (the third reverse-keyed), one per index, 1-5 + not observed."""

    def scale(sid: str, role: str) -> dict[str, Any]:
        return {
            "id": sid,
            "name": sid.title(),
            "role": role,
            "items": [
                {
                    "id": f"{sid[0]}{k + 1}",
                    "self": f"I do {sid} thing {k + 1}.",
                    "observer": f"They do {sid} thing {k + 1}.",
                    "reverse": k == 2,
                }
                for k in range(3)
            ],
        }

    return parse_instrument(
        {
            "format": "tandem-instrument/1",
            "id": "tiny",
            "version": 1,
            "title": "Tiny instrument for the anonymity tests",
            "response_scales": {
                "frequency": {
                    "min": 1,
                    "max": 5,
                    "labels": {1: "Never", 2: "Rarely", 3: "Sometimes", 4: "Often", 5: "Always"},
                    "not_observed": {"code": 0, "label": "Not observed"},
                }
            },
            "rated": {
                "response_scale": "frequency",
                "scales": [scale("lead", "leadership"), scale("manage", "management")],
            },
            "indices": {"leadership": ["lead"], "management": ["manage"]},
        },
        source="tiny",
    )


def stored_norms(instrument: Instrument) -> NormTable:
    """A norm table with mean 3 and SD 1 on every column, so z and T are exact fractions."""
    columns = (*instrument.scale_ids, *instrument.item_ids, "leadership", "management")
    table = np.tile(np.array([[2.0], [3.0], [4.0]]), (1, len(columns)))
    return NormTable(n_points=3).fit(table, columns=columns)


@dataclass(frozen=True)
class Mix:
    """One person's raters: their groups, answers (-1 = not observed), the settings."""

    groups: tuple[str, ...]
    answers: np.ndarray[Any, Any]
    minimums: Mapping[str, int]
    min_answered: float

    def describe(self) -> str:
        rows = "\n".join(
            f"  {g:<14} {' '.join(f'{v:>2}' for v in row)}"
            for g, row in zip(self.groups, self.answers.tolist(), strict=True)
        )
        return f"minimums {dict(self.minimums)}, min_answered {self.min_answered}\n{rows}"


def random_mix(rng: np.random.Generator, n_items: int = 6) -> Mix:
    """A random rater mix: self 0-1 (two self sheets are refused), 0-8 in every other group,
    random minimums (or the defaults), a random share to answer and random "not observed"."""
    counts = [int(rng.integers(0, 2))] + [int(rng.integers(0, 9)) for _ in GROUPS[1:]]
    groups = tuple(g for g, k in zip(GROUPS, counts, strict=True) for _ in range(k))
    if rng.random() < 0.3:
        minimums = dict(DEFAULT_MINIMUMS)
    else:
        minimums = {g: int(rng.integers(1, 6)) for g in GROUPS}
    min_answered = float(rng.choice([0.2, 1 / 3, 0.5, 2 / 3, 1.0]))
    missing = float(rng.choice([0.0, 0.1, 0.3, 0.6]))
    answers = rng.integers(1, 6, size=(len(groups), n_items))
    answers[rng.random(answers.shape) < missing] = -1
    return Mix(groups, answers, minimums, min_answered)


def _walk(value: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], float]]:
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if key not in LEFT_OUT_KEYS:
                yield from _walk(inner, (*path, str(key)))
    elif isinstance(value, list | tuple):
        for k, inner in enumerate(value):
            label = inner.get("label", k) if isinstance(inner, Mapping) else k
            yield from _walk(inner, (*path, str(label)))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield path, float(value)


def figures(report: Mapping[str, Any]) -> dict[tuple[str, ...], float]:
    """Every number the report shows (see the module docstring for what is left out)."""
    return dict(_walk(report, ()))


def _places(value: Any, place: tuple[Any, ...]) -> Iterator[tuple[Any, ...]]:
    """Where each number of :func:`figures` sits (keys and list positions), in the same order."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if key not in LEFT_OUT_KEYS:
                yield from _places(inner, (*place, key))
    elif isinstance(value, list | tuple):
        for k, inner in enumerate(value):
            yield from _places(inner, (*place, k))
    elif isinstance(value, int | float) and not isinstance(value, bool):
        yield place


def _read(report: Any, places: list[tuple[Any, ...]]) -> list[float]:
    out = []
    for place in places:
        value = report
        for key in place:
            value = value[key]
        out.append(float(value))
    return out


def score_copies(mix: Mix, instrument: Instrument, copies: np.ndarray[Any, Any]) -> list[Any]:
    """Report dicts of several copies of the person (one per answer table), exact figures."""
    n = len(mix.groups)
    scored = score_360(
        copies.reshape(-1, copies.shape[-1]),
        ratee=np.repeat(np.arange(copies.shape[0]), n),
        group=list(mix.groups) * copies.shape[0],
        instrument=instrument,
        ratee_ids=[str(k) for k in range(copies.shape[0])],
        minimums=mix.minimums,
        min_answered=mix.min_answered,
        norms=stored_norms(instrument),
        profile_cuts=(3.0, 3.0),
        index_icc1=(0.4, 0.4),
        rater_sd=(0.7, 0.7),  # stored, so copies of the person do not pool with each other
    )
    return list(ratee_dicts(scored, digits=None))


@dataclass(frozen=True)
class Linear:
    """The figures as exact linear forms: ``rows`` (figures x answers) of whole numbers."""

    cells: tuple[tuple[int, int], ...]  # (rater, item) of each unknown answer, in column order
    rows: tuple[tuple[int, ...], ...]
    figure_names: tuple[tuple[str, ...], ...]


Scorer = Callable[[Mix, Instrument, np.ndarray[Any, Any]], list[Any]]


def linear_forms(mix: Mix, instrument: Instrument, score: Scorer | None = None) -> Linear:
    """Learn each figure's exact coefficient on every answer (module docstring, step 2)."""
    answers = np.asarray(mix.answers)
    cells = tuple((int(r), int(j)) for r, j in np.argwhere(answers >= 1))
    if not cells:
        return Linear(cells, (), ())
    copies = np.repeat(answers[None], len(cells) + 1, axis=0)
    step = np.zeros(len(cells))
    for u, (r, j) in enumerate(cells):
        step[u] = 1 if answers[r, j] < 5 else -1
        copies[u + 1, r, j] += int(step[u])
    reports = (score or score_copies)(mix, instrument, copies)
    base = figures(reports[0])
    keys = list(base)
    places = list(_places(reports[0], ()))
    at_base = np.array(_read(reports[0], places))
    moved = np.array([_read(rep, places) for rep in reports[1:]]).reshape(len(cells), -1)
    if reports and figures(reports[-1]).keys() != base.keys():
        raise AssertionError("moving an answer changed which figures are shown")
    rows: list[tuple[int, ...]] = []
    names: list[tuple[str, ...]] = []
    slopes = (moved - at_base).T / step
    values, where = np.unique(np.round(slopes, 12), return_inverse=True)
    numerators = np.zeros(values.size, dtype=np.int64)
    denominators = np.ones(values.size, dtype=np.int64)
    for k, value in enumerate(values.tolist()):
        close = Fraction(value).limit_denominator(100_000)
        if abs(float(close) - value) > 1e-9:
            raise AssertionError(f"coefficient {value} is not a small fraction")
        numerators[k], denominators[k] = close.numerator, close.denominator
    where = where.reshape(slopes.shape)
    seen: set[tuple[int, ...]] = set()
    for name, num, den in zip(keys, numerators[where], denominators[where], strict=True):
        if not num.any():
            continue
        whole = num * (int(np.lcm.reduce(den)) // den)
        whole //= np.gcd.reduce(whole) * np.sign(whole[np.flatnonzero(whole)[0]])
        row = tuple(int(v) for v in whole)
        if row not in seen:  # the same combination again (a T-score, say) adds nothing
            seen.add(row)
            rows.append(row)
            names.append(name)
    return Linear(cells, tuple(rows), tuple(names))


def keyed(answers: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Turn the tiny instrument's reverse-keyed items (the third of each scale) round."""
    out = answers.copy()
    for j in (2, 5):
        out[:, j] = np.where(answers[:, j] >= 1, 6 - answers[:, j], answers[:, j])
    return out


def per_figure_reports(mix: Mix, instrument: Instrument, copies: np.ndarray[Any, Any]) -> list[Any]:
    """The rule as it was before the disclosure decision: each scale and each item of the tiny
    instrument passed to visible_aggregates alone (scale = mean of each rater's answered items
    when they answered enough). A :data:`Scorer` for showing that the reader finds leaks."""
    reports = []
    for answers in copies:
        values = np.where(answers >= 1, keyed(answers), np.nan).astype(float)
        report: dict[str, Any] = {"scales": {}, "items": {}}
        for s, items in enumerate(([0, 1, 2], [3, 4, 5])):
            block = values[:, items]
            answered = (~np.isnan(block)).sum(axis=1)
            enough = (answered > 0) & (answered >= mix.min_answered * 3 - 1e-9)
            with np.errstate(invalid="ignore"):
                scores = np.where(
                    enough, np.nanmean(np.where(enough[:, None], block, 0), 1), np.nan
                )
            report["scales"][str(s)] = [
                {"label": a.label, "mean": a.mean}
                for a in visible_aggregates(scores, list(mix.groups), minimums=mix.minimums)
            ]
        for j in range(6):
            report["items"][str(j)] = [
                {"label": a.label, "mean": a.mean}
                for a in visible_aggregates(values[:, j], list(mix.groups), minimums=mix.minimums)
            ]
        reports.append(report)
    return reports


def _eliminate(matrix: np.ndarray[Any, Any], p: int) -> tuple[np.ndarray[Any, Any], list[int]]:
    """Reduced row echelon form over GF(p): the reduced matrix and its pivot columns."""
    a = matrix % p
    pivots: list[int] = []
    row = 0
    for col in range(a.shape[1]):
        if row == a.shape[0]:
            break
        nonzero = np.flatnonzero(a[row:, col])
        if nonzero.size == 0:
            continue
        pivot = row + int(nonzero[0])
        a[[row, pivot]] = a[[pivot, row]]
        a[row] = a[row] * pow(int(a[row, col]), p - 2, p) % p
        factors = a[:, col].copy()
        factors[row] = 0
        a = (a - np.outer(factors, a[row]) % p) % p
        pivots.append(col)
        row += 1
    return a, pivots


def null_space(matrix: np.ndarray[Any, Any], p: int) -> np.ndarray[Any, Any]:
    """A basis of {x : matrix x = 0} over GF(p), one column per free variable."""
    reduced, pivots = _eliminate(matrix, p)
    n = matrix.shape[1]
    free = [c for c in range(n) if c not in set(pivots)]
    basis = np.zeros((n, len(free)), dtype=np.int64)
    for k, f in enumerate(free):
        basis[f, k] = 1
        for i, pc in enumerate(pivots):
            basis[pc, k] = (-int(reduced[i, f])) % p
    return basis


def _inverse(values: np.ndarray[Any, Any], p: int) -> np.ndarray[Any, Any]:
    """Element-wise inverse in GF(p) (Fermat: x^(p-2)), for nonzero values."""
    result = np.ones_like(values)
    base = values % p
    exponent = p - 2
    while exponent:
        if exponent & 1:
            result = result * base % p
        base = base * base % p
        exponent >>= 1
    return result


def full_rank_without(
    basis: np.ndarray[Any, Any], drop: np.ndarray[Any, Any], p: int
) -> np.ndarray[Any, Any]:
    """For each mask in ``drop`` (B x columns), whether ``basis`` (w x columns) keeps rank w
    once those columns are zeroed: one batched elimination over GF(p)."""
    w = basis.shape[0]
    a = np.where(drop[:, None, :], 0, basis[None, :, :]) % p  # (B, w, columns)
    full = np.ones(a.shape[0], dtype=bool)
    batch = np.arange(a.shape[0])
    for t in range(w):
        row = a[:, t, :]
        has = (row != 0).any(axis=1)
        full &= has
        col = np.argmax(row != 0, axis=1)
        pivot = row[batch, col]
        scale = np.where(has, _inverse(np.where(has, pivot, 1), p), 0)
        a[:, t, :] = row * scale[:, None] % p
        factors = a[batch, :, col]  # (B, w): each row's entry in the pivot column
        factors[:, t] = 0
        factors[~has] = 0
        a = (a - factors[:, :, None] * a[:, t, None, :] % p) % p
    return full


@dataclass(frozen=True)
class Leak:
    reader: str
    raters: tuple[int, ...]
    groups: tuple[str, ...]


def protected_sets(
    groups: Sequence[str],
    minimums: Mapping[str, int],
    known: set[int],
    rng: np.random.Generator,
) -> list[tuple[int, ...]]:
    """The largest sets of raters whose answers must stay hidden (module docstring, step 4)."""
    members = {
        g: [r for r, rg in enumerate(groups) if rg == g and r not in known] for g in GROUPS[1:]
    }
    sets: list[tuple[int, ...]] = []
    for g, raters in members.items():
        m = int(minimums.get(g, DEFAULT_MINIMUMS[g]))
        if m >= 2 and raters:
            sets.extend(itertools.combinations(raters, min(len(raters), m - 1)))
    for g1, g2 in itertools.combinations(GROUPS[1:], 2):
        m = min(int(minimums.get(g, DEFAULT_MINIMUMS[g])) for g in (g1, g2))
        pool = members[g1] + members[g2]
        if m < 3 or not members[g1] or not members[g2] or len(pool) < m - 1:
            continue
        mixed = [
            c
            for c in itertools.combinations(pool, m - 1)
            if set(c) & set(members[g1]) and set(c) & set(members[g2])
        ]
        if len(mixed) > CROSS_SET_CAP:
            picks = rng.choice(len(mixed), size=CROSS_SET_CAP, replace=False)
            mixed = [mixed[int(k)] for k in picks]
        sets.extend(mixed)
    return sets


def readers(
    mix: Mix, rng: np.random.Generator
) -> list[tuple[str, set[int], list[tuple[int, ...]]]]:
    """Who may read the report, the raters whose answers they know, and the sets to check.

    Knowing more can only reveal more: a set the participant could isolate, the manager (who
    also knows their own answers) could isolate too, unless the set holds that manager. So
    when there is a manager, the participant is checked only on sets holding the manager.
    """
    own = {r for r, g in enumerate(mix.groups) if g == "self"}
    managers = [r for r, g in enumerate(mix.groups) if g == "manager"]
    if not managers:
        return [("participant", own, protected_sets(mix.groups, mix.minimums, own, rng))]
    knows = own | {managers[0]}
    theirs = [s for s in protected_sets(mix.groups, mix.minimums, own, rng) if managers[0] in s]
    return [
        ("manager", knows, protected_sets(mix.groups, mix.minimums, knows, rng)),
        ("participant", own, theirs),
    ]


def _part_on(null: np.ndarray[Any, Any], coords: list[int], p: int) -> np.ndarray[Any, Any]:
    """A basis (rows) of the figures' combinations that involve only these answers: the
    vectors on ``coords`` orthogonal to the null space."""
    if null.shape[1] == 0:
        return np.eye(len(coords), dtype=np.int64)
    return null_space(np.ascontiguousarray(null[coords].T), p).T


def find_leaks(
    mix: Mix,
    instrument: Instrument,
    rng: np.random.Generator,
    score: Scorer | None = None,
    *,
    plain: bool = False,
) -> list[Leak]:
    """Every protected set of raters the figures let some reader isolate (empty when safe).

    ``score`` turns copies of the person into report dicts (default: Tandem's own,
    :func:`score_copies`). ``plain=True`` checks each set with its own rank computation
    (slow, obvious) instead of the batched check; the tests compare the two.
    """
    forms = linear_forms(mix, instrument, score)
    if not forms.rows:
        return []
    if plain:
        return _leaks_one_by_one(mix, forms, rng)
    matrix = np.array(forms.rows, dtype=object)
    rater_of = np.array([r for r, _j in forms.cells])
    leaks: list[Leak] = []
    for reader, known, sets in readers(mix, rng):
        unknown = [u for u, r in enumerate(rater_of) if r not in known]
        if not unknown or not sets:
            continue
        raters_of = rater_of[unknown]
        by_area: dict[tuple[str, ...], list[tuple[int, ...]]] = {}
        for raters in sets:
            area = tuple(sorted({mix.groups[r] for r in raters}))  # one size per area
            by_area.setdefault(area, []).append(raters)
        for p in PRIMES:
            reduced = np.array(
                [[int(v) % p for v in row] for row in matrix[:, unknown]], dtype=np.int64
            )
            null = null_space(reduced, p)
            for area, sets in by_area.items():
                in_area = np.isin(np.array(mix.groups)[raters_of], area)
                coords = np.flatnonzero(in_area).tolist()
                part = _part_on(null, coords, p)
                if part.shape[0] == 0:
                    continue  # no combination of figures involves only this area's answers
                owners = raters_of[coords]
                members = np.array(sets)  # every set of an area has the same size
                drop = (owners[None, :, None] == members[:, None, :]).any(axis=2)
                for raters, safe in zip(sets, full_rank_without(part, drop, p), strict=True):
                    leak = Leak(reader, raters, tuple(mix.groups[r] for r in raters))
                    if not safe and leak not in leaks:
                        leaks.append(leak)
    return leaks


def _leaks_one_by_one(mix: Mix, forms: Linear, rng: np.random.Generator) -> list[Leak]:
    """The same question, set by set: do the null space's rows on the set's answers depend?"""
    matrix = np.array(forms.rows, dtype=object)
    rater_of = [r for r, _j in forms.cells]
    leaks: list[Leak] = []
    for reader, known, sets in readers(mix, rng):
        unknown = [u for u, r in enumerate(rater_of) if r not in known]
        if not unknown or not sets:
            continue
        for p in PRIMES:
            reduced = np.array(
                [[int(v) % p for v in row] for row in matrix[:, unknown]], dtype=np.int64
            )
            null = null_space(reduced, p)
            for raters in sets:
                coords = [k for k, u in enumerate(unknown) if rater_of[u] in raters]
                if not coords:
                    continue
                if null.shape[1] == 0 or len(_eliminate(null[coords].T.copy(), p)[1]) < len(coords):
                    leak = Leak(reader, raters, tuple(mix.groups[r] for r in raters))
                    if leak not in leaks:
                        leaks.append(leak)
    return leaks
