"""Instrument health kept at release and shown to the people team (tandem.cycles.health)."""

from __future__ import annotations

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from tandem.cycles.health import health_page, health_statistics, rated_for_health
from tandem.cycles.instruments import instrument_of
from tandem.measure import load_instrument
from tests.conftest import Personas
from tests.cycles.builders import launched_cycle, released_participant

pytestmark = pytest.mark.django_db


def _instrument():  # type: ignore[no-untyped-def]
    from pathlib import Path

    import tandem

    return load_instrument(Path(tandem.__file__).parent / "instruments" / "tandem-lm-1.yaml")


def _simulated_sheets(n_people: int, seed: int = 7) -> tuple[np.ndarray, list[str]]:
    """Sheets where leadership and management are related lenses (r = 0.5), 1-5 answers."""
    instrument = _instrument()
    rng = np.random.default_rng(seed)
    leadership = set(instrument.index("leadership"))
    rows, groups = [], []
    for _ in range(n_people):
        a, b = rng.normal(size=2)
        lens = {"leadership": a, "management": 0.5 * a + np.sqrt(0.75) * b}
        for group in ("self", "manager", "peer", "peer", "peer", "direct_report"):
            row = np.full(len(instrument.all_items), -1, dtype=np.int16)
            for j, item in enumerate(instrument.items):
                level = lens["leadership" if item.scale in leadership else "management"]
                value = int(np.clip(np.rint(3.2 + 0.7 * level + 0.7 * rng.normal()), 1, 5))
                row[j] = 6 - value if item.reverse else value
            rows.append(row)
            groups.append(group)
    return np.array(rows), groups


def test_reverse_keyed_questions_are_turned_round_and_not_observed_is_missing() -> None:
    instrument = _instrument()
    answers = np.full((2, len(instrument.all_items)), 4, dtype=np.int16)
    answers[1, 0] = -1
    rated = rated_for_health(answers, instrument, np.ones(answers.shape, dtype=bool))
    reverse = instrument.reverse_mask()
    assert reverse.any()
    assert np.all(rated[0, reverse] == 2) and np.all(rated[0, ~reverse] == 4)
    assert np.isnan(rated[1, 0])
    assert rated.shape == (2, len(instrument.items))


def test_an_answer_outside_every_figure_changes_nothing() -> None:
    instrument = _instrument()
    answers, groups = _simulated_sheets(70)
    counted = np.ones(answers.shape, dtype=bool)
    counted[5, :] = False  # a sheet that counts in no figure
    before = health_statistics(answers, groups, instrument, counted)
    moved = answers.copy()
    moved[5, : len(instrument.items)] = 1
    assert health_statistics(moved, groups, instrument, counted) == before
    assert before["status"] == "fitted"


def test_related_lenses_are_found_and_said_in_plain_words() -> None:
    instrument = _instrument()
    answers, groups = _simulated_sheets(70)
    stored = health_statistics(answers, groups, instrument, np.ones(answers.shape, dtype=bool))
    assert stored["structure"] == "two_related"
    assert 0.35 < stored["lens_correlation"] < 0.65
    page = health_page(stored, instrument)
    assert page is not None and page.fitted
    assert page.headline.startswith(
        "Here, leadership and management are two related things (r = 0."
    )
    assert not page.weak
    # 70 people x 6 sheets: self 70 (too few to compare), others 350.
    self_vs_others, observers = page.comparisons
    assert "Not tested" in self_vs_others.sentence and "self-ratings 70" in self_vs_others.sentence
    assert "peers 210" in observers.sentence


def test_a_pilot_is_not_fitted_and_the_page_says_why(personas: Personas) -> None:
    participant = released_participant(personas)
    stored = participant.cycle.statistics["health"]
    assert stored["status"] == "too_few" and stored["two_lens"] is None
    page = health_page(stored, instrument_of(participant.cycle.instrument))
    assert page is not None and not page.fitted
    assert f"{stored['n_complete']} of {stored['n_sheets']} sheets" in page.headline
    assert "needs at least 355" in page.headline


def test_the_page_shows_a_pilot_without_a_verdict(personas: Personas) -> None:
    participant = released_participant(personas)
    client = Client()
    client.force_login(personas.hr)
    response = client.get(reverse("cycles:health", args=[participant.cycle_id]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "was not tested" in text and "Reliability of each scale" in text
    assert "Two lenses against one" not in text
    assert "Emma" not in text and "Peer 0" not in text


def test_a_cycle_not_released_yet_says_when_the_page_fills_in(personas: Personas) -> None:
    cycle = launched_cycle(personas)
    client = Client()
    client.force_login(personas.admin)
    response = client.get(reverse("cycles:health", args=[cycle.pk]))
    assert response.status_code == 200
    assert "fills in when the cycle is released" in response.content.decode()
