"""Who may see and do what in assessment cycles.

The promise: the people team runs cycles and sees completion, never answers; a report is
read by its participant and, if the participant allows it, by their managers; nobody else,
administrators and superusers included, ever reads a report or an answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from tandem.access.core import in_organisation, is_people_team, manages, person_of
from tandem.people.models import Organisation

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from tandem.cycles.models import Cycle, InstrumentVersion, Nomination, Participant


def can_view_cycles(user: Any, organisation: Organisation) -> bool:
    """Everyone in the organisation has a cycles page: their own part in each cycle."""
    return in_organisation(user, organisation)


def can_manage_cycles(user: Any, organisation: Organisation) -> bool:
    """Creating, launching, closing and releasing cycles, and editing questionnaires."""
    return is_people_team(user, organisation)


def can_view_cycle_progress(user: Any, cycle: Cycle) -> bool:
    """Response rates and who is still pending: the people team. Never answers."""
    return is_people_team(user, cycle.organisation)


def can_view_instrument_health(user: Any, cycle: Cycle) -> bool:
    """How the questionnaire behaved in a released cycle: the people team. Whole-cycle
    aggregates only, never a person's or a rater's figures."""
    return is_people_team(user, cycle.organisation)


def can_edit_instrument(user: Any, version: InstrumentVersion) -> bool:
    return is_people_team(user, version.organisation)


def can_take_part(user: Any, participant: Participant) -> bool:
    """Choosing one's raters and deciding who reads the report: the participant only."""
    if not in_organisation(user, participant.cycle.organisation):
        return False
    return person_of(user) == participant.person


def can_review_nominations(user: Any, participant: Participant) -> bool:
    """The participant's managers approve the list; the people team when there is no manager."""
    person = participant.person
    if not in_organisation(user, participant.cycle.organisation):
        return False
    if manages(user, person):
        return True
    if person.manager_id is None:
        return is_people_team(user, participant.cycle.organisation)
    return False


def can_rate(user: Any, nomination: Nomination) -> bool:
    """A signed-in rater opens their own sheets only."""
    if not in_organisation(user, nomination.participant.cycle.organisation):
        return False
    return person_of(user) == nomination.rater


def sheets_opened_by_link(token: str) -> QuerySet[Nomination]:
    """The sheets an emailed link opens: its own rater's approved sheets in its own cycle.

    A queryset, so the answer-saving path checks the rule and loads the sheet in one query:
    the token is one indexed equality on its hash, tied to each sheet by an EXISTS (a
    planner without table statistics once scanned every link of the cycle for ``IN``).
    An unknown token opens nothing.
    """
    from django.db.models import Exists, OuterRef

    from tandem.cycles.links import token_hash
    from tandem.cycles.models import Nomination, RaterToken

    opens = RaterToken.objects.filter(
        token_hash=token_hash(token),
        link__rater_id=OuterRef("rater_id"),
        link__cycle_id=OuterRef("participant__cycle_id"),
    )
    return Nomination.objects.filter(Exists(opens), approved=True)


def can_view_report(user: Any, participant: Participant) -> bool:
    """Once released: the participant, and their manager if the participant allows it.

    Only the direct manager: people higher up the chain, the people team and administrators
    never read a report.
    """
    if not in_organisation(user, participant.cycle.organisation):
        return False
    if participant.cycle.status != "released":
        return False
    if person_of(user) == participant.person:
        return True
    if not participant.manager_may_view:
        return False
    own = person_of(user)
    return own is not None and participant.person.manager_id == own.pk


def readers_reports(user: Any) -> Q:
    """:func:`can_view_report` as a filter on Participant, for a cycle that is released: the
    user's own participation, and their direct reports' that allow their manager to read."""
    own = person_of(user)
    if own is None:
        return Q(pk__in=[])
    return Q(person=own) | Q(manager_may_view=True, person__manager=own)


def reports_readable_by(user: Any) -> list[Participant]:
    """Every released report ``user`` may read, newest cycles first (one query)."""
    from tandem.cycles.models import CycleStatus, Participant

    return list(
        Participant.objects.filter(
            readers_reports(user), cycle__status=CycleStatus.RELEASED, report__isnull=False
        )
        .select_related("cycle__organisation", "cycle__instrument", "person")
        .order_by("-cycle__released_at", "pk")
    )
