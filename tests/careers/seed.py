"""Seeded calibration rounds: one that should raise every bias flag, one that should raise none.

Acme has a CEO, a people partner and four managers; everyone below the CEO reports to one of
them. In the *biased* round one manager (Gina Generous) proposes all six of her reports while
the others propose one of eight; one case argues a criterion with no evidence; one candidate
proposed into people management rates themself 1.5 points above how others rate them; and
women are proposed at under a third of the men's rate. In the *fair* round managers propose one
or two of their reports each, every argument has endorsed evidence, the manager candidate sees
themself as others do, and women and men are proposed at similar rates.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from tandem.accounts.models import Role, User
from tandem.careers.models import FrameworkVersion, PromotionCase
from tandem.careers.services import (
    case_argue,
    case_open,
    case_propose,
    demographics_import,
    evidence_endorse,
    evidence_log,
    framework_default_install,
    placement_set,
)
from tandem.people.models import Organisation, Person
from tests.factories import make_organisation, make_person, make_user
from tests.growth.factories import SCALES, make_released_result

SINCE = datetime.date(2026, 1, 1)


@dataclass
class Round:
    organisation: Organisation
    version: FrameworkVersion
    ceo: Person
    hr: User
    managers: list[Person]
    manager_users: list[User]
    teams: dict[int, list[Person]]
    cases: list[PromotionCase] = field(default_factory=list)


def _org(name: str, team_sizes: list[int]) -> Round:
    organisation = make_organisation(name)
    version = framework_default_install(organisation=organisation, actor=None)
    ceo = make_person(organisation, "Cora Chief", title="Chief Executive")
    make_user(organisation, role=Role.ADMIN, person=ceo)
    hr_person = make_person(organisation, "Hana People", manager=ceo, title="People Partner")
    hr = make_user(organisation, role=Role.PEOPLE_TEAM, person=hr_person)
    names = ["Gina Generous", "Mark Middle", "Nora Norm", "Oscar Ordinary"]
    managers, manager_users, teams = [], [], {}
    for i, size in enumerate(team_sizes):
        manager = make_person(organisation, names[i], manager=ceo, title="Engineering Manager")
        managers.append(manager)
        manager_users.append(make_user(organisation, person=manager))
        teams[manager.pk] = [
            make_person(organisation, f"{names[i].split()[0]} Report {k + 1}", manager=manager)
            for k in range(size)
        ]
    return Round(organisation, version, ceo, hr, managers, manager_users, teams)


def _propose(
    r: Round,
    candidate: Person,
    *,
    track: str = "ic",
    level: int = 3,
    evidence: bool = True,
    endorser: Person | None = None,
) -> PromotionCase:
    placement_set(person=candidate, track_key="ic", level_number=2, since=SINCE, actor=None)
    target = r.version.tracks.get(key=track).levels.get(number=level)
    case = case_open(candidate=candidate, target_level=target, actor=None)
    for criterion in list(target.criteria.all())[:2]:
        entries = []
        if evidence:
            entry = evidence_log(
                person=candidate,
                what=f"Work showing: {criterion.text[:40]}",
                happened_on=datetime.date(2026, 3, 1),
                criteria=[criterion],
                actor=None,
            )
            evidence_endorse(evidence=entry, endorser=endorser or candidate.manager, actor=None)  # type: ignore[arg-type]
            entries.append(entry)
        case_argue(
            case=case,
            criterion=criterion,
            text="Does this consistently.",
            evidence=entries,
            author=candidate.manager,
            actor=None,
        )
    case_propose(case=case, actor=None, now=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
    r.cases.append(case)
    return case


def _gender_csv(r: Round, women: set[int]) -> str:
    people = [p for team in r.teams.values() for p in team] + [
        *r.managers,
        Person.objects.get(organisation=r.organisation, name="Hana People"),
    ]
    lines = ["employee_id,gender"]
    lines += [f"{p.employee_id},{'woman' if p.pk in women else 'man'}" for p in people]
    return "\n".join(lines) + "\n"


def biased_round() -> Round:
    r = _org("Acme", [6, 8, 8, 8])
    gina, *others = r.managers
    for person in r.teams[gina.pk]:
        _propose(r, person)
    for manager in others:
        _propose(r, r.teams[manager.pk][0])
    # An argument without evidence.
    bare = _propose(r, r.teams[others[0].pk][1], evidence=False)
    # Proposed into management while rating themself well above how others see them.
    confident = r.teams[others[1].pk][1]
    make_released_result(
        confident,
        others=dict.fromkeys(SCALES, 3.5),
        self_scores=dict.fromkeys(SCALES, 5),
    )
    _propose(r, confident, track="manager", level=1)
    del bare
    # Women: the four reports of Mark, Nora and Oscar who were not proposed, plus others, so
    # that 2 of 15 women and 9 of 20 men are proposed.
    proposed = {case.candidate_id for case in r.cases}
    everyone = [p for team in r.teams.values() for p in team]
    women = [p.pk for p in everyone if p.pk not in proposed][:13]
    women += [case.candidate_id for case in r.cases[:2]]
    demographics_import(organisation=r.organisation, text=_gender_csv(r, set(women)), actor=None)
    return r


def fair_round() -> Round:
    r = _org("Acme", [8, 8, 8, 8])
    for i, manager in enumerate(r.managers):
        team = r.teams[manager.pk]
        _propose(r, team[0])
        if i % 2 == 0:
            _propose(r, team[1])
    candidate = r.teams[r.managers[1].pk][2]
    make_released_result(
        candidate, others=dict.fromkeys(SCALES, 4.0), self_scores=dict.fromkeys(SCALES, 4)
    )
    _propose(r, candidate, track="manager", level=1)
    # Women and men proposed at similar rates: 3 of 17 women, 4 of 20 men.
    proposed = [case.candidate_id for case in r.cases]
    everyone = [p for team in r.teams.values() for p in team]
    unproposed = [p.pk for p in everyone if p.pk not in proposed]
    women = set(proposed[:3]) | set(unproposed[:14])
    demographics_import(organisation=r.organisation, text=_gender_csv(r, women), actor=None)
    return r
