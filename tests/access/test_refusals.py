"""POST-only actions: the people who may not use them are refused and nothing changes."""

from __future__ import annotations

from django.urls import reverse

from tandem.careers.models import FrameworkVersion
from tandem.people.models import PeopleImport
from tests.access.pages_core import draft_import
from tests.access.test_matrix import client_for
from tests.conftest import Personas


def test_import_apply_is_refused_to_employees(personas: Personas) -> None:
    url = draft_import(personas).replace("/import/", "/import/", 1) + "apply/"
    response = client_for("employee", personas).post(url)
    assert response.status_code == 403
    assert PeopleImport.objects.get().status == "draft"


def test_invite_person_is_refused_to_employees(personas: Personas) -> None:
    url = reverse("accounts:invite_person", args=[personas.sibling_person.pk])
    response = client_for("employee", personas).post(url)
    assert response.status_code == 403


def test_framework_install_is_refused_to_employees(personas: Personas) -> None:
    response = client_for("employee", personas).post(reverse("careers:install_default"))
    assert response.status_code == 403
    assert not FrameworkVersion.objects.exists()


def test_framework_edit_is_refused_to_employees(personas: Personas) -> None:
    response = client_for("manager", personas).post(
        reverse("careers:edit"), {"text": "framework: Mine\n"}
    )
    assert response.status_code == 403
    assert not FrameworkVersion.objects.exists()
