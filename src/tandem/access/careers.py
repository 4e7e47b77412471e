"""Who may read and change the career framework, evidence, promotion cases and calibration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy

from tandem.access.core import (
    can_view_person_private_details,
    in_organisation,
    is_manager,
    is_people_team,
    manages,
    person_of,
)
from tandem.accounts.models import Membership, Role
from tandem.people.models import Organisation, Person

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

    from tandem.careers.models import Evidence, PromotionCase

# tandem.careers.models.CaseStatus values; access is imported before the app registry is ready.
DRAFT, PROPOSED, DECIDED = "draft", "proposed", "decided"


def can_view_framework(user: Any, organisation: Organisation) -> bool:
    """Every track, level and criterion is open to the whole organisation: transparency."""
    return in_organisation(user, organisation)


def can_edit_framework(user: Any, organisation: Organisation) -> bool:
    """Installing, importing and exporting the career framework is the people team's job."""
    return is_people_team(user, organisation)


# --- where a person stands, and their growth -----------------------------------------------


def can_set_placement(user: Any, person: Person) -> bool:
    """Track and level are set by the people team, never by the person or their manager."""
    return is_people_team(user, person.organisation)


def can_view_growth(user: Any, person: Person) -> bool:
    """A person's evidence is open to their organisation, so peers can read and endorse it."""
    return in_organisation(user, person.organisation)


def can_view_private_growth(user: Any, person: Person) -> bool:
    """Quarterly summaries: the person, anyone above them, and the people team (the same
    circle as a person's private details)."""
    return can_view_person_private_details(user, person)


def can_log_evidence(user: Any, person: Person) -> bool:
    """People log their own accomplishments."""
    if not in_organisation(user, person.organisation):
        return False
    return person_of(user) == person


def can_endorse(user: Any, evidence: Evidence) -> bool:
    """A manager or a peer may endorse an entry; nobody endorses their own."""
    return can_endorse_evidence_of(user, evidence.person)


def can_endorse_evidence_of(user: Any, person: Person) -> bool:
    """``can_endorse`` for every entry of ``person``: anyone else in their organisation."""
    own = person_of(user)
    if own is None:
        return False
    if not in_organisation(user, person.organisation):
        return False
    return own.pk != person.pk


# --- changing one's own evidence -----------------------------------------------------------

NOT_THE_AUTHOR = gettext_lazy("Only the person who logged an entry can edit or delete it.")
UNDER_REVIEW = gettext_lazy(
    "This entry is part of a case under review, so it stays as the case was read: it can no "
    "longer be edited or deleted. Log a new entry for anything new."
)
ENDORSED = gettext_lazy(
    "This entry has been endorsed, and an endorsement vouches for it as it was written, so it "
    "can no longer be edited. Log a new entry to say more; you can still delete this one (its "
    "endorsements go with it)."
)


@dataclass(frozen=True)
class EvidenceChange:
    """Why an entry cannot be edited or deleted by a user, or None where it can."""

    edit_refused: _StrOrPromise | None
    delete_refused: _StrOrPromise | None

    @property
    def can_edit(self) -> bool:
        return self.edit_refused is None

    @property
    def can_delete(self) -> bool:
        return self.delete_refused is None


def is_evidence_author(user: Any, evidence: Evidence) -> bool:
    """The person who logged an entry; nobody else, not their manager, not the people team."""
    own = person_of(user)
    if own is None:
        return False
    # One's own person is always in one's own organisation, so this also keeps everyone in
    # other organisations out, without loading each entry's person.
    return own.pk == evidence.person_id


def evidence_under_review(evidence_ids: Sequence[int]) -> set[int]:
    """Ids of the entries linked to a case that has been proposed (submitted) or decided, in one
    query. Evidence linked only to cases still being written is not under review."""
    from tandem.careers.models import CaseArgument

    through = CaseArgument.evidence.through
    return set(
        through.objects.filter(
            evidence_id__in=list(evidence_ids),
            caseargument__case__status__in=[PROPOSED, DECIDED],
        ).values_list("evidence_id", flat=True)
    )


def evidence_changes(user: Any, entries: Sequence[Evidence]) -> dict[int, EvidenceChange]:
    """For each entry, whether ``user`` may edit or delete it and why not, in at most one query
    (endorsements should be prefetched). The rules, in order:

    1. only the author may change an entry;
    2. an entry linked to a case that has been proposed or decided stays as it is;
    3. an endorsed entry can be deleted but not edited: endorsers vouched for what it said.
    """
    authored = {e.pk for e in entries if is_evidence_author(user, e)}
    under_review = evidence_under_review(sorted(authored)) if authored else set()
    changes = {}
    for entry in entries:
        if entry.pk not in authored:
            refused = NOT_THE_AUTHOR
        elif entry.pk in under_review:
            refused = UNDER_REVIEW
        else:
            refused = None
        endorsed = refused is None and len(entry.endorsements.all()) > 0
        changes[entry.pk] = EvidenceChange(
            edit_refused=ENDORSED if endorsed else refused, delete_refused=refused
        )
    return changes


def evidence_change(user: Any, evidence: Evidence) -> EvidenceChange:
    """``evidence_changes`` for one entry."""
    return evidence_changes(user, [evidence])[evidence.pk]


def can_edit_evidence(user: Any, evidence: Evidence) -> bool:
    return evidence_change(user, evidence).can_edit


def can_delete_evidence(user: Any, evidence: Evidence) -> bool:
    return evidence_change(user, evidence).can_delete


def can_take_motivation_check(user: Any) -> bool:
    """Anyone with a person record can take the check; it stays private to them."""
    return person_of(user) is not None


# --- promotion cases ------------------------------------------------------------------------


def can_open_case(user: Any, candidate: Person) -> bool:
    """The candidate themself, anyone above them, or the people team may open a case."""
    if not in_organisation(user, candidate.organisation):
        return False
    if person_of(user) == candidate:
        return True
    if is_people_team(user, candidate.organisation):
        return True
    return manages(user, candidate)


def can_view_case(user: Any, case: PromotionCase) -> bool:
    """The candidate, anyone above them, the people team, and peers asked for input."""
    if not in_organisation(user, case.organisation):
        return False
    own = person_of(user)
    if own is not None and own.pk == case.candidate_id:
        return True
    if is_people_team(user, case.organisation):
        return True
    if manages(user, case.candidate):
        return True
    return own is not None and case.peers.filter(pk=own.pk).exists()


def can_argue_case(user: Any, case: PromotionCase) -> bool:
    """The candidate and the managers above them write the case until it is decided."""
    if case.status == DECIDED:
        return False
    if not in_organisation(user, case.organisation):
        return False
    own = person_of(user)
    if own is not None and own.pk == case.candidate_id:
        return True
    return manages(user, case.candidate)


def can_propose_case(user: Any, case: PromotionCase) -> bool:
    """Proposing a case to calibration is the advocate's step: a manager above the candidate."""
    if case.status != DRAFT:
        return False
    if not in_organisation(user, case.organisation):
        return False
    return manages(user, case.candidate)


def can_add_peer_input(user: Any, case: PromotionCase) -> bool:
    """Peers asked for input add it while the case is open."""
    if case.status == DECIDED:
        return False
    own = person_of(user)
    if own is None or not in_organisation(user, case.organisation):
        return False
    return case.peers.filter(pk=own.pk).exists()


def can_decide_cases(user: Any, organisation: Organisation) -> bool:
    """The people team records decisions after calibration (admins can too)."""
    return is_people_team(user, organisation)


def can_decide_case(user: Any, case: PromotionCase) -> bool:
    """The people team records decisions after calibration, never on their own case."""
    if case.status != PROPOSED:
        return False
    if not can_decide_cases(user, case.organisation):
        return False
    own = person_of(user)
    return own is None or own.pk != case.candidate_id


def who_decides_case(case: PromotionCase) -> list[Membership]:
    """Whom to tell that ``case`` waits for a decision: the active members of the people team
    other than the candidate or, where there are none, the organisation's admins other than the
    candidate. Admins may decide too (``can_decide_cases``), but where there is a people team
    deciding is its work, so only it is emailed; admins still find the case on their home
    page."""
    members = (
        Membership.objects.filter(organisation_id=case.organisation_id, user__is_active=True)
        .exclude(person_id=case.candidate_id)
        .select_related("user", "person")
        .order_by("pk")
    )
    people_team = list(members.filter(role=Role.PEOPLE_TEAM))
    return people_team or list(members.filter(role=Role.ADMIN))


# --- calibration ----------------------------------------------------------------------------


def can_view_calibration(user: Any, organisation: Organisation) -> bool:
    """The people team and managers calibrate proposals together."""
    if is_people_team(user, organisation):
        return True
    if not in_organisation(user, organisation):
        return False
    return is_manager(user)


def can_view_demographic_flags(user: Any, organisation: Organisation) -> bool:
    """Demographic fields and the four-fifths check are for the people team only."""
    return is_people_team(user, organisation)


def can_edit_demographics(user: Any, organisation: Organisation) -> bool:
    return is_people_team(user, organisation)


# --- the same rules over many cases at once, for pages that list cases -----------------------


def cases_visible_to(user: Any, cases: Sequence[PromotionCase]) -> set[int]:
    """Ids of the ``cases`` the user may read (``can_view_case``) in at most two queries,
    whatever the number of cases."""
    mine = [c for c in cases if in_organisation(user, c.organisation)]
    if not mine:
        return set()
    organisation = mine[0].organisation
    if is_people_team(user, organisation):
        return {c.pk for c in mine}
    own = person_of(user)
    if own is None:
        return set()
    above = dict(Person.objects.filter(organisation=organisation).values_list("pk", "manager_id"))
    through = mine[0].peers.through
    asked = set(
        through.objects.filter(
            person_id=own.pk, promotioncase_id__in=[c.pk for c in mine]
        ).values_list("promotioncase_id", flat=True)
    )
    visible = set()
    for case in mine:
        if case.candidate_id == own.pk or case.pk in asked:
            visible.add(case.pk)
            continue
        seen: set[int] = set()
        current = above.get(case.candidate_id)
        while current is not None and current not in seen:
            if current == own.pk:
                visible.add(case.pk)
                break
            seen.add(current)
            current = above.get(current)
    return visible


def cases_open_to_input_from(user: Any, cases: Sequence[PromotionCase]) -> set[int]:
    """Ids of the ``cases`` on which the user may add peer input (``can_add_peer_input``) in at
    most one query, whatever the number of cases."""
    own = person_of(user)
    if own is None:
        return set()
    mine = [c for c in cases if c.status != DECIDED and in_organisation(user, c.organisation)]
    if not mine:
        return set()
    through = mine[0].peers.through
    return set(
        through.objects.filter(
            person_id=own.pk, promotioncase_id__in=[c.pk for c in mine]
        ).values_list("promotioncase_id", flat=True)
    )
