"""The calibration session raises every bias flag on a round that should, and none on a round
that should not; demographic results stay with the people team."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.careers import selectors
from tandem.careers.calibration import ADVERSE_IMPACT, CONFIDENCE, MANAGER_RATE, UNEVIDENCED
from tandem.careers.models import Demographics
from tests.careers.seed import SINCE, biased_round, fair_round


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_biased_round_raises_every_flag(db: None) -> None:
    r = biased_round()
    board = selectors.calibration_board(organisation=r.organisation, since=SINCE)
    assert [f.subject for f in board.manager_rate] == ["Gina Generous"]
    assert [f.kind for f in board.unevidenced] == [UNEVIDENCED]
    assert board.unevidenced[0].subject == "Mark Report 2"
    assert [f.subject for f in board.confidence] == ["Nora Report 2"]
    assert board.confidence[0].kind == CONFIDENCE
    assert "rate themself well above how others rate them" in board.confidence[0].message
    assert "1.5" not in board.confidence[0].message  # the scores stay in the report
    assert [f.subject for f in board.four_fifths] == ["gender: woman"]
    assert {f.kind for f in board.manager_rate + board.four_fifths} == {
        MANAGER_RATE,
        ADVERSE_IMPACT,
    }
    (rates,) = [rates for field, rates in board.group_rates if field == "gender"]
    assert {(g.group, g.selected, g.eligible) for g in rates} == {("woman", 2, 15), ("man", 9, 20)}


def test_a_fair_round_raises_none(db: None) -> None:
    r = fair_round()
    board = selectors.calibration_board(organisation=r.organisation, since=SINCE)
    assert len(board.cases) == 7
    assert board.flag_count == 0
    assert board.four_fifths == ()
    assert board.group_rates  # the check ran; it found nothing


def test_managers_see_the_flags_but_never_the_demographic_groups(db: None) -> None:
    r = biased_round()
    url = reverse("careers:calibration") + "?since=2026-01-01"
    manager_page = _client(r.manager_users[1]).get(url).content.decode()
    assert "Gina Generous" in manager_page and "argued with no evidence" in manager_page
    assert "four-fifths" not in manager_page and "woman" not in manager_page
    hr_page = _client(r.hr).get(url).content.decode()
    assert "gender: woman" in hr_page and "29 CFR 1607.4(D)" in hr_page


def test_the_board_takes_a_bounded_number_of_queries(db: None) -> None:
    r = fair_round()
    with CaptureQueriesContext(connection) as small:
        selectors.calibration_board(organisation=r.organisation, since=SINCE)
    biased = biased_round()
    with CaptureQueriesContext(connection) as large:
        selectors.calibration_board(organisation=biased.organisation, since=SINCE)
    # Assessment results and their consent are read for all candidates at once.
    assert len(large) == len(small)


def test_an_unreadable_since_date_falls_back_to_the_last_year(db: None) -> None:
    r = fair_round()
    response = _client(r.hr).get(reverse("careers:calibration") + "?since=yesterday")
    assert response.status_code == 200
    assert "is not a date like" in response.content.decode()


def test_a_case_page_shows_its_own_flags_to_calibrators_only(db: None) -> None:
    r = biased_round()
    flagged = next(c for c in r.cases if c.candidate.name == "Nora Report 2")
    clean = next(c for c in r.cases if c.candidate.name == "Gina Report 1")
    assert [f.kind for f in selectors.case_flags(case=flagged)] == ["confidence-without-evidence"]
    assert selectors.case_flags(case=clean) == []
    url = reverse("careers:case", args=[flagged.pk])
    assert "rate themself well above" in _client(r.hr).get(url).content.decode()
    from tests.factories import make_user

    candidate = make_user(r.organisation, person=flagged.candidate)
    assert "case-flags" not in _client(candidate).get(url).content.decode()


def test_approvals_are_checked_against_four_fifths_too(db: None) -> None:
    from tandem.careers.services import CriterionVerdict, case_decide

    r = fair_round()
    women = {
        d.person_id
        for d in Demographics.objects.filter(person__organisation=r.organisation)
        if d.fields.get("gender") == "woman"
    }
    # Approve every man's case and none of the women's.
    for case in r.cases:
        approve = case.candidate_id not in women
        case_decide(
            case=case,
            verdicts=[
                CriterionVerdict(c, "met" if approve else "partly", "Reason.")
                for c in case.target_level.criteria.all()
            ],
            outcome="promoted" if approve else "not_yet",
            reason="Reason.",
            actor=None,
        )
    board = selectors.calibration_board(organisation=r.organisation, since=SINCE)
    assert board.four_fifths == ()  # proposals were fair
    assert [f.subject for f in board.approval_four_fifths] == ["gender: woman (approvals)"]
    assert board.approval_four_fifths[0].message.startswith("Approval rate 0% (0 of 3)")
    page = _client(r.hr).get(reverse("careers:calibration") + "?since=2026-01-01")
    assert "gender: approvals" in page.content.decode()


def test_confidence_is_only_checked_with_the_persons_consent(db: None) -> None:
    from tandem.cycles.models import Participant

    r = biased_round()
    Participant.objects.filter(person__name="Nora Report 2").update(manager_may_view=False)
    board = selectors.calibration_board(organisation=r.organisation, since=SINCE)
    assert board.confidence == ()
    assert len(board.unevidenced) == 1  # the other flags are unchanged
