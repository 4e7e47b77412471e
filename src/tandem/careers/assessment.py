"""Released assessment results, read through the cycles app's results API.

``tandem.cycles.results.released_results_for(person)`` returns frozen ``PersonResult``
dataclasses, oldest first, holding only what the released report shows: ``placement``,
``leaning``, ``borderline``, per-scale ``self_scores`` and ``others_scores`` (None where the
report shows nothing) and ``self_sections`` (motivation and track interests). Careers reads the
newest one and never reaches behind it.
"""

from __future__ import annotations

from tandem.cycles.models import Participant
from tandem.cycles.results import PersonResult, latest_result_for
from tandem.people.models import Person


def latest_result(person: Person) -> PersonResult | None:
    """The person's newest released result, or None."""
    return latest_result_for(person)


def shared_with_manager(result: PersonResult) -> bool:
    """Did the person let their manager read this report? Calibration uses a result's scores
    only with that consent, and then only to raise a flag, never to show them."""
    return Participant.objects.filter(pk=result.participant_id, manager_may_view=True).exists()
