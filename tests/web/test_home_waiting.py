"""The home page lists what waits for the signed-in person, with a link to each: a decision on
their own case, input they were asked for, evidence of their reports to endorse, a case to
propose, cases to decide. In a fixed number of queries, however many there are.

Acme: Ada Admin (CEO, admin) above Harriet Hr (people team) and Manny Manager, who manages
Emma Employee and Eli Employee. Otto Outsider is in Globex.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.careers.models import Level, Outcome, PromotionCase, Verdict
from tandem.careers.selectors import framework_version_get, waiting_for
from tandem.careers.services import (
    CriterionVerdict,
    case_argue,
    case_decide,
    case_open,
    case_peer_add,
    case_propose,
    evidence_endorse,
    evidence_log,
    framework_default_install,
    peer_input_add,
)
from tandem.people.models import Person, PersonStatus
from tests.conftest import Personas
from tests.factories import make_person, make_user

HOME = reverse("web:home")


def _level(p: Personas, number: int = 3) -> Level:
    version = framework_version_get(organisation=p.organisation)
    if version is None:
        version = framework_default_install(organisation=p.organisation, actor=None)
    return version.tracks.get(key="ic").levels.get(number=number)


def _home(user: Any) -> list[tuple[str, str, str]]:
    """The rows of "Waiting for you" as (what, for whom, link)."""
    client = Client()
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return [(w.what, w.whom, w.url) for w in response.context["waiting"]]


def _decide(case: PromotionCase, actor: Any) -> None:
    case_decide(
        case=case,
        verdicts=[
            CriterionVerdict(criterion=c, verdict=Verdict.MET, reason="Shown.")
            for c in case.target_level.criteria.all()
        ],
        outcome=Outcome.PROMOTED,
        reason="Shown throughout.",
        actor=actor,
    )


def _entry(person: Person, what: str = "Ran the on-call rota") -> Any:
    return evidence_log(person=person, what=what, happened_on=datetime.date(2026, 3, 3), actor=None)


def _round_for_harriet(p: Personas, k: int) -> None:
    """One more of every kind of row for Harriet: her own case decided (by Ada), a case she is
    asked for input on, a report of hers whose case is being written with an entry nobody has
    endorsed yet, and a proposed case to decide."""
    level = _level(p)
    own = case_open(candidate=p.hr_person, target_level=_level(p, 2 + k), actor=None)
    case_propose(case=own, actor=None)
    _decide(own, p.admin)
    asker = make_person(p.organisation, f"Asa Asker {k}", manager=p.manager_person)
    asking = case_open(candidate=asker, target_level=level, actor=None)
    case_peer_add(case=asking, peer=p.hr_person, actor=None)
    report = make_person(p.organisation, f"Rita Report {k}", manager=p.hr_person)
    draft = case_open(candidate=report, target_level=level, actor=None)
    criterion = level.criteria.first()
    assert criterion is not None
    case_argue(
        case=draft,
        criterion=criterion,
        text="Ran it well.",
        evidence=[_entry(report), _entry(report, "Wrote the runbook")],
        author=None,
        actor=None,
    )
    candidate = make_person(p.organisation, f"Paula Proposed {k}", manager=p.manager_person)
    case_propose(case=case_open(candidate=candidate, target_level=level, actor=None), actor=None)


def test_the_home_page_lists_what_waits_for_the_people_team_member_with_a_link_to_each(
    personas: Personas,
) -> None:
    _round_for_harriet(personas, 0)
    own = PromotionCase.objects.get(candidate=personas.hr_person)
    asking = PromotionCase.objects.get(candidate__name="Asa Asker 0")
    draft = PromotionCase.objects.get(candidate__name="Rita Report 0")
    proposed = PromotionCase.objects.get(candidate__name="Paula Proposed 0")
    case = lambda c, anchor="": reverse("careers:case", args=[c.pk]) + anchor  # noqa: E731
    assert _home(personas.hr) == [
        ("Read the decision on your case: Approved", "You", case(own, "#decision")),
        ("Give your input", "Asa Asker 0", case(asking, "#peers")),
        (
            "Endorse 2 accomplishments linked to the case",
            "Rita Report 0",
            reverse("careers:person", args=[draft.candidate_id]) + "#evidence",
        ),
        ("Propose the case for calibration when it is ready", "Rita Report 0", case(draft)),
        ("Record the decision", "Paula Proposed 0", case(proposed)),
    ]
    client = Client()
    client.force_login(personas.hr)
    page = client.get(HOME).content.decode()
    assert 'id="waiting"' in page
    assert f'<a href="{case(proposed)}">Record the decision</a>' in page
    assert "Individual contributor, level 3" in page


def test_a_row_goes_once_the_thing_is_done(personas: Personas) -> None:
    _round_for_harriet(personas, 0)
    asking = PromotionCase.objects.get(candidate__name="Asa Asker 0")
    draft = PromotionCase.objects.get(candidate__name="Rita Report 0")
    proposed = PromotionCase.objects.get(candidate__name="Paula Proposed 0")
    peer_input_add(case=asking, author=personas.hr_person, text="Saw it.", actor=personas.hr)
    for entry in draft.arguments.get().evidence.all():
        evidence_endorse(evidence=entry, endorser=personas.manager_person, actor=None)
    _decide(proposed, personas.admin)
    whats = [what for what, _, _ in _home(personas.hr)]
    assert whats == [
        "Read the decision on your case: Approved",
        "Propose the case for calibration when it is ready",
    ]
    case_propose(case=draft, actor=personas.hr)
    assert [what for what, _, _ in _home(personas.hr)] == [
        "Read the decision on your case: Approved",
        "Record the decision",  # Harriet proposed it, and the people team decides it
    ]


def test_a_decision_shows_on_the_candidates_home_page_for_thirty_days(personas: Personas) -> None:
    case = case_open(candidate=personas.employee_person, target_level=_level(personas), actor=None)
    case_propose(case=case, actor=None)
    _decide(case, personas.hr)
    url = reverse("careers:case", args=[case.pk]) + "#decision"
    assert _home(personas.employee) == [("Read the decision on your case: Approved", "You", url)]
    later = timezone.now() + datetime.timedelta(days=31)
    assert waiting_for(user=personas.employee, now=later) == []
    # Nobody else is told of Emma's decision on their home page.
    assert _home(personas.manager) == []
    assert _home(personas.hr) == []


def test_only_the_people_team_decides_and_only_the_direct_manager_is_asked_to_propose(
    personas: Personas,
) -> None:
    level = _level(personas)
    draft = case_open(candidate=personas.employee_person, target_level=level, actor=None)
    proposed = case_open(candidate=personas.sibling_person, target_level=level, actor=None)
    case_propose(case=proposed, actor=None)
    assert [w for w, _, _ in _home(personas.manager)] == [
        "Propose the case for calibration when it is ready"
    ]
    # Ada is above Manny, and an admin: she may decide, but proposing is Manny's step.
    assert [(w, whom) for w, whom, _ in _home(personas.admin)] == [
        ("Record the decision", "Eli Employee")
    ]
    assert _home(personas.employee) == []
    assert draft.status == "draft"


def test_outsiders_and_people_with_nothing_to_do_read_that_nothing_waits(
    personas: Personas,
) -> None:
    _round_for_harriet(personas, 0)
    for user in (personas.outsider, personas.employee):
        assert _home(user) == []
        client = Client()
        client.force_login(user)
        assert "Nothing is waiting for you right now." in client.get(HOME).content.decode()
    # A member of the people team with no person of their own still sees cases to decide.
    hr_only = make_user(personas.organisation, role="people_team")
    assert [w for w, _, _ in _home(hr_only)] == ["Record the decision"]


def _queries(user: Any) -> int:
    client = Client()
    client.force_login(user)
    client.get(HOME)  # warm caches that are not per request (content types, sessions)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(HOME).status_code == 200
    return len(queries)


def test_the_home_page_reads_as_many_queries_for_three_of_everything_as_for_one(
    personas: Personas, django_assert_num_queries: Any, django_assert_max_num_queries: Any
) -> None:
    _round_for_harriet(personas, 0)
    one = _queries(personas.hr)
    for k in (1, 2):
        _round_for_harriet(personas, k)
    assert _queries(personas.hr) == one
    # What is waiting: own decisions, input asked, the peers check, reports' drafts, proposals.
    with django_assert_num_queries(5):
        assert len(waiting_for(user=personas.hr)) == 15
    client = Client()
    client.force_login(personas.hr)
    client.get(HOME)
    # The session, the user, the navigation (membership, organisation, person, undelivered
    # mail), the page (people count, direct reports) and the five above.
    with django_assert_max_num_queries(13):
        page = client.get(HOME)
    assert len(page.context["waiting"]) == 10  # the first ten, and a link to the rest
    assert "5 more on the promotion cases page" in page.content.decode()


def test_cases_of_people_who_have_left_wait_for_nobody(personas: Personas) -> None:
    _round_for_harriet(personas, 0)
    for name in ("Asa Asker 0", "Rita Report 0", "Paula Proposed 0"):
        Person.objects.filter(name=name).update(status=PersonStatus.ARCHIVED)
    assert [w for w, _, _ in _home(personas.hr)] == ["Read the decision on your case: Approved"]
