"""The rules the home page and the emails read many cases through agree with the one-case rules
in ``tandem.access.careers``, for every persona."""

from __future__ import annotations

import datetime

from tandem import access
from tandem.accounts.models import Role
from tandem.careers.models import PromotionCase
from tandem.careers.services import (
    CriterionVerdict,
    case_decide,
    case_open,
    case_peer_add,
    case_propose,
    evidence_log,
    framework_default_install,
)
from tests.conftest import Personas


def _cases(p: Personas) -> list[PromotionCase]:
    version = framework_default_install(organisation=p.organisation, actor=None)
    ic = version.tracks.get(key="ic")
    draft = case_open(candidate=p.employee_person, target_level=ic.levels.get(number=3), actor=None)
    proposed = case_open(
        candidate=p.sibling_person, target_level=ic.levels.get(number=3), actor=None
    )
    decided = case_open(
        candidate=p.employee_person, target_level=ic.levels.get(number=4), actor=None
    )
    for case in (draft, proposed, decided):
        case_peer_add(case=case, peer=p.hr_person, actor=None)
    case_propose(case=proposed, actor=None)
    case_propose(case=decided, actor=None)
    case_decide(
        case=decided,
        verdicts=[
            CriterionVerdict(criterion=c, verdict="not_yet", reason="Not yet.")
            for c in decided.target_level.criteria.all()
        ],
        outcome="not_yet",
        reason="Next round.",
        actor=p.hr,
    )
    return list(PromotionCase.objects.select_related("organisation", "candidate"))


def test_input_is_open_on_the_same_cases_one_by_one_and_all_at_once(personas: Personas) -> None:
    cases = _cases(personas)
    users = [personas.admin, personas.hr, personas.manager, personas.employee, personas.outsider]
    for user in users:
        one_by_one = {c.pk for c in cases if access.careers.can_add_peer_input(user, c)}
        assert access.careers.cases_open_to_input_from(user, cases) == one_by_one, user
    # Harriet was asked on all three; the decided one is closed.
    assert len(access.careers.cases_open_to_input_from(personas.hr, cases)) == 2


def test_whoever_may_endorse_an_entry_may_endorse_every_entry_of_its_author(
    personas: Personas,
) -> None:
    entry = evidence_log(
        person=personas.employee_person,
        what="Ran the rota",
        happened_on=datetime.date(2026, 3, 3),
        actor=None,
    )
    users = [personas.admin, personas.hr, personas.manager, personas.employee, personas.outsider]
    for user in users:
        assert access.careers.can_endorse_evidence_of(
            user, personas.employee_person
        ) == access.careers.can_endorse(user, entry)
    assert not access.careers.can_endorse_evidence_of(personas.employee, personas.employee_person)
    assert not access.careers.can_endorse_evidence_of(personas.outsider, personas.employee_person)


def test_the_people_team_is_told_to_decide_and_the_admins_only_without_one(
    personas: Personas,
) -> None:
    cases = _cases(personas)
    emma = next(c for c in cases if c.candidate_id == personas.employee_person.pk)
    assert [m.user for m in access.careers.who_decides_case(emma)] == [personas.hr]
    for user in (personas.admin, personas.hr):
        assert access.careers.can_decide_cases(user, personas.organisation)
    for user in (personas.manager, personas.employee, personas.outsider):
        assert not access.careers.can_decide_cases(user, personas.organisation)
    hers = case_open(candidate=personas.hr_person, target_level=emma.target_level, actor=None)
    # Harriet is the only people-team member: nobody decides their own case, so the admins.
    assert [m.user for m in access.careers.who_decides_case(hers)] == [personas.admin]
    personas.hr.membership.role = Role.EMPLOYEE
    personas.hr.membership.save()
    assert [m.user for m in access.careers.who_decides_case(emma)] == [personas.admin]
    personas.hr.is_active = False
    personas.hr.save()
    personas.hr.membership.role = Role.PEOPLE_TEAM
    personas.hr.membership.save()
    assert [m.user for m in access.careers.who_decides_case(emma)] == [personas.admin]
