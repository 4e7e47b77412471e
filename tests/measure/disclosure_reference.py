"""The disclosure rule written out plainly, one person at a time, for comparison with the kernel.

Slow and obvious on purpose: loops over raters, scales and items, exactly as docs/measure.md
states the rule. ``tests/measure/test_disclosure_properties.py`` checks that
:func:`tandem.measure.disclosure.disclose` gives the same figures on random rater mixes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from tandem.measure import DEFAULT_MINIMUMS, GROUPS, SLOTS

ALONE = ("self", "manager", "peer", "direct_report")


def minimum(group: str, minimums: Mapping[str, int]) -> int:
    value = int(minimums.get(group, DEFAULT_MINIMUMS[group]))
    if group == "manager" and value > 1:
        return value + 1  # the reading manager knows their own answers
    return value


def atoms(counting: dict[str, list[int]], minimums: Mapping[str, int]) -> dict[str, list[int]]:
    """The scale's atoms (slot -> raters) from the counting raters of each group."""
    out: dict[str, list[int]] = {}
    pool: list[int] = []
    needs = 0
    for group in GROUPS:
        raters = counting.get(group, [])
        if not raters:
            continue
        if group in ALONE and len(raters) >= minimum(group, minimums):
            out[group] = raters
        elif group in ("peer", "direct_report", "other"):
            pool += raters
            needs = max(needs, minimum(group, minimums))
    if pool and len(pool) >= needs:
        out["others"] = pool
    return out


def person(
    answers: Sequence[Sequence[int | None]],
    groups: Sequence[str],
    item_scale: Sequence[int],
    n_scales: int,
    minimums: Mapping[str, int],
    min_answered: float,
) -> tuple[dict[tuple[int, str], tuple[int, float]], dict[tuple[int, str], tuple[int, float]]]:
    """Shown figures of one person: ``{(scale, slot): (n, mean)}`` and ``{(item, slot): ...}``.

    ``answers`` are keyed, None where there is no answer.
    """
    scale_figures: dict[tuple[int, str], tuple[int, float]] = {}
    item_figures: dict[tuple[int, str], tuple[int, float]] = {}
    for s in range(n_scales):
        items = [i for i, sc in enumerate(item_scale) if sc == s]
        needed = min_answered * len(items) - 1e-9
        counting: dict[str, list[int]] = {}
        for r, group in enumerate(groups):
            answered = sum(answers[r][i] is not None for i in items)
            if answered > 0 and answered >= needed:
                counting.setdefault(group, []).append(r)
        found = atoms(counting, minimums)
        contributors: dict[str, set[int]] = {slot: set() for slot in SLOTS}
        item_means: dict[str, dict[int, float]] = {slot: {} for slot in SLOTS}
        for i in items:
            everyone: list[int] = []
            for slot, raters in found.items():
                given = [r for r in raters if answers[r][i] is not None]
                if slot == "others":
                    need = max(minimum(groups[r], minimums) for r in raters)
                else:
                    need = minimum(slot, minimums)
                if given and len(given) >= need:
                    values = [answers[r][i] for r in given]
                    mean = sum(v for v in values if v is not None) / len(given)
                    item_figures[(i, slot)] = (len(given), mean)
                    item_means[slot][i] = mean
                    contributors[slot].update(given)
                    if slot != "self":
                        everyone += given
            if everyone:
                total = sum(answers[r][i] or 0 for r in everyone)
                item_figures[(i, "all_others")] = (len(everyone), total / len(everyone))
                item_means["all_others"][i] = total / len(everyone)
                contributors["all_others"].update(everyone)
        for slot in SLOTS:
            means = item_means[slot]
            if means and len(means) >= needed:
                mean = sum(means.values()) / len(means)
                scale_figures[(s, slot)] = (len(contributors[slot]), mean)
    return scale_figures, item_figures
