"""A person's page leads to their growth in the career framework."""

from __future__ import annotations

from django.urls import reverse

from tests.access.test_matrix import client_for
from tests.conftest import Personas


def test_the_person_page_links_to_growth_in_the_framework(personas: Personas) -> None:
    target = personas.employee_person
    page = client_for("manager", personas).get(reverse("people:person", args=[target.pk]))
    assert reverse("careers:person", args=[target.pk]) in page.content.decode()
