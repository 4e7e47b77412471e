"""Released assessment results, for the rest of Tandem (careers, growth) to read.

Only released reports are ever returned, and only what the report itself shows: the figures
come from the report stored at release, which holds nothing the anonymity rule hides.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import yaml
from django.db.models import QuerySet

from tandem.cycles.models import CycleStatus, Report
from tandem.measure import Instrument, parse_instrument
from tandem.people.models import Person


@dataclass(frozen=True)
class PersonResult:
    """One person's released result in one cycle (figures as shown in their report).

    Scale dicts map scale id -> value, or None where the report shows nothing.
    """

    cycle_id: int
    cycle_name: str
    released_at: datetime
    participant_id: int
    instrument: Instrument
    placement: str | None
    leaning: str | None
    borderline: bool
    leadership_others: float | None
    management_others: float | None
    leadership_self: float | None
    management_self: float | None
    self_scores: dict[str, float | None]
    others_scores: dict[str, float | None]
    others_n: dict[str, int]
    percentiles: dict[str, float | None]
    categories: dict[str, str | None]
    self_sections: dict[str, dict[str, float | None]]
    blind_spots: tuple[str, ...]
    hidden_strengths: tuple[str, ...]
    scale_sd: dict[str, float | None]
    scale_reliability: dict[str, float | None]
    report: dict[str, Any]


def _aggregate(report: dict[str, Any], scale_id: str, label: str) -> dict[str, Any] | None:
    for aggregate in report.get("scales", {}).get(scale_id, []):
        if aggregate.get("label") == label:
            found: dict[str, Any] = aggregate
            return found
    return None


def result_from_report(row: Report, instrument: Instrument | None = None) -> PersonResult:
    """The :class:`PersonResult` of one stored report."""
    participant = row.participant
    cycle = participant.cycle
    data: dict[str, Any] = row.data
    if instrument is None:
        instrument = parse_instrument(yaml.safe_load(cycle.instrument.text))
    profile = data.get("profile") or {}
    lead = profile.get("leadership") or {}
    man = profile.get("management") or {}
    so = data.get("self_other", {})
    stats = cycle.statistics or {}
    self_scores: dict[str, float | None] = {}
    others_scores: dict[str, float | None] = {}
    others_n: dict[str, int] = {}
    for sid in instrument.scale_ids:
        own = _aggregate(data, sid, "self")
        others = _aggregate(data, sid, "all_others")
        self_scores[sid] = own["mean"] if own else None
        others_scores[sid] = others["mean"] if others else None
        others_n[sid] = int(others["n"]) if others else 0
    return PersonResult(
        cycle_id=cycle.pk,
        cycle_name=cycle.name,
        released_at=cycle.released_at or row.created_at,
        participant_id=participant.pk,
        instrument=instrument,
        placement=profile.get("placement"),
        leaning=profile.get("leaning"),
        borderline=bool(profile.get("borderline", False)),
        leadership_others=lead.get("score"),
        management_others=man.get("score"),
        leadership_self=lead.get("self"),
        management_self=man.get("self"),
        self_scores=self_scores,
        others_scores=others_scores,
        others_n=others_n,
        percentiles={
            sid: (data.get("norms", {}).get(sid) or {}).get("percentile")
            for sid in instrument.scale_ids
        },
        categories={
            sid: (so.get("scales", {}).get(sid) or {}).get("category")
            for sid in instrument.scale_ids
        },
        self_sections=data.get("self_sections", {}),
        blind_spots=tuple(f["item"] for f in so.get("blind_spots", [])),
        hidden_strengths=tuple(f["item"] for f in so.get("hidden_strengths", [])),
        scale_sd={sid: (stats.get(sid) or {}).get("sd") for sid in instrument.scale_ids},
        scale_reliability={
            sid: (stats.get(sid) or {}).get("alpha") for sid in instrument.scale_ids
        },
        report=data,
    )


def _released_reports(person_ids: Collection[int]) -> QuerySet[Report]:
    """The released reports of these people, oldest first: the one query behind every read
    here, so the single-person and batch reads cannot drift apart."""
    return (
        Report.objects.filter(
            participant__person_id__in=person_ids,
            participant__cycle__status=CycleStatus.RELEASED,
        )
        .select_related("participant__cycle__instrument")
        .order_by("participant__cycle__released_at", "participant__cycle_id")
    )


def _instrument_of(row: Report, parsed: dict[int, Instrument]) -> Instrument:
    """The report's instrument, parsed once per version however many reports use it."""
    version = row.participant.cycle.instrument
    if version.pk not in parsed:
        parsed[version.pk] = parse_instrument(yaml.safe_load(version.text))
    return parsed[version.pk]


def released_results_for_people(people: Iterable[Person]) -> dict[int, list[PersonResult]]:
    """Every released result of each of ``people``, by person id, each list oldest first (empty
    when there is none). One query, however many people."""
    results: dict[int, list[PersonResult]] = {person.pk: [] for person in people}
    if not results:
        return results
    parsed: dict[int, Instrument] = {}
    for row in _released_reports(results.keys()):
        person_id = row.participant.person_id
        results[person_id].append(result_from_report(row, _instrument_of(row, parsed)))
    return results


def latest_results_for_people(people: Iterable[Person]) -> dict[int, PersonResult | None]:
    """The newest released result of each of ``people``, by person id (None when there is
    none). One query, however many people."""
    latest: dict[int, Report | None] = {person.pk: None for person in people}
    if not latest:
        return {}
    for row in _released_reports(latest.keys()):
        latest[row.participant.person_id] = row  # oldest first: the last one seen is newest
    parsed: dict[int, Instrument] = {}
    return {
        person_id: None if row is None else result_from_report(row, _instrument_of(row, parsed))
        for person_id, row in latest.items()
    }


def released_results_for(person: Person) -> list[PersonResult]:
    """Every released result of ``person``, oldest first (empty when there is none)."""
    return released_results_for_people([person])[person.pk]


def latest_result_for(person: Person) -> PersonResult | None:
    """The newest released result of ``person``, or None."""
    return latest_results_for_people([person])[person.pk]
