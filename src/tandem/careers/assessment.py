"""Released assessment results, read through the cycles app's results API.

``tandem.cycles.results.released_results_for(person)`` returns frozen ``PersonResult``
dataclasses, oldest first, holding only what the released report shows: ``placement``,
``leaning``, ``borderline``, per-scale ``self_scores`` and ``others_scores`` (None where the
report shows nothing) and ``self_sections`` (motivation and track interests). Careers reads the
newest one and never reaches behind it.
"""

from __future__ import annotations

from collections.abc import Iterable

from tandem.cycles.models import Participant
from tandem.cycles.results import PersonResult, latest_result_for, latest_results_for_people
from tandem.people.models import Person


def latest_result(person: Person) -> PersonResult | None:
    """The person's newest released result, or None."""
    return latest_result_for(person)


def latest_results(people: Iterable[Person]) -> dict[int, PersonResult | None]:
    """Each person's newest released result (or None), by person id, in one query."""
    return latest_results_for_people(people)


def shared_with_manager(result: PersonResult) -> bool:
    """Did the person let their manager read this report? Calibration uses a result's scores
    only with that consent, and then only to raise a flag, never to show them."""
    return result.participant_id in shared_with_managers([result])


def shared_with_managers(results: Iterable[PersonResult]) -> set[int]:
    """The participant ids, among ``results``, whose person let their manager read the
    report (the rule of :func:`shared_with_manager`, in one query)."""
    ids = {result.participant_id for result in results}
    if not ids:
        return set()
    return set(
        Participant.objects.filter(pk__in=ids, manager_may_view=True).values_list("pk", flat=True)
    )
