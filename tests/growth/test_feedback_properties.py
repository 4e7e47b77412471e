"""Quick feedback: no combination of what the asker sees isolates a colleague (hypothesis).

The same careful reader as the 360 report's (tests/measure/careful_reader.py) reads every
number the results page shows (each scale's figure and count, each question's figure),
learns how each depends on every answer, and checks with exact arithmetic that no answer of
one colleague, and no combination of fewer colleagues than the minimum, can be worked out.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tandem.growth.feedback_figures import feedback_figures
from tandem.measure import Instrument
from tests.measure.careful_reader import Mix, find_leaks, tiny_instrument

INSTRUMENT = tiny_instrument()
QUESTIONS = {
    "minimum": 1,
    "maximum": 5,
    "scales": [
        {
            "id": scale.id,
            "name": scale.name,
            "items": [
                {"id": it.id, "text": it.observer_text, "reverse": it.reverse}
                for it in INSTRUMENT.items
                if it.scale == scale.id
            ],
        }
        for scale in INSTRUMENT.scales
    ],
}
ITEM_IDS = [it.id for it in INSTRUMENT.items]


def results_page(mix: Mix, instrument: Instrument, copies: np.ndarray) -> list[Any]:
    """What the results page shows, for each copy of the answers."""
    pages = []
    for answers in copies:
        sheets = [
            {item: (int(v) if v >= 1 else None) for item, v in zip(ITEM_IDS, row, strict=True)}
            for row in answers
        ]
        scales = feedback_figures(QUESTIONS, sheets, list(mix.groups), mix.minimums)
        pages.append(
            {
                s.scale_id: {"mean": s.mean, "n": s.n, "items": [i.mean for i in s.items]}
                for s in scales
            }
        )
    return pages


@st.composite
def requests(draw: Any) -> Mix:
    """1-12 colleagues, a minimum of 1-5, random "not observed" answers."""
    n = draw(st.integers(1, 12))
    minimum = draw(st.integers(1, 5))
    missing = draw(st.sampled_from([0.0, 0.2, 0.5, 0.7]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    answers = rng.integers(1, 6, size=(n, len(ITEM_IDS)))
    answers[rng.random(answers.shape) < missing] = -1
    return Mix(("other",) * n, answers, {"other": minimum}, 0.5)


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(requests())
def test_nothing_the_asker_sees_isolates_a_colleague(mix: Mix) -> None:
    leaks = find_leaks(mix, INSTRUMENT, np.random.default_rng(0), results_page)
    assert not leaks, f"{leaks[:3]}\n{mix.describe()}"
