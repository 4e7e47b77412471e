"""Track fit: which career track suits a person, with the reasons, from plain values.

Three things feed it, each optional: the leader/manager profile from a released assessment
(``placement``, ``leaning``, ``borderline``, as in ``tandem.measure.place_profile``), the
motivation-to-manage subscales, and the track-interest subscales of the self questionnaire. It
never decides anything: it ranks the tracks and says why, in plain words.

Scoring (each track starts at 0):

* interest: ``score - 3`` for the track's interest subscale (1..5, so -2..+2). Hands-on
  expertise speaks for ``ic``, owning an area for ``lead``, developing people for ``manager``.
* profile: leader-manager +1 to ``manager`` and ``lead``; manager +1 to ``manager``; leader +1
  to ``lead``; emerging +0.5 to ``ic``. When the placement is borderline the leaning counts at
  half weight, because the interval around the score crosses a cut.
* motivation (``manager`` only): people-first +1; status-first -1.5; not drawn to people
  work -1; mixed or undecided 0 (see :func:`tandem.careers.motivation.motivation_guidance`).

The recommendation is the top-scoring track (several when tied). With no input at all there is
no recommendation.

Of Django, only its translations are used: the reasons are worded in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

from tandem.careers.motivation import motivation_guidance

TRACKS = ("ic", "manager", "lead")
TRACK_NAMES: dict[str, str | Promise] = {
    "ic": gettext_lazy("Individual contributor"),
    "manager": gettext_lazy("People manager"),
    "lead": gettext_lazy("Leadership without reports"),
}
INTEREST_OF = {"ic": "hands_on_expertise", "manager": "developing_people", "lead": "owning_an_area"}
INTEREST_WORDS: dict[str, str | Promise] = {
    # Translators: completes "You said you would like your next steps to involve ...".
    "ic": gettext_lazy("going deeper in your craft"),
    "manager": gettext_lazy("managing and developing people"),
    "lead": gettext_lazy("owning a project, process or area without managing people"),
}
PROFILE_POINTS: dict[str, dict[str, float]] = {
    "leader-manager": {"manager": 1.0, "lead": 1.0},
    "manager": {"manager": 1.0},
    "leader": {"lead": 1.0},
    "emerging": {"ic": 0.5},
}


def profile_reason(label: str, *, borderline: bool) -> str:
    """What the assessment profile says, as a whole sentence in the active language."""
    if borderline:
        return {
            "leader-manager": gettext(
                "In your assessment, others see both leadership and management behaviours in "
                "you, though only just: your scores sit close to the line, so this counts less."
            ),
            "manager": gettext(
                "In your assessment, others see management behaviours (planning, organising, "
                "following through) more than leadership ones, though only just: your scores "
                "sit close to the line, so this counts less."
            ),
            "leader": gettext(
                "In your assessment, others see leadership behaviours (setting direction, "
                "aligning and motivating people) more than management ones, though only just: "
                "your scores sit close to the line, so this counts less."
            ),
            "emerging": gettext(
                "In your assessment, neither leadership nor management behaviours stand out "
                "yet, which is normal and leaves every track open, though only just: your "
                "scores sit close to the line, so this counts less."
            ),
        }[label]
    return {
        "leader-manager": gettext(
            "In your assessment, others see both leadership and management behaviours in you."
        ),
        "manager": gettext(
            "In your assessment, others see management behaviours (planning, organising, "
            "following through) more than leadership ones."
        ),
        "leader": gettext(
            "In your assessment, others see leadership behaviours (setting direction, aligning "
            "and motivating people) more than management ones."
        ),
        "emerging": gettext(
            "In your assessment, neither leadership nor management behaviours stand out yet, "
            "which is normal and leaves every track open."
        ),
    }[label]


def _joined(words: list[str], *, conjunction: str) -> str:
    """Phrases joined as alternatives (``or``) or together (``and``), in the active language."""
    text = words[0]
    for word in words[1:]:
        if conjunction == "and":
            text = gettext("%(first)s and %(second)s") % {"first": text, "second": word}
        else:
            text = gettext("%(first)s or %(second)s") % {"first": text, "second": word}
    return text


MOTIVATION_POINTS = {
    "people-first": 1.0,
    "undecided": 0.0,
    "mixed": 0.0,
    "status-first": -1.5,
    "not-drawn": -1.0,
}


@dataclass(frozen=True)
class TrackFit:
    scores: tuple[tuple[str, float], ...]  # every track, best first
    recommended: tuple[str, ...]  # empty when there was nothing to go on
    reasons: tuple[str, ...]
    cautions: tuple[str, ...]

    @property
    def score_of(self) -> dict[str, float]:
        return dict(self.scores)


def _check(name: str, value: float | None) -> None:
    if value is not None and not 1.0 <= value <= 5.0:
        raise ValueError(f"{name} runs from 1 to 5; got {value}")


def track_fit(
    *,
    placement: str | None = None,
    leaning: str | None = None,
    borderline: bool = False,
    developing: float | None = None,
    advancement: float | None = None,
    interests: Mapping[str, float | None] | None = None,
) -> TrackFit:
    """Rank the three tracks for one person and explain the ranking in plain words."""
    interests = dict(interests or {})
    for key, value in interests.items():
        _check(f"interest {key}", value)
    _check("developing", developing)
    _check("advancement", advancement)
    score = dict.fromkeys(TRACKS, 0.0)
    reasons: list[str] = []
    cautions: list[str] = []
    had_input = False

    known = {t: interests.get(INTEREST_OF[t]) for t in TRACKS}
    for track in TRACKS:
        value = known[track]
        if value is None:
            continue
        had_input = True
        score[track] += value - 3.0
    if any(v is not None for v in known.values()):
        liked = [t for t in TRACKS if (known[t] or 0) >= 4.0]
        disliked = [t for t in TRACKS if (value := known[t]) is not None and value <= 2.0]
        if liked:
            reasons.append(
                gettext("You said you would like your next steps to involve %(things)s.")
                % {"things": _joined([str(INTEREST_WORDS[t]) for t in liked], conjunction="and")}
            )
        middle = [t for t in TRACKS if (value := known[t]) is not None and 2.0 < value < 4.0]
        if middle:
            reasons.append(
                gettext("You feel neither strongly for nor against %(things)s.")
                % {"things": _joined([str(INTEREST_WORDS[t]) for t in middle], conjunction="or")}
            )
        if disliked:
            reasons.append(
                gettext("You said you are not drawn to %(things)s.")
                % {"things": _joined([str(INTEREST_WORDS[t]) for t in disliked], conjunction="or")}
            )

    label = leaning if borderline else placement
    if label in PROFILE_POINTS:
        had_input = True
        weight = 0.5 if borderline else 1.0
        for track, points in PROFILE_POINTS[label].items():
            score[track] += weight * points
        reasons.append(profile_reason(label, borderline=borderline))
    elif placement is None and leaning is None:
        cautions.append(
            gettext(
                "There is no released assessment for you yet, so this leaves out how others "
                "see you."
            )
        )

    guidance = motivation_guidance(developing=developing, advancement=advancement)
    if guidance.balance != "unknown":
        had_input = True
        score["manager"] += MOTIVATION_POINTS[guidance.balance]
        if guidance.balance == "people-first":
            reasons.append(gettext("Your reasons for managing lean towards developing people."))
        elif guidance.balance == "undecided":
            reasons.append(
                gettext("Neither developing people nor advancement pulls you strongly yet.")
            )
        elif guidance.balance == "mixed":
            reasons.append(
                gettext("Your reasons for managing are a mix of developing people and advancement.")
            )
        elif guidance.balance == "status-first":
            cautions.append(
                gettext(
                    "Managing people appeals to you more for advancement or standing than for "
                    "developing people; the other tracks lead to the same senior levels."
                )
            )
        else:
            cautions.append(
                gettext("The everyday work of developing people does not appeal to you much.")
            )

    ranked = tuple(sorted(score.items(), key=lambda kv: (-kv[1], TRACKS.index(kv[0]))))
    if not had_input:
        return TrackFit(
            scores=ranked,
            recommended=(),
            reasons=(
                gettext("Answer the motivation and interest questions to see a recommendation."),
            ),
            cautions=tuple(cautions),
        )
    best = ranked[0][1]
    recommended = tuple(track for track, value in ranked if abs(value - best) < 1e-9)
    if len(recommended) == len(TRACKS):
        reasons.append(
            gettext("Nothing here points clearly to one track: all three are open to you.")
        )
    return TrackFit(
        scores=ranked, recommended=recommended, reasons=tuple(reasons), cautions=tuple(cautions)
    )
