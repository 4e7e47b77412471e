"""Instrument health across cycles: released cycles that asked the same questions, pooled."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.cycles.health_pool import comparable_cycles
from tandem.cycles.instruments import instrument_default_install, instrument_of
from tandem.cycles.models import (
    Cycle,
    CycleStatus,
    InstrumentVersion,
    Participant,
    ReleasedAnswer,
    ReleasedSheet,
)
from tandem.cycles.tasks import instrument_health_pool
from tests.conftest import Personas
from tests.cycles.test_instrument_health import _simulated_sheets
from tests.factories import make_person

pytestmark = pytest.mark.django_db

PEOPLE = 40  # x 6 sheets = 240 per cycle: below the 355 a model needs; two cycles are above


def _released_cycle(
    p: Personas, name: str, days_ago: int, seed: int, version: InstrumentVersion | None = None
) -> Cycle:
    """A released cycle whose kept sheets are simulated (two related lenses)."""
    version = version or instrument_default_install(organisation=p.organisation, actor=p.hr)
    instrument = instrument_of(version)
    released = timezone.now() - dt.timedelta(days=days_ago)
    cycle = Cycle.objects.create(
        organisation=p.organisation,
        name=name,
        instrument=version,
        opens_on=released.date() - dt.timedelta(days=14),
        closes_on=released.date(),
        status=CycleStatus.RELEASED,
        released_at=released,
    )
    answers, groups = _simulated_sheets(PEOPLE, seed=seed)
    items = instrument.all_items
    for k in range(PEOPLE):
        person = make_person(p.organisation, f"{name} person {k}")
        participant = Participant.objects.create(cycle=cycle, person=person)
        for row in range(6 * k, 6 * k + 6):
            sheet = ReleasedSheet.objects.create(participant=participant, group=groups[row])
            ReleasedAnswer.objects.bulk_create(
                ReleasedAnswer(sheet=sheet, item_id=item.id, value=int(v))
                for item, v in zip(items, answers[row], strict=True)
                if v >= 0
            )
    return cycle


def test_two_small_cycles_together_are_enough_for_the_lens_models(personas: Personas) -> None:
    spring = _released_cycle(personas, "Spring 360", 200, seed=1)
    autumn = _released_cycle(personas, "Autumn 360", 10, seed=2)
    assert comparable_cycles(autumn) == [spring, autumn]
    assert comparable_cycles(spring) == [spring]

    assert instrument_health_pool.call(autumn.pk) is True
    autumn.refresh_from_db()
    own, pooled = autumn.statistics["health"], autumn.statistics["health_across"]
    assert own["status"] == "too_few" and own["n_sheets"] == 240  # filled from its kept sheets
    assert pooled["status"] == "fitted" and pooled["n_sheets"] == 480
    assert pooled["structure"] == "two_related"
    assert [c["name"] for c in pooled["cycles"]] == ["Spring 360", "Autumn 360"]

    assert instrument_health_pool.call(spring.pk) is False  # nothing earlier to pool with
    spring.refresh_from_db()
    assert spring.statistics["health_across"] == {"status": "single"}

    client = Client()
    client.force_login(personas.hr)
    text = client.get(reverse("cycles:health", args=[autumn.pk])).content.decode()
    assert "This and 1 earlier cycle" in text and "was not tested" in text
    text = client.get(reverse("cycles:health", args=[autumn.pk]) + "?pool=all").content.decode()
    assert "Pooled: the answers of Spring 360, and Autumn 360" in text
    assert "two related things" in text
    assert "person 0" not in text  # no one's name: only whole-cycle figures


def test_a_cycle_that_asked_other_questions_is_not_pooled(personas: Personas) -> None:
    shipped = instrument_default_install(organisation=personas.organisation, actor=personas.hr)
    reworded = InstrumentVersion.objects.create(
        organisation=personas.organisation,
        name="Reworded",
        text=shipped.text.replace("id: pb6", "id: pb6_new"),
        copied_from=shipped,
    )
    _released_cycle(personas, "Spring 360", 200, seed=1, version=reworded)
    autumn = _released_cycle(personas, "Autumn 360", 10, seed=2)
    assert comparable_cycles(autumn) == [autumn]


def test_a_cycle_released_before_the_check_asks_a_worker_once(personas: Personas) -> None:
    cache.clear()
    cycle = _released_cycle(personas, "Old 360", 30, seed=3)
    client = Client()
    client.force_login(personas.admin)
    url = reverse("cycles:health", args=[cycle.pk])
    text = client.get(url).content.decode()
    assert "released before Tandem checked instrument health" in text
    assert "has not finished yet" in text
    client.get(url)
    queued = DBTaskResult.objects.filter(task_path="tandem.cycles.tasks.instrument_health_pool")
    assert queued.count() == 1, "opening the page again does not queue the work again"

    instrument_health_pool.call(cycle.pk)
    text = client.get(url).content.decode()
    assert "has not finished yet" not in text and "240 sheets" in text


def test_release_queues_the_pooling_for_a_worker(
    personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    from tests.cycles.builders import released_participant

    with django_capture_on_commit_callbacks(execute=True):
        participant = released_participant(personas)
    queued = DBTaskResult.objects.filter(task_path="tandem.cycles.tasks.instrument_health_pool")
    assert [task.args_kwargs["args"] for task in queued] == [[participant.cycle_id]]
    assert np.isfinite(participant.cycle.statistics["health"]["n_sheets"])
