"""Reads of evidence over time: a person's entries and endorsements, set against the criteria
of their level and the next, and their quarterly summaries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext

from tandem.careers.models import (
    CaseStatus,
    Criterion,
    Endorsement,
    Evidence,
    FrameworkVersion,
    Level,
    PromotionCase,
    QuarterSummary,
)
from tandem.careers.selectors.framework import Position
from tandem.people.models import Organisation, Person


def evidence_of(*, person: Person) -> list[Evidence]:
    """A person's entries, newest first, with criteria and endorsers, in three queries."""
    return list(
        Evidence.objects.filter(person=person).prefetch_related(
            Prefetch("criteria", queryset=Criterion.objects.select_related("level__track")),
            Prefetch("endorsements", queryset=Endorsement.objects.select_related("endorser")),
        )
    )


def evidence_get(*, organisation: Organisation, evidence_id: int) -> Evidence | None:
    return (
        Evidence.objects.filter(pk=evidence_id, person__organisation=organisation)
        .select_related("person__organisation")
        .first()
    )


def draft_cases_linking(*, evidence: Evidence) -> list[PromotionCase]:
    """Cases still being written that link the entry (deleting it takes it out of them)."""
    return list(
        PromotionCase.objects.filter(arguments__evidence=evidence, status=CaseStatus.DRAFT)
        .select_related("target_level__track")
        .distinct()
    )


@dataclass(frozen=True)
class CriterionEvidence:
    criterion: Criterion
    entries: tuple[Evidence, ...]

    @property
    def endorsed(self) -> int:
        return sum(1 for e in self.entries if e.endorsements.all())


@dataclass(frozen=True)
class LevelEvidence:
    level: Level
    label: str
    criteria: tuple[CriterionEvidence, ...]

    @property
    def shown(self) -> int:
        return sum(1 for c in self.criteria if c.entries)


def _criterion_key(criterion: Criterion) -> tuple[str, int, str]:
    # Evidence logged against an earlier version still counts for the same words at the same
    # place in the framework.
    return (criterion.level.track.key, criterion.level.number, criterion.text)


def growth_by_criterion(*, position: Position, entries: list[Evidence]) -> list[LevelEvidence]:
    """Per criterion of the person's current and next level, the evidence so far."""
    by_key: dict[tuple[str, int, str], list[Evidence]] = {}
    for entry in entries:
        for criterion in entry.criteria.all():
            by_key.setdefault(_criterion_key(criterion), []).append(entry)
    result = []
    for level, label in (
        (position.level, gettext("Your level")),
        (position.next_level, gettext("Next level")),
    ):
        if level is None:
            continue
        criteria = level.criteria.select_related("level__track")
        result.append(
            LevelEvidence(
                level=level,
                label=label,
                criteria=tuple(
                    CriterionEvidence(c, tuple(by_key.get(_criterion_key(c), ()))) for c in criteria
                ),
            )
        )
    return result


def evidence_criteria_choices(
    *, version: FrameworkVersion, position: Position
) -> list[tuple[str, list[tuple[int, str]]]]:
    """Criteria to tie an entry to, grouped by level: the person's own and next level first,
    then every other level of every track (moving sideways is an option too)."""
    levels = list(
        Level.objects.filter(track__version=version)
        .select_related("track")
        .prefetch_related("criteria")
        .order_by("track__position", "number")
    )
    first = [lv for lv in (position.level, position.next_level) if lv is not None]
    first_ids = {lv.pk for lv in first}
    ordered = [lv for lv in levels if lv.pk in first_ids] + [
        lv for lv in levels if lv.pk not in first_ids
    ]
    return [
        (
            gettext("%(track)s, level %(number)s: %(title)s")
            % {"track": lv.track.name, "number": lv.number, "title": lv.title},
            [(c.pk, c.text) for c in lv.criteria.all()],
        )
        for lv in ordered
    ]


# --- quarterly summaries ---------------------------------------------------------------------


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_summary_get(*, person: Person, year: int, quarter: int) -> QuarterSummary | None:
    return QuarterSummary.objects.filter(person=person, year=year, quarter=quarter).first()


def quarter_summaries(*, person: Person) -> list[QuarterSummary]:
    return list(QuarterSummary.objects.filter(person=person))


def people_without_summary(*, organisation: Organisation, year: int, quarter: int) -> list[Person]:
    """Active people who can sign in and have not written this quarter's summary."""
    written = QuarterSummary.objects.filter(
        person__organisation=organisation, year=year, quarter=quarter
    ).values("person_id")
    return list(
        Person.objects.in_organisation(organisation)
        .active()
        .filter(membership__user__is_active=True)
        .exclude(pk__in=written)
        .order_by("pk")
    )
