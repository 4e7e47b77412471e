"""The import wizard: upload, match columns, preview, apply. Nothing is saved before apply."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tandem.people.models import PeopleImport, Person, PersonStatus
from tests.conftest import Personas

GOOD = (
    "Employee ID,Name,Email,Manager ID,Title,Department,Start date\n"
    "100,Grace Hopper,grace@acme.example,,CEO,Executive,2019-02-01\n"
    "101,Alan Turing,alan@acme.example,100,CTO,Engineering,2019-03-01\n"
    "102,Ada Lovelace,ada@acme.example,101,Engineer,Engineering,2020-01-06\n"
)
BAD_DATE = GOOD.replace("2020-01-06", "2020-13-45")


def _upload(
    client: Client, text: str, name: str = "people.csv", encoding: str = "utf-8"
) -> PeopleImport:
    upload = SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")
    response = client.post(reverse("people:import_upload"), {"file": upload})
    assert response.status_code == 302, response.content.decode()[:2000]
    return PeopleImport.objects.latest("created_at")


def test_a_bad_date_is_named_by_row_and_column_and_nothing_is_saved(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.hr)
    before = Person.objects.count()
    batch = _upload(client, BAD_DATE)
    page = client.get(reverse("people:import_review", args=[batch.pk])).content.decode()
    assert "Start date" in page and "2020-13-45" in page
    assert "<td>4</td>" in page, "the bad row is row 4 of the file (the header is row 1)"
    response = client.post(reverse("people:import_apply", args=[batch.pk]))
    assert response.status_code == 302
    assert Person.objects.count() == before


def test_a_good_file_previews_then_applies(personas: Personas, client: Client) -> None:
    client.force_login(personas.hr)
    batch = _upload(client, GOOD)
    page = client.get(reverse("people:import_review", args=[batch.pk])).content.decode()
    assert "3 added" in page
    assert not Person.objects.filter(email="ada@acme.example").exists(), "preview saves nothing"
    client.post(reverse("people:import_apply", args=[batch.pk]))
    ada = Person.objects.get(organisation=personas.organisation, email="ada@acme.example")
    assert ada.manager is not None and ada.manager.name == "Alan Turing"


def test_reimport_previews_who_leaves(personas: Personas, client: Client) -> None:
    client.force_login(personas.admin)
    batch = _upload(client, GOOD)
    client.post(reverse("people:import_apply", args=[batch.pk]))
    # The organisation's personas are not in the file: they would be archived.
    shorter = "\n".join(GOOD.splitlines()[:3]) + "\n"
    second = _upload(client, shorter)
    page = client.get(reverse("people:import_review", args=[second.pk])).content.decode()
    assert "Ada Lovelace" in page and "leaving" in page
    client.post(reverse("people:import_apply", args=[second.pk]))
    assert Person.objects.get(email="ada@acme.example").status == PersonStatus.ARCHIVED


def test_a_latin1_file_keeps_its_accents(personas: Personas, client: Client) -> None:
    client.force_login(personas.hr)
    text = GOOD.replace("Ada Lovelace", "Zoë Müller-François")
    batch = _upload(client, text, encoding="latin-1")
    client.post(reverse("people:import_apply", args=[batch.pk]))
    assert Person.objects.filter(name="Zoë Müller-François").exists()


def test_mapping_choices_are_kept_when_the_mapping_is_wrong(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.hr)
    batch = _upload(client, GOOD)
    form = {"employee_id": "Employee ID", "name": "Employee ID", "email": "Email", "title": "Title"}
    page = client.post(reverse("people:import_review", args=[batch.pk]), form).content.decode()
    assert "already used" in page
    assert '<option value="Title" selected>' in page


def test_an_unreadable_file_is_refused_with_its_name(personas: Personas, client: Client) -> None:
    client.force_login(personas.hr)
    upload = SimpleUploadedFile("people.pdf", b"%PDF-1.4", content_type="application/pdf")
    page = client.post(reverse("people:import_upload"), {"file": upload}).content.decode()
    assert "people.pdf" in page
    assert not PeopleImport.objects.exists()


def test_formula_text_is_kept_and_exported_safely(personas: Personas, client: Client) -> None:
    client.force_login(personas.hr)
    text = GOOD.replace("Engineer,", '=HYPERLINK("http://x"),')
    batch = _upload(client, text)
    client.post(reverse("people:import_apply", args=[batch.pk]))
    assert Person.objects.get(email="ada@acme.example").title == '=HYPERLINK("http://x")'
    export = client.get(reverse("people:export_csv")).content.decode()
    assert "'=HYPERLINK" in export
    assert ",=HYPERLINK" not in export and '"=HYPERLINK' not in export


def test_another_organisations_import_is_invisible(personas: Personas, client: Client) -> None:
    client.force_login(personas.hr)
    batch = _upload(client, GOOD)
    outsider = Client()
    outsider.force_login(personas.outsider)
    assert outsider.get(reverse("people:import_review", args=[batch.pk])).status_code == 404
    assert outsider.post(reverse("people:import_apply", args=[batch.pk])).status_code == 404


def test_an_email_kept_by_someone_who_left_blocks_the_import(
    personas: Personas, client: Client
) -> None:
    client.force_login(personas.admin)
    personas.sibling_person.status = PersonStatus.ARCHIVED
    personas.sibling_person.save()
    text = GOOD.replace("ada@acme.example", personas.sibling_person.email)
    batch = _upload(client, text)
    page = client.get(reverse("people:import_review", args=[batch.pk])).content.decode()
    assert "Nothing was imported" in page and personas.sibling_person.email in page
    client.post(reverse("people:import_apply", args=[batch.pk]))
    assert not Person.objects.filter(name="Ada Lovelace").exists()
