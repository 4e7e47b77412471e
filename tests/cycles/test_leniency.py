"""Rater leniency in a released cycle: adjusted scores in reports, the split for the people team.

Eight people rate each other (four peers each, drawn so that raters rate several people); two
raters rate everyone two steps high and two rate everyone a step low.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from tandem.cycles.instruments import instrument_of
from tandem.cycles.models import Answer, Cycle, Nomination, Report
from tandem.cycles.release import cycle_release
from tandem.cycles.services import cycle_close
from tandem.measure.leniency import REASONS
from tests.conftest import Personas
from tests.cycles.builders import launched_cycle
from tests.factories import make_person, make_user

LENIENCY = {0: 2, 1: 2, 2: -1, 3: -1}
"""Rater k's generosity in answer steps (everyone else 0)."""


def leniency_cycle(p: Personas, *, seed: int = 5) -> Cycle:
    rng = np.random.default_rng(seed)
    people = [make_person(p.organisation, f"Colleague {k}") for k in range(8)]
    cycle = launched_cycle(p, people=people)
    instrument = instrument_of(cycle.instrument)
    standing = rng.integers(2, 4, size=len(people))
    answers = []
    for k, participant in enumerate(cycle.participants.order_by("person__name")):
        others = [j for j in range(len(people)) if j != k]
        for j in rng.choice(others, size=4, replace=False):
            nomination = Nomination.objects.create(
                participant=participant, rater=people[int(j)], group="peer", approved=True
            )
            for item in instrument.items:
                value = standing[k] + LENIENCY.get(int(j), 0) + rng.integers(-1, 2)
                answers.append(
                    Answer(nomination=nomination, item_id=item.id, value=int(np.clip(value, 1, 5)))
                )
    Answer.objects.bulk_create(answers)
    cycle_close(cycle=cycle, actor=p.hr)
    return cycle_release(cycle=cycle, actor=p.hr)


@pytest.fixture
def released(db: None, personas: Personas) -> Cycle:
    return leniency_cycle(personas)


def test_the_cycle_keeps_the_split_and_each_report_its_adjusted_scores(released: Cycle) -> None:
    split = released.statistics["leniency"]
    instrument = instrument_of(released.instrument)
    assert set(split) == set(instrument.scale_ids)
    for entry in split.values():
        assert entry["fitted"] and entry["linked_raters"] == entry["raters"]
        assert entry["share"]["rater"] > 0.2  # two raters two steps high, two a step low
        assert sum(entry["share"].values()) == pytest.approx(1.0, abs=1e-3)
    adjusted = 0
    for report in Report.objects.filter(participant__cycle=released):
        scales = report.data["leniency"]["scales"]
        assert set(scales) == set(instrument.scale_ids)
        for entry in scales.values():
            if "score" in entry:
                adjusted += 1
                assert entry["lower"] < entry["score"] < entry["upper"]
            else:
                assert entry["reason"] in REASONS
    assert adjusted == sum(e["adjusted"] for e in split.values()) > 0


def test_no_rater_leniency_is_kept_anywhere(released: Cycle) -> None:
    kept = json.dumps(
        [
            released.statistics,
            *Report.objects.filter(participant__cycle=released).values_list("data", flat=True),
        ]
    )
    assert "rater_effect" not in kept and "theta" not in kept
    for entry in released.statistics["leniency"].values():
        assert set(entry) == {
            "fitted",
            "share",
            "ratings",
            "people",
            "raters",
            "linked_raters",
            "adjusted",
            "note",
        }


def test_the_report_shows_the_adjusted_score_beside_the_given_one(
    released: Cycle, personas: Personas, client: Client
) -> None:
    report = next(
        r
        for r in Report.objects.filter(participant__cycle=released).select_related(
            "participant__person"
        )
        if any("score" in e for e in r.data["leniency"]["scales"].values())
    )
    person = report.participant.person
    user = make_user(personas.organisation, person=person)
    client.force_login(user)
    page = client.get(reverse("cycles:report", args=[report.participant.pk])).content.decode()
    assert (
        "Allowing for how generously or strictly your raters rated the other people they rated"
        in page
    )
    assert 'id="leniency-note"' in page


def test_the_people_team_sees_where_the_spread_comes_from(
    released: Cycle, personas: Personas, client: Client
) -> None:
    client.force_login(personas.hr)
    page = client.get(reverse("cycles:dashboard", args=[released.pk])).content.decode()
    assert "Raters and the people rated" in page
    assert "of the spread in ratings comes from who the rater was" in page
