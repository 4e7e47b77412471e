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


def launched_cycle_for(organisation, actor, people: list[Person]) -> Cycle:  # type: ignore[no-untyped-def]
    """A launched cycle with the default questionnaire for ``people`` of ``organisation``."""
    instrument = instrument_default_install(organisation=organisation, actor=actor)
    cycle = cycle_create(
        organisation=organisation,
        name="Autumn 360",
        instrument=instrument,
        opens_on=TODAY,
        closes_on=TODAY + dt.timedelta(days=14),
        actor=actor,
        scope=CycleScope.CHOSEN,
        chosen=people,
    )
    return cycle_launch(cycle=cycle, actor=actor)


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


def released_participant(p: Personas, *, peers: int = 3) -> Participant:
    """Emma's cycle, answered by herself, Manny and ``peers`` peers, closed and released."""
    from tandem.cycles.release import cycle_release
    from tandem.cycles.services import (
        cycle_close,
        nomination_add,
        nominations_approve,
        nominations_submit,
    )
    from tests.factories import make_person

    cycle = launched_cycle(p)
    participant = participant_of(cycle, p.employee_person)
    for k in range(peers):
        peer = make_person(p.organisation, f"Peer {k}", manager=p.manager_person)
        nomination_add(participant=participant, rater=peer, group="peer", actor=p.employee)
    nominations_submit(participant=participant, actor=p.employee)
    nominations_approve(participant=participant, actor=p.manager)
    for k, nomination in enumerate(participant.nominations.order_by("pk")):
        fill_sheet(nomination, 2 + k % 4, comment=f"Comment {k}")
    cycle_close(cycle=cycle, actor=p.hr)
    cycle_release(cycle=cycle, actor=p.hr)
    participant.refresh_from_db()
    return participant
