from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.conftest import Personas
from tests.factories import make_person


def test_the_chart_starts_at_the_top(personas: Personas, client: Client) -> None:
    client.force_login(personas.employee)
    page = client.get(reverse("people:chart")).content.decode()
    assert "Ada Admin" in page and "Otto Outsider" not in page
    assert "2 reports" in page


def test_a_branch_lists_direct_reports(personas: Personas, client: Client) -> None:
    client.force_login(personas.employee)
    page = client.get(
        reverse("people:chart_branch", args=[personas.manager_person.pk])
    ).content.decode()
    assert "Emma Employee" in page and "Eli Employee" in page and "Harriet Hr" not in page


def test_the_chart_costs_the_same_queries_for_many_people(
    personas: Personas, client: Client, django_assert_max_num_queries
) -> None:
    for i in range(40):
        make_person(personas.organisation, f"Extra Person {i}", manager=personas.ceo)
    client.force_login(personas.employee)
    with django_assert_max_num_queries(8):
        client.get(reverse("people:chart_branch", args=[personas.ceo.pk]))
    with django_assert_max_num_queries(10):
        client.get(reverse("people:chart"))


def test_search_finds_by_name_within_the_organisation(personas: Personas, client: Client) -> None:
    client.force_login(personas.outsider)
    page = client.get(reverse("people:search"), {"q": "Emma"}).content.decode()
    assert "Emma Employee" not in page
    client.force_login(personas.employee)
    page = client.get(
        reverse("people:search"), {"q": "emma"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Emma Employee" in page and "<html" not in page


def test_person_page_shows_private_details_to_the_manager_only(
    personas: Personas, client: Client
) -> None:
    url = reverse("people:person", args=[personas.employee_person.pk])
    client.force_login(personas.manager)
    assert personas.employee_person.employee_id in client.get(url).content.decode()
    peer = Client()
    from tests.factories import make_user

    peer.force_login(make_user(personas.organisation, person=personas.sibling_person))
    assert personas.employee_person.employee_id not in peer.get(url).content.decode()
