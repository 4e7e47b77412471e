"""Promotion cases: argued criterion by criterion with evidence, peers' input, readiness,
decisions with reasons that reach the candidate, and who may do what."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.careers import selectors
from tandem.careers.frameworkfile import framework_yaml
from tandem.careers.models import CaseStatus, Evidence, PromotionCase
from tandem.careers.services import (
    CareersError,
    CriterionVerdict,
    case_argue,
    case_decide,
    case_open,
    case_propose,
    evidence_endorse,
    evidence_log,
    framework_default_install,
    framework_edit,
)
from tests.conftest import Personas
from tests.factories import make_user


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _case(p: Personas) -> PromotionCase:
    version = framework_default_install(organisation=p.organisation, actor=None)
    level = version.tracks.get(key="ic").levels.get(number=3)
    return case_open(candidate=p.employee_person, target_level=level, actor=p.manager)


def _entry(p: Personas, what: str = "Led the search rewrite") -> Evidence:
    return evidence_log(
        person=p.employee_person, what=what, happened_on=datetime.date(2026, 4, 2), actor=None
    )


def test_a_manager_opens_a_case_for_the_next_level_and_becomes_its_advocate(
    personas: Personas,
) -> None:
    version = framework_default_install(organisation=personas.organisation, actor=None)
    emma = personas.employee_person
    emma.track, emma.level = "ic", 2
    emma.save()
    client = _client(personas.manager)
    form = client.get(reverse("careers:case_new", args=[emma.pk]))
    next_level = version.tracks.get(key="ic").levels.get(number=3)
    assert form.context["form"].initial["target_level"] == next_level.pk
    response = client.post(
        reverse("careers:case_new", args=[emma.pk]), {"target_level": str(next_level.pk)}
    )
    case = PromotionCase.objects.get()
    assert response.url == reverse("careers:case", args=[case.pk])
    assert case.advocate == personas.manager_person
    assert case.version == version
    assert AuditEvent.objects.get(action="careers.case_open").changes["framework_version"] == 1


def test_readiness_reads_each_criterion_from_its_argument_and_evidence(
    personas: Personas,
) -> None:
    case = _case(personas)
    first, second, third, *_ = case.target_level.criteria.all()
    endorsed, plain = _entry(personas), _entry(personas, "Wrote the runbook")
    evidence_endorse(evidence=endorsed, endorser=personas.manager_person, actor=None)
    args = {"author": personas.manager_person, "actor": None, "case": case}
    case_argue(criterion=first, text="Did it.", evidence=[endorsed], **args)
    case_argue(criterion=second, text="Did it too.", evidence=[plain], **args)
    case_argue(criterion=third, text="Trust me.", evidence=[], **args)
    view = selectors.case_view(case=case)
    status = {row.criterion.pk: row.readiness.status for row in view.rows}
    assert (status[first.pk], status[second.pk], status[third.pk]) == ("met", "partly", "not_yet")
    page = _client(personas.employee).get(reverse("careers:case", args=[case.pk])).content.decode()
    assert "Met: 1" in page and "Partly met: 1" in page
    assert "Argued, but no evidence is linked yet." in page


def test_only_the_candidates_own_evidence_and_the_target_levels_criteria_can_be_argued(
    personas: Personas,
) -> None:
    case = _case(personas)
    other = evidence_log(
        person=personas.sibling_person,
        what="Eli's",
        happened_on=datetime.date(2026, 1, 1),
        actor=None,
    )
    criterion = case.target_level.criteria.first()
    assert criterion is not None
    with pytest.raises(CareersError, match="candidate's own evidence"):
        case_argue(
            case=case, criterion=criterion, text="x", evidence=[other], author=None, actor=None
        )
    wrong = case.target_level.track.levels.get(number=1).criteria.first()
    assert wrong is not None
    with pytest.raises(CareersError, match="target level"):
        case_argue(case=case, criterion=wrong, text="x", evidence=[], author=None, actor=None)


def test_the_argue_page_ticks_evidence_already_tied_to_the_criterion(personas: Personas) -> None:
    case = _case(personas)
    criterion = case.target_level.criteria.first()
    assert criterion is not None
    tied = evidence_log(
        person=personas.employee_person,
        what="Tied",
        happened_on=datetime.date(2026, 4, 1),
        criteria=[criterion],
        actor=None,
    )
    _entry(personas, "Untied")
    url = reverse("careers:case_argue", args=[case.pk, criterion.pk])
    form = _client(personas.manager).get(url).context["form"]
    assert form.initial["evidence"] == [tied.pk]
    response = _client(personas.manager).post(
        url, {"text": "Shown in the billing work.", "evidence": [str(tied.pk)]}
    )
    assert response.status_code == 302
    argument = case.arguments.get()
    assert list(argument.evidence.all()) == [tied]
    assert argument.written_by == personas.manager_person


def test_peers_are_asked_for_input_and_only_they_can_give_it(personas: Personas) -> None:
    case = _case(personas)
    peer_user = make_user(personas.organisation, person=personas.sibling_person)
    case_url = reverse("careers:case", args=[case.pk])
    assert _client(peer_user).get(case_url).status_code == 403
    input_url = reverse("careers:case_input", args=[case.pk])
    assert _client(peer_user).post(input_url, {"text": "Hi"}).status_code == 403
    response = _client(personas.employee).post(
        reverse("careers:case_peer", args=[case.pk]), {"peer": str(personas.sibling_person.pk)}
    )
    assert response.status_code == 302
    assert _client(peer_user).get(case_url).status_code == 200
    criterion = case.target_level.criteria.first()
    assert criterion is not None
    _client(peer_user).post(
        input_url, {"text": "Unblocked my team twice.", "criterion": str(criterion.pk)}
    )
    row = next(r for r in selectors.case_view(case=case).rows if r.criterion == criterion)
    assert [i.text for i in row.peer_inputs] == ["Unblocked my team twice."]
    # Peers read and add input; they do not write the case.
    assert (
        _client(peer_user)
        .post(reverse("careers:case_peer", args=[case.pk]), {"peer": "1"})
        .status_code
        == 403
    )


def test_only_a_manager_above_the_candidate_proposes(personas: Personas) -> None:
    case = _case(personas)
    url = reverse("careers:case_propose", args=[case.pk])
    assert _client(personas.employee).post(url).status_code == 403
    assert _client(personas.hr).post(url).status_code == 403
    assert _client(personas.outsider).post(url).status_code == 404
    assert _client(personas.manager).get(url).status_code == 405
    assert _client(personas.manager).post(url).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED and case.proposed_at is not None
    # Proposed once is proposed: a second post is refused.
    assert _client(personas.manager).post(url).status_code == 403


def _decide_data(case: PromotionCase, outcome: str = "promoted") -> dict[str, str]:
    data = {"outcome": outcome, "outcome_reason": "Clear evidence across the level."}
    for i, criterion in enumerate(case.target_level.criteria.all()):
        data[f"verdict_{criterion.pk}"] = "met" if i else "partly"
        data[f"reason_{criterion.pk}"] = f"Reason {i}"
    return data


def test_a_decision_is_recorded_per_criterion_audited_and_reaches_the_candidate(
    personas: Personas,
) -> None:
    case = _case(personas)
    case_propose(case=case, actor=None)
    url = reverse("careers:case_decide", args=[case.pk])
    assert _client(personas.manager).get(url).status_code == 403
    response = _client(personas.hr).post(url, _decide_data(case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.outcome) == (CaseStatus.DECIDED, "promoted")
    assert case.decisions.count() == case.target_level.criteria.count()
    event = AuditEvent.objects.get(action="careers.case_decide")
    assert event.actor == personas.hr
    assert len(event.changes["criteria"]) == case.decisions.count()
    page = _client(personas.employee).get(reverse("careers:case", args=[case.pk])).content.decode()
    assert "Decision: Approved" in page
    assert "Clear evidence across the level." in page
    assert "Decision: Partly met.</strong> Reason 0" in page
    # Approval moves the candidate to the target level.
    position = selectors.person_position(version=case.version, person=personas.employee_person)
    assert position.level == case.target_level
    # A decided case no longer changes.
    assert _client(personas.hr).post(url, _decide_data(case)).status_code == 403
    criterion = case.target_level.criteria.first()
    assert criterion is not None
    with pytest.raises(CareersError, match="decided"):
        case_argue(case=case, criterion=criterion, text="x", evidence=[], author=None, actor=None)


def test_a_decision_needs_every_criterion_and_every_reason(personas: Personas) -> None:
    case = _case(personas)
    case_propose(case=case, actor=None)
    criteria = list(case.target_level.criteria.all())
    with pytest.raises(CareersError, match="every criterion"):
        case_decide(
            case=case,
            verdicts=[CriterionVerdict(criteria[0], "met", "ok")],
            outcome="promoted",
            reason="ok",
            actor=None,
        )
    with pytest.raises(CareersError, match="reason"):
        case_decide(
            case=case,
            verdicts=[CriterionVerdict(c, "met", " ") for c in criteria],
            outcome="promoted",
            reason="ok",
            actor=None,
        )
    data = _decide_data(case)
    data[f"reason_{criteria[0].pk}"] = ""
    page = _client(personas.hr).post(reverse("careers:case_decide", args=[case.pk]), data)
    assert page.status_code == 200
    case.refresh_from_db()
    assert case.status == CaseStatus.PROPOSED and not case.decisions.exists()


def test_a_case_keeps_the_version_it_was_judged_against(personas: Personas) -> None:
    case = _case(personas)
    words = [c.text for c in case.target_level.criteria.all()]
    text = framework_yaml(selectors.framework_spec(version=case.version))
    framework_edit(
        organisation=personas.organisation,
        text=text.replace(words[0], "Something else entirely."),
        actor=None,
    )
    case.refresh_from_db()
    assert case.version.number == 1
    page = _client(personas.employee).get(reverse("careers:case", args=[case.pk])).content.decode()
    assert words[0] in page and "Something else entirely." not in page
    assert "version 1" in page


def test_the_people_team_never_decides_their_own_case(personas: Personas) -> None:
    version = framework_default_install(organisation=personas.organisation, actor=None)
    level = version.tracks.get(key="ic").levels.get(number=2)
    case = case_open(candidate=personas.hr_person, target_level=level, actor=None)
    case_propose(case=case, actor=None)
    url = reverse("careers:case_decide", args=[case.pk])
    assert _client(personas.hr).get(url).status_code == 403
    assert _client(personas.admin).get(url).status_code == 200


def test_the_case_list_applies_the_case_rule_in_a_fixed_number_of_queries(
    personas: Personas,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tandem import access
    from tandem.careers.services import case_peer_add

    version = framework_default_install(organisation=personas.organisation, actor=None)
    level = version.tracks.get(key="ic").levels.get(number=2)
    cases = [
        case_open(candidate=person, target_level=level, actor=None)
        for person in (
            personas.employee_person,
            personas.sibling_person,
            personas.manager_person,
            personas.hr_person,
        )
    ]
    case_peer_add(case=cases[3], peer=personas.employee_person, actor=None)
    peer = make_user(personas.organisation, person=personas.sibling_person)
    every = selectors.cases_in(organisation=personas.organisation)
    users = [personas.employee, personas.manager, personas.hr, personas.admin, personas.outsider]
    for user in [*users, peer, personas.superuser]:
        expected = {c.pk for c in every if access.careers.can_view_case(user, c)}
        with CaptureQueriesContext(connection) as queries:
            assert access.careers.cases_visible_to(user, every) == expected
        assert len(queries) <= 2
    # Emma sees her own case and the one she was asked about; Manny sees his and his team's.
    emma_sees = access.careers.cases_visible_to(personas.employee, every)
    assert emma_sees == {cases[0].pk, cases[3].pk}
    assert access.careers.cases_visible_to(personas.manager, every) == {
        cases[0].pk,
        cases[1].pk,
        cases[2].pk,
    }
    page = _client(personas.employee).get(reverse("careers:cases")).content.decode()
    assert "Harriet Hr" in page and "Eli Employee" not in page


def test_the_case_page_reads_any_number_of_arguments_in_a_fixed_number_of_queries(
    personas: Personas,
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = _case(personas)
    criteria = list(case.target_level.criteria.all())
    client = _client(personas.manager)
    url = reverse("careers:case", args=[case.pk])
    counts = []
    for upto in (1, len(criteria)):
        for criterion in criteria[:upto]:
            entry = _entry(personas, f"Evidence for {criterion.pk}")
            evidence_endorse(evidence=entry, endorser=personas.manager_person, actor=None)
            case_argue(
                case=case,
                criterion=criterion,
                text="Shown.",
                evidence=[entry],
                author=personas.manager_person,
                actor=None,
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_opening_a_second_case_for_the_same_level_leads_to_the_open_one(
    personas: Personas,
) -> None:
    case = _case(personas)
    response = _client(personas.manager).post(
        reverse("careers:case_new", args=[personas.employee_person.pk]),
        {"target_level": str(case.target_level_id)},
    )
    assert response.url == reverse("careers:case", args=[case.pk])
    assert PromotionCase.objects.count() == 1
    # Once decided, a new case for the same level can start.
    case_propose(case=case, actor=None)
    case_decide(
        case=case,
        verdicts=[
            CriterionVerdict(c, "not_yet", "Not shown yet.")
            for c in case.target_level.criteria.all()
        ],
        outcome="not_yet",
        reason="Next round.",
        actor=None,
    )
    again = case_open(
        candidate=personas.employee_person, target_level=case.target_level, actor=None
    )
    assert again.pk != case.pk
