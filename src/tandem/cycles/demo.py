"""A released demo cycle with simulated answers, so a demo organisation has reports to read.

Each person gets a leadership and a management level of their own (related, r = 0.5); every
rater sees them through their own noise and their own generosity (the same on every sheet they
fill in), and people rate themselves a little more kindly than others do (a well-documented
pattern in 360 feedback). Same seed, same answers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db import transaction
from django.utils import timezone

from tandem.cycles.instruments import instrument_default_install, instrument_of
from tandem.cycles.models import (
    Answer,
    Cycle,
    CycleScope,
    CycleStatus,
    Nomination,
    NominationsState,
    Participant,
)
from tandem.cycles.release import cycle_release
from tandem.people.models import Organisation, Person, PersonStatus

PEERS = 4
SELF_KINDNESS = 0.35
GENEROSITY_SD = 0.35
"""How much raters differ in how generously they rate everyone, on the 1-5 scale."""
LENSES_R = 0.5
"""The correlation of a person's leadership and management levels."""


def _raters(
    person: Person, colleagues: list[Person], rng: np.random.Generator
) -> list[tuple[Person, str]]:
    raters: list[tuple[Person, str]] = [(person, "self")]
    if person.manager is not None:
        raters.append((person.manager, "manager"))
    raters += [
        (r, "direct_report") for r in person.reports.all() if r.status == PersonStatus.ACTIVE
    ]
    taken = {r.pk for r, _ in raters}
    peers = [c for c in colleagues if c.pk not in taken and c.department == person.department]
    for k in rng.permutation(len(peers))[:PEERS]:
        raters.append((peers[int(k)], "peer"))
    return raters


@transaction.atomic
def demo_cycle_load(*, organisation: Organisation, seed: int = 2026) -> Cycle:
    """Create, answer and release "Demo 360" for everyone in the organisation (no emails)."""
    cycle = demo_cycle_answered(organisation=organisation, seed=seed)
    return cycle_release(cycle=cycle, actor=None, notify=False)


def demo_cycle_answered(*, organisation: Organisation, seed: int = 2026) -> Cycle:
    """ "Demo 360" for everyone in the organisation, answered and closed, ready to release."""
    rng = np.random.default_rng(seed)
    version = instrument_default_install(organisation=organisation, actor=None)
    instrument = instrument_of(version)
    today = timezone.localdate()
    now = timezone.now()
    cycle = Cycle.objects.create(
        organisation=organisation,
        name="Demo 360",
        instrument=version,
        scope=CycleScope.EVERYONE,
        opens_on=today - dt.timedelta(days=21),
        closes_on=today - dt.timedelta(days=7),
        status=CycleStatus.OPEN,
        launched_at=now - dt.timedelta(days=21),
    )
    people = list(
        Person.objects.filter(organisation=organisation, status=PersonStatus.ACTIVE)
        .select_related("manager")
        .prefetch_related("reports")
    )
    index = instrument.index("leadership")
    # Each rater's own generosity, the same on every sheet they fill in: in real 360s who the
    # rater is explains much of a rating (Scullen, Mount & Goff 2000), and the release's
    # rater-leniency model should find it here.
    generosity = {person.pk: GENEROSITY_SD * float(rng.normal()) for person in people}
    answers: list[Answer] = []
    for person in people:
        participant = Participant.objects.create(
            cycle=cycle, person=person, nominations_state=NominationsState.APPROVED
        )
        # This person's own two levels: separate but related (r = LENSES_R), as DOMAIN.md's
        # first idea has it, so the instrument health page finds two correlated lenses.
        first, second = rng.normal(size=2)
        leads, manages = first, LENSES_R * first + np.sqrt(1 - LENSES_R**2) * second
        level = {
            scale.id: 3.3 + 0.5 * (leads if scale.id in index else manages) + 0.2 * rng.normal()
            for scale in instrument.scales
        }
        for rater, group in _raters(person, people, rng):
            nomination = Nomination.objects.create(
                participant=participant,
                rater=rater,
                group=group,
                approved=True,
                invited_at=now,
                started=True,
                finished_at=now,
            )
            lift = SELF_KINDNESS if group == "self" else 0.0
            leniency = generosity[rater.pk] + 0.1 * rng.normal()
            for item in instrument.items:
                true = level[item.scale] + lift + leniency + 0.7 * rng.normal()
                value = int(np.clip(np.rint(true), 1, 5))
                answers.append(
                    Answer(
                        nomination=nomination,
                        item_id=item.id,
                        value=6 - value if item.reverse else value,
                    )
                )
            if group == "self":
                for item in instrument.self_items:
                    scale = instrument.response_scale(item.response_scale)
                    value = int(rng.integers(scale.minimum, scale.maximum + 1))
                    answers.append(Answer(nomination=nomination, item_id=item.id, value=value))
    Answer.objects.bulk_create(answers, batch_size=5000)
    cycle.status = CycleStatus.CLOSED
    cycle.closed_at = now - dt.timedelta(days=7)
    cycle.save(update_fields=["status", "closed_at"])
    return cycle
