"""Released assessment results for growth tests, made without the cycle services.

A released result is an ``InstrumentVersion`` (the shipped YAML), a released ``Cycle`` with
per-scale statistics, a ``Participant`` and a ``Report`` whose data is a real report computed
by ``tandem.measure.score_360`` over synthetic answers chosen to give the scale scores asked
for.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from pathlib import Path

import numpy as np
from django.utils import timezone

import tandem.measure.instrument
from tandem.cycles.models import Cycle, CycleStatus, InstrumentVersion, Participant, Report
from tandem.measure import Instrument, load_instrument, score_360
from tandem.people.models import Organisation, Person

INSTRUMENT_PATH = (
    Path(tandem.measure.instrument.__file__).parent.parent / "instruments" / "tandem-lm-1.yaml"
)
SCALES = (
    "planning_budgeting",
    "organising_staffing",
    "controlling_problem_solving",
    "setting_direction",
    "aligning_people",
    "motivating_inspiring",
)
# Four others (a manager and three peers) rate everyone: each scale's others' score is their
# mean, so it moves in steps of 0.25.
OTHERS = ("manager", "peer", "peer", "peer")


def instrument() -> Instrument:
    return load_instrument("tandem-lm-1")


def instrument_version(organisation: Organisation) -> InstrumentVersion:
    found = InstrumentVersion.objects.filter(
        organisation=organisation, name="Tandem Leadership & Management v1"
    ).first()
    if found is not None:
        return found
    return InstrumentVersion.objects.create(
        organisation=organisation,
        name="Tandem Leadership & Management v1",
        text=INSTRUMENT_PATH.read_text(),
    )


def _rater_values(target: float, raters: int) -> list[int]:
    """Whole-number scale values for ``raters`` raters whose mean is ``target`` (rounded to
    the nearest 1/raters)."""
    total = round(target * raters)
    low = total // raters
    values = [low] * raters
    for k in range(total - low * raters):
        values[k] += 1
    if min(values) < 1 or max(values) > 5:
        raise ValueError(f"cannot make a mean of {target} from answers 1 to 5")
    return values


def report_data(
    *, others: Mapping[str, float], self_scores: Mapping[str, int] | None = None
) -> dict:
    """A real report dict from ``score_360`` where others' scale means are ``others``."""
    inst = instrument()
    n_rated = len(inst.items)
    rows = 1 + len(OTHERS)
    answers = np.full((rows, len(inst.all_items)), -1)
    answers[0, n_rated:] = 3
    own = dict(self_scores or {})
    for scale in inst.scales:
        target = others.get(scale.id, 3.0)
        values = [own.get(scale.id, 3), *_rater_values(target, len(OTHERS))]
        for item in scale.items:
            column = inst.item_ids.index(item.id)
            for r, value in enumerate(values):
                answers[r, column] = 6 - value if item.reverse else value
    scored = score_360(
        answers,
        ratee=np.zeros(rows, dtype=int),
        ratee_ids=["ratee"],
        group=["self", *OTHERS],
        instrument=inst,
        profile_cuts=(3.5, 3.5),
    )
    data: dict = next(scored.ratee_dicts())
    return data


def make_released_result(
    person: Person,
    *,
    name: str = "Spring 2026",
    released_at: datetime.datetime | None = None,
    others: Mapping[str, float] | None = None,
    self_scores: Mapping[str, int] | None = None,
    sd: float = 0.5,
    alpha: float = 0.8,
    manager_may_view: bool = True,
) -> Participant:
    """A released cycle with a report for ``person``; returns the participant."""
    released_at = released_at or timezone.now()
    cycle = Cycle.objects.create(
        organisation=person.organisation,
        name=name,
        instrument=instrument_version(person.organisation),
        status=CycleStatus.RELEASED,
        opens_on=(released_at - datetime.timedelta(days=30)).date(),
        closes_on=(released_at - datetime.timedelta(days=2)).date(),
        released_at=released_at,
        statistics={sid: {"sd": sd, "alpha": alpha} for sid in SCALES},
    )
    participant = Participant.objects.create(
        cycle=cycle, person=person, manager_may_view=manager_may_view
    )
    Report.objects.create(
        participant=participant, data=report_data(others=others or {}, self_scores=self_scores)
    )
    return participant
