"""Reads of the understanding pulse: scores only through the anonymity rule.

A team's score comes from its latest pulse. It is shown only when at least the minimum number
of members answered (``VISION_PULSE_MINIMUM``, by default the minimum for "others" in
``tandem.measure.raters.DEFAULT_MINIMUMS``); the rule itself is the one in ``tandem.measure``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count

from tandem.measure.raters import DEFAULT_MINIMUMS, visible_aggregates
from tandem.people.models import Organisation, Person
from tandem.vision.models import Pulse, PulseRespondent, PulseTally, shown_statement


def pulse_minimum() -> int:
    """How many members must answer before a team's score is shown."""
    return int(getattr(settings, "VISION_PULSE_MINIMUM", DEFAULT_MINIMUMS["other"]))


@dataclass(frozen=True)
class PulseScore:
    pulse: Pulse
    respondents: int
    minimum: int
    statement_means: tuple[float, ...] | None

    @property
    def shown(self) -> bool:
        return self.statement_means is not None

    @property
    def score(self) -> float | None:
        """The mean of the statements' means, 1 to 5; None while hidden."""
        if self.statement_means is None:
            return None
        return sum(self.statement_means) / len(self.statement_means)

    @property
    def statements(self) -> list[tuple[str, float | None]]:
        """Each statement, in the reader's language, with its mean (None while hidden)."""
        means = self.statement_means or (None,) * len(self.pulse.statements)
        shown = [shown_statement(s) for s in self.pulse.statements]
        return list(zip(shown, means, strict=True))


def _score(pulse: Pulse, counts: dict[tuple[int, int], int], respondents: int) -> PulseScore:
    minimum = pulse_minimum()
    means: list[float] = []
    for statement in range(len(pulse.statements)):
        values = [
            float(value)
            for (s, value), count in sorted(counts.items())
            if s == statement
            for _ in range(count)
        ]
        shown = visible_aggregates(values, ["other"] * len(values), minimums={"other": minimum})
        if not shown:
            return PulseScore(pulse, respondents, minimum, None)
        means.append(shown[0].mean)
    return PulseScore(pulse, respondents, minimum, tuple(means))


def pulse_scores(*, organisation: Organisation) -> dict[int, PulseScore]:
    """The latest pulse of every team that has one, by team id, in three queries."""
    latest: dict[int, Pulse] = {}
    for pulse in Pulse.objects.filter(organisation=organisation).order_by("-opened_on", "-id"):
        latest.setdefault(pulse.team_id, pulse)
    ids = [p.pk for p in latest.values()]
    counts: dict[int, dict[tuple[int, int], int]] = {i: {} for i in ids}
    for row in PulseTally.objects.filter(pulse_id__in=ids).values(
        "pulse_id", "statement", "value", "count"
    ):
        counts[row["pulse_id"]][(row["statement"], row["value"])] = row["count"]
    answered = dict(
        PulseRespondent.objects.filter(pulse_id__in=ids)
        .values("pulse_id")
        .annotate(n=Count("id"))
        .values_list("pulse_id", "n")
    )
    return {
        team_id: _score(pulse, counts[pulse.pk], answered.get(pulse.pk, 0))
        for team_id, pulse in latest.items()
    }


def pulse_get(*, organisation: Organisation, pulse_id: int) -> Pulse | None:
    return (
        Pulse.objects.filter(organisation=organisation, pk=pulse_id)
        .select_related("team", "organisation")
        .first()
    )


def pulses_to_answer(*, person: Person) -> list[tuple[Pulse, bool]]:
    """Open pulses of the person's team, each with whether they have answered it."""
    if person.manager_id is None:
        return []
    pulses = list(
        Pulse.objects.filter(team_id=person.manager_id, closed_on__isnull=True).select_related(
            "team"
        )
    )
    answered = set(
        PulseRespondent.objects.filter(pulse__in=pulses, person=person).values_list(
            "pulse_id", flat=True
        )
    )
    return [(p, p.pk in answered) for p in pulses]


def has_answered(*, pulse: Pulse, person: Person) -> bool:
    return PulseRespondent.objects.filter(pulse=pulse, person=person).exists()
