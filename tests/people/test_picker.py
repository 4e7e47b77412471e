"""The people picker: a short list of matching colleagues, and typed names resolved kindly."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.urls import reverse

from tandem.people.models import Person
from tandem.people.picker import PeoplePickField, PersonPickField, search
from tests.access.test_matrix import client_for
from tests.conftest import Personas
from tests.factories import make_person


def test_it_lists_at_most_eight_matches_names_starting_with_the_text_first(
    personas: Personas, django_assert_max_num_queries: Any
) -> None:
    for k in range(12):
        make_person(personas.organisation, f"Sam Person {k:02}")
    make_person(personas.organisation, "Alex Samson")
    client = client_for("employee", personas)
    with django_assert_max_num_queries(8):  # session, user, membership and the search: constant
        response = client.get(reverse("people:pick"), {"q": "sam", "field": "id_rater"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('role="option"') == 8
    assert "Alex Samson" not in body, "names that start with the text come first"
    assert "Sam Person 00" in body


def test_it_never_lists_people_of_another_organisation(personas: Personas) -> None:
    response = client_for("outsider", personas).get(reverse("people:pick"), {"q": "Emma"})
    assert 'role="option" id' not in response.content.decode()
    assert "Nobody matches" in response.content.decode()


def test_chosen_people_are_left_out_of_the_list(personas: Personas) -> None:
    emma = personas.employee_person
    response = client_for("hr", personas).get(
        reverse("people:pick"), {"q": emma.name[:3], "exclude": f"{emma.pk},x,²"}
    )
    assert emma.name not in response.content.decode()


class OneForm(forms.Form):
    person = PersonPickField(queryset=Person.objects.all())


class ManyForm(forms.Form):
    people = PeoplePickField(queryset=Person.objects.all())


@pytest.mark.parametrize(
    ("typed", "ok"), [("Emma Employee", True), ("emma employee", True), ("Nobody", False)]
)
def test_a_typed_name_works_without_scripts(personas: Personas, typed: str, ok: bool) -> None:
    form = OneForm({"person-search": typed})
    assert form.is_valid() is ok
    if ok:
        assert form.cleaned_data["person"] == personas.employee_person
    else:
        assert "Nobody called “Nobody”" in str(form.errors)


def test_an_ambiguous_typed_name_asks_for_more(personas: Personas) -> None:
    make_person(personas.organisation, "Sam One")
    make_person(personas.organisation, "Sam Two")
    form = OneForm({"person-search": "Sam"})
    assert not form.is_valid() and "type more of the name" in str(form.errors)


def test_several_chosen_and_one_typed_are_all_kept(personas: Personas) -> None:
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    data.setlist("people", [str(personas.manager_person.pk), str(personas.hr_person.pk)])
    data["people-search"] = personas.employee_person.name
    form = ManyForm(data)
    assert form.is_valid(), form.errors
    assert set(form.cleaned_data["people"]) == {
        personas.manager_person,
        personas.hr_person,
        personas.employee_person,
    }
    html = str(ManyForm(data)["people"])
    assert 'type="hidden" name="people"' in html and personas.manager_person.name in html


def test_search_is_one_query_at_ten_thousand_people(
    personas: Personas, django_assert_num_queries: Any
) -> None:
    Person.objects.bulk_create(
        Person(
            organisation=personas.organisation,
            name=f"Person {k:05}",
            email=f"person{k:05}@acme.example",
            employee_id=f"E{k:05}",
        )
        for k in range(10_000)
    )
    people = Person.objects.filter(organisation=personas.organisation)
    with django_assert_num_queries(1):  # names starting with the text fill the list
        found = search(people, "Person 09")
    assert len(found) == 8 and all(p.name.startswith("Person 09") for p in found)
