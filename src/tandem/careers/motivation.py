"""The motivation check: the self-only items of the shipped instrument, scored by tandem.measure.

Two sections of ``tandem-lm-1`` are asked: *motivation to manage* (developing people versus
advancement and status) and *track interests*. The wording comes from the instrument file, so a
person reads the same items here as in an assessment cycle. Plain values in, frozen dataclasses
out; of Django only its translations, to word the guidance in the reader's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext

from tandem.cycles.instruments import shipped_instrument
from tandem.measure import Instrument, SelfSection, score_scales

INSTRUMENT = "tandem-lm-1"
MOTIVATION = "motivation_to_manage"
INTERESTS = "track_interests"
SECTIONS = (MOTIVATION, INTERESTS)

Scores = dict[str, dict[str, float | None]]


def instrument() -> Instrument:
    """The instrument in the reader's language (the active one); the ids are the same in all."""
    return shipped_instrument(INSTRUMENT)


def sections() -> tuple[SelfSection, ...]:
    """The sections this check asks, in the instrument's order."""
    return tuple(s for s in instrument().self_sections if s.id in SECTIONS)


def score_answers(answers: Mapping[str, int | None]) -> Scores:
    """Score each subscale: the mean of its answered items, by ``tandem.measure.score_scales``.

    ``answers`` maps item ids to answers on the item's response scale; a missing item is not
    answered. A subscale with fewer than half its items answered scores None.
    """
    result: Scores = {}
    for section in sections():
        scale = instrument().response_scale(section.response_scale)
        items = [item for sub in section.subscales for item in sub.items]
        row = [
            math.nan if answers.get(item.id) is None else float(answers[item.id])  # type: ignore[arg-type]
            for item in items
        ]
        membership = np.zeros((len(items), len(section.subscales)))
        for i, item in enumerate(items):
            membership[i, [s.id for s in section.subscales].index(item.scale)] = 1.0
        scored = score_scales(
            [row],
            membership=membership,
            reverse=[item.reverse for item in items],
            scale_min=scale.minimum,
            scale_max=scale.maximum,
            scale_ids=[s.id for s in section.subscales],
        )
        result[section.id] = {
            sid: None if math.isnan(value) else round(float(value), 2)
            for sid, value in zip(scored.scale_ids, scored.scores[0], strict=True)
        }
    return result


@dataclass(frozen=True)
class Guidance:
    """What the motivation answers suggest, in plain words. Never a gate."""

    balance: str  # people-first, undecided, mixed, status-first, not-drawn or unknown
    headline: str
    advice: tuple[str, ...]


# Agreement runs 1..5; 4 is "agree". A gap of a whole point between the two motives is the
# difference between, say, "agree" and "neither agree nor disagree".
AGREE = 4.0
NEUTRAL = 3.0
CLEAR_GAP = 1.0


def motivation_guidance(*, developing: float | None, advancement: float | None) -> Guidance:
    """Honest guidance from the two motivation-to-manage subscales (1..5 agreement).

    In this order:

    * not-drawn: developing below 3 (the people work itself does not appeal);
    * status-first: advancement above 3 (past neutral) and at or above developing;
    * people-first: developing 4 or more and at least a point above advancement;
    * undecided: developing below 3.5 and advancement 3 or less (neither pulls strongly);
    * mixed: anything else.
    """
    if developing is None or advancement is None:
        return Guidance(
            balance="unknown",
            headline=gettext("Answer the questions to see what your reasons suggest."),
            advice=(),
        )
    for value in (developing, advancement):
        if not 1.0 <= value <= 5.0:
            raise ValueError(f"motivation scores run from 1 to 5; got {value}")
    if developing < 3.0:
        return Guidance(
            balance="not-drawn",
            headline=gettext("The everyday work of developing people does not appeal to you much."),
            advice=(
                gettext(
                    "A people manager spends a large part of every week on one-to-ones, coaching, "
                    "hiring and feedback. If that sounds like a cost rather than the point, the "
                    "individual contributor and leadership-without-reports tracks reach the same "
                    "senior levels without it."
                ),
                gettext(
                    "That can change. Mentoring one person or running an onboarding is a small, "
                    "safe way to find out."
                ),
            ),
        )
    if advancement > NEUTRAL and advancement >= developing:
        return Guidance(
            balance="status-first",
            headline=gettext(
                "Right now the role appeals to you more for title, pay or standing than "
                "for developing people."
            ),
            advice=(
                gettext(
                    "That is an honest and common answer, and nothing here stops you. It is also the "
                    "pattern that most often ends in an unhappy manager and an unhappy team: the "
                    "title comes once, the people work comes every day."
                ),
                gettext(
                    "Here, moving up does not require managing people. Look at the individual "
                    "contributor and leadership-without-reports tracks: they lead to the same senior "
                    "levels."
                ),
                gettext(
                    "If you still want to manage, try the people work first: mentor someone, lead an "
                    "onboarding, and take this check again afterwards."
                ),
            ),
        )
    if developing >= AGREE and developing - advancement >= CLEAR_GAP:
        return Guidance(
            balance="people-first",
            headline=gettext("Your reasons lean towards developing people."),
            advice=(
                gettext(
                    "That is the motivation that tends to sustain people managers through the hard "
                    "parts of the job."
                ),
                gettext(
                    "Motivation is not skill: look at the people manager track's first level, talk to "
                    "your manager about a first step (a mentee, an intern, leading a small team for a "
                    "project), and ask for feedback on how it goes."
                ),
            ),
        )
    if developing < 3.5 and advancement <= NEUTRAL:
        return Guidance(
            balance="undecided",
            headline=gettext(
                "Neither reason pulls strongly: you may not know yet what managing would give you."
            ),
            advice=(
                gettext(
                    "That is a fair place to be. The quickest way to find out is to try some of the "
                    "work: mentor someone, run an onboarding, lead a small piece of work with others."
                ),
                gettext(
                    "Take this check again afterwards; your answers after trying it say more than "
                    "your answers before."
                ),
            ),
        )
    return Guidance(
        balance="mixed",
        headline=gettext(
            "Your reasons are mixed: developing people matters to you, and so does advancement."
        ),
        advice=(
            gettext(
                "Most people are somewhere here. Ask yourself whether you would still want the role "
                "if it came with no new title and no pay rise."
            ),
            gettext(
                "Try some of the people work first (mentoring, leading an onboarding) and take this "
                "check again: your answers after trying it say more than your answers before."
            ),
        ),
    )
