"""Builders for cycle tests: a launched cycle on the personas, and sheets filled in bulk."""

from __future__ import annotations

import datetime as dt

from tandem.cycles.instruments import instrument_default_install, instrument_of
from tandem.cycles.models import Cycle, CycleScope, Nomination, Participant
from tandem.cycles.services import answer_save, cycle_create, cycle_launch
from tandem.people.models import Person
from tests.conftest import Personas

TODAY = dt.date(2026, 11, 23)


def launched_cycle(p: Personas, *, people: list[Person] | None = None, **options: object) -> Cycle:
    instrument = instrument_default_install(organisation=p.organisation, actor=p.hr)
    cycle = cycle_create(
        organisation=p.organisation,
        name="Autumn 360",
        instrument=instrument,
        opens_on=TODAY,
        closes_on=TODAY + dt.timedelta(days=14),
        actor=p.hr,
        scope=CycleScope.CHOSEN,
        chosen=people or [p.employee_person],
        **options,  # type: ignore[arg-type]
    )
    return cycle_launch(cycle=cycle, actor=p.hr)


def fill_sheet(nomination: Nomination, value: int, *, comment: str = "") -> None:
    """Answer every question of the rater's sheet with ``value``."""
    instrument = instrument_of(nomination.participant.cycle.instrument)
    items = instrument.all_items if nomination.group == "self" else instrument.items
    for item in items:
        scale = instrument.response_scale(item.response_scale)
        answer_save(nomination=nomination, item_id=item.id, value=str(min(value, scale.maximum)))
    if comment:
        answer_save(nomination=nomination, item_id="keep", value=comment)


def participant_of(cycle: Cycle, person: Person) -> Participant:
    return Participant.objects.get(cycle=cycle, person=person)
