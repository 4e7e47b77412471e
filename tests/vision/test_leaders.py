"""Leaders everywhere: the survey, opting out, and aggregates that never show a nomination."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tandem.audit.models import AuditEvent
from tandem.vision.models import NetworkOptOut, Nomination, NominationSurvey
from tandem.vision.selectors import leaders_network, network_minimum, nominee_choices
from tandem.vision.services import (
    SurveyError,
    network_opt_in,
    nominations_save,
    survey_close,
    survey_open,
)
from tests.conftest import Personas
from tests.vision.network_seed import SeededNetwork, seed_network


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@pytest.fixture
def seeded(personas: Personas) -> SeededNetwork:
    return seed_network(personas.organisation, top=personas.ceo)


def test_the_minimum_defaults_to_the_minimum_for_others(settings) -> None:  # type: ignore[no-untyped-def]
    assert network_minimum() == 3
    settings.VISION_NETWORK_MINIMUM = 4
    assert network_minimum() == 4


def test_the_known_informal_leader_is_found(personas: Personas, seeded: SeededNetwork) -> None:
    found = leaders_network(organisation=personas.organisation)
    leaders = [s.person for s in found.informal_leaders]
    assert leaders[0] == seeded.ines
    # Mona and Sam are as central, but manage people: formal leaders.
    assert seeded.mona not in leaders and seeded.sam not in leaders
    assert found.informal_leaders[0].nominated_by == 5  # four engineers and Bram
    assert found.respondents == 10


def test_the_bridge_between_departments_is_a_broker(
    personas: Personas, seeded: SeededNetwork
) -> None:
    found = leaders_network(organisation=personas.organisation)
    brokers = {s.person: s for s in found.brokers}
    assert seeded.bram in brokers and brokers[seeded.bram].departments == 2
    # The engineers never reach Sales: the department-bound manager is no broker.
    assert seeded.mona not in brokers


def test_communities_follow_who_turns_to_whom(personas: Personas, seeded: SeededNetwork) -> None:
    found = leaders_network(organisation=personas.organisation)
    assert [c.departments for c in found.communities] in (
        [("Engineering",), ("Sales",)],
        [("Sales",), ("Engineering",)],
        [("Engineering", "Sales"), ("Sales",)],
        [("Engineering",), ("Engineering", "Sales")],
    )
    assert all(c.size >= network_minimum() for c in found.communities)


def test_no_one_named_by_fewer_than_the_minimum_appears(
    personas: Personas, seeded: SeededNetwork, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.VISION_NETWORK_MINIMUM = 6
    found = leaders_network(organisation=personas.organisation)
    assert found.informal_leaders == [] and found.brokers == []


def test_opting_out_deletes_nominations_and_blocks_new_ones(
    personas: Personas, seeded: SeededNetwork
) -> None:
    assert not Nomination.objects.filter(nominee=seeded.oona).exists()
    assert seeded.oona not in nominee_choices(
        organisation=personas.organisation, nominator=seeded.engineers[0]
    )
    with pytest.raises(SurveyError, match="chosen not to be nominated"):
        nominations_save(
            survey=seeded.survey,
            nominator=seeded.engineers[0],
            choices={"energy": [seeded.oona]},
            actor=None,
        )
    found = leaders_network(organisation=personas.organisation)
    shown = [s.person for s in found.informal_leaders + found.brokers]
    assert seeded.oona not in shown
    network_opt_in(person=seeded.oona, actor=None)
    assert not NetworkOptOut.objects.filter(person=seeded.oona).exists()


def test_an_opted_out_person_is_not_counted_even_from_old_rows(
    personas: Personas, seeded: SeededNetwork
) -> None:
    # Rows written before the opt-out rule (or by hand) still never reach the results.
    for person in seeded.engineers:
        Nomination.objects.create(
            survey=seeded.survey, question="done", nominator=person, nominee=seeded.oona
        )
    found = leaders_network(organisation=personas.organisation)
    assert seeded.oona not in [s.person for s in found.informal_leaders]


@pytest.mark.parametrize(
    "problem",
    ["self", "too_many", "closed"],
)
def test_bad_answers_are_refused(personas: Personas, seeded: SeededNetwork, problem: str) -> None:
    nominator = seeded.engineers[0]
    choices = {"direction": [seeded.ines]}
    if problem == "self":
        choices = {"direction": [nominator]}
    if problem == "too_many":
        choices = {"direction": [seeded.ines, seeded.mona, seeded.sam, seeded.bram]}
    if problem == "closed":
        survey_close(survey=seeded.survey, actor=None)
        seeded.survey.refresh_from_db()
    with pytest.raises(SurveyError):
        nominations_save(survey=seeded.survey, nominator=nominator, choices=choices, actor=None)


def test_answering_again_replaces_the_answers(personas: Personas, seeded: SeededNetwork) -> None:
    person = seeded.engineers[0]
    nominations_save(
        survey=seeded.survey, nominator=person, choices={"done": [seeded.bram]}, actor=None
    )
    assert list(
        Nomination.objects.filter(survey=seeded.survey, nominator=person).values_list(
            "nominee__name", flat=True
        )
    ) == ["Bram Bridge"]


def test_the_audit_log_never_says_whom(personas: Personas, seeded: SeededNetwork) -> None:
    events = AuditEvent.objects.filter(action="vision.nominations_save")
    assert events.count() == 10
    for event in events:
        assert set(event.changes) == {"names_given"}
        for name in ["Ines", "Mona", "Bram", "Sam", "Oona"]:
            assert name not in str(event.changes)


def test_nominations_are_not_in_the_admin() -> None:
    assert Nomination not in admin.site._registry
    assert NetworkOptOut not in admin.site._registry


def test_one_open_survey_at_a_time(personas: Personas, seeded: SeededNetwork) -> None:
    with pytest.raises(SurveyError, match="open already"):
        survey_open(organisation=personas.organisation, actor=None)


def test_the_people_team_sees_the_leaders_page(personas: Personas, seeded: SeededNetwork) -> None:
    page = _client(personas.hr).get(reverse("vision:leaders")).content.decode()
    leaders = page[page.index('id="informal-leaders"') : page.index('id="brokers"')]
    assert "Ines Influencer" in leaders and "Mona Manager" not in leaders
    assert "Oona Optout" not in page
    assert "10</strong> people have answered" in page


def test_managers_and_employees_do_not_see_the_leaders_page(
    personas: Personas, seeded: SeededNetwork
) -> None:
    assert _client(personas.manager).get(reverse("vision:leaders")).status_code == 403
    assert _client(personas.employee).get(reverse("vision:leaders")).status_code == 403


def test_everyone_answers_through_the_survey_page(
    personas: Personas, seeded: SeededNetwork
) -> None:
    client = _client(personas.employee)
    page = client.get(reverse("vision:leaders_survey")).content.decode()
    assert 'role="combobox"' in page and "vision.nominees" in page
    # The picker offers Ines, and never Oona, who opted out of the network.
    offered = client.get(
        reverse("people:pick"), {"q": "In", "scope": "vision.nominees", "field": "id_direction"}
    ).content.decode()
    assert "Ines Influencer" in offered
    refused = client.get(
        reverse("people:pick"), {"q": "Oona", "scope": "vision.nominees"}
    ).content.decode()
    assert "Oona Optout" not in refused
    response = client.post(
        reverse("vision:leaders_survey"),
        {"direction": [seeded.ines.pk], "done": [seeded.bram.pk, seeded.mona.pk]},
    )
    assert response.status_code == 302
    assert (
        Nomination.objects.filter(survey=seeded.survey, nominator=personas.employee_person).count()
        == 3
    )
    # The page never shows back whom you named.
    again = client.get(reverse("vision:leaders_survey")).content.decode()
    assert "You have answered" in again
    assert "checked" not in again and 'class="chip"' not in again


def test_an_empty_answer_is_refused_kindly(personas: Personas, seeded: SeededNetwork) -> None:
    response = _client(personas.employee).post(reverse("vision:leaders_survey"), {})
    assert response.status_code == 200
    assert "Name at least one person" in response.content.decode()


def test_opting_out_and_in_through_the_page(personas: Personas) -> None:
    client = _client(personas.employee)
    client.post(reverse("vision:leaders_opt_out"), {"choice": "out"})
    assert NetworkOptOut.objects.filter(person=personas.employee_person).exists()
    client.post(reverse("vision:leaders_opt_out"), {"choice": "in"})
    assert not NetworkOptOut.objects.filter(person=personas.employee_person).exists()


def test_the_people_team_opens_and_closes_surveys(personas: Personas) -> None:
    hr = _client(personas.hr)
    hr.post(reverse("vision:leaders_open"))
    survey = NominationSurvey.objects.get()
    assert survey.is_open
    hr.post(reverse("vision:leaders_close", args=[survey.pk]))
    survey.refresh_from_db()
    assert not survey.is_open
    manager = _client(personas.manager)
    assert manager.post(reverse("vision:leaders_open")).status_code == 403
    assert manager.post(reverse("vision:leaders_close", args=[survey.pk])).status_code == 403


def test_the_leaders_page_takes_a_fixed_number_of_queries(
    personas: Personas, seeded: SeededNetwork, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = _client(personas.hr)
    with django_assert_max_num_queries(15):
        client.get(reverse("vision:leaders"))
