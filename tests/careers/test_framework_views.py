"""The framework pages: open to everyone in the organisation, edited by the people team."""

from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.careers import selectors
from tandem.careers.frameworkfile import framework_parse, framework_yaml
from tandem.careers.models import FrameworkVersion
from tandem.careers.services import default_framework_spec, framework_default_install
from tests.conftest import Personas


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def _place(personas: Personas, track: str, level: int) -> None:
    person = personas.employee_person
    person.track, person.level = track, level
    person.save()


def test_an_employee_sees_where_they_stand_and_the_next_level(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    _place(personas, "ic", 2)
    page = _client(personas.employee).get(reverse("careers:framework")).content.decode()
    assert "You are here" in page
    assert "Individual contributor, level 2: Practitioner" in page
    assert "Level 3: Experienced" in page
    assert "People manager" in page and "Leadership without reports" in page
    assert "normal and respected choice" in page


def test_the_track_page_marks_the_current_and_next_levels(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    _place(personas, "ic", 2)
    response = _client(personas.employee).get(reverse("careers:track", args=["ic"]))
    levels = response.context["levels"]
    assert [(e["is_current"], e["is_next"]) for e in levels][:4] == [
        (False, False),
        (True, False),
        (False, True),
        (False, False),
    ]
    page = response.content.decode()
    assert "Learns the tools and practices of the team" in page
    assert page.count("You are here") == 1


def test_every_employee_can_read_every_track(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    client = _client(personas.employee)
    for key in ("ic", "manager", "lead"):
        assert client.get(reverse("careers:track", args=[key])).status_code == 200
    assert client.get(reverse("careers:track", args=["nope"])).status_code == 404


def test_the_track_page_takes_a_fixed_number_of_queries(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    _place(personas, "manager", 3)
    client = _client(personas.employee)
    url = reverse("careers:track", args=["manager"])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    assert len(queries) <= 12  # one more: the person's placement, if any


def test_the_framework_page_takes_a_fixed_number_of_queries(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    _place(personas, "lead", 1)
    client = _client(personas.employee)
    client.get(reverse("careers:framework"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("careers:framework")).status_code == 200
    assert len(queries) <= 13  # with placement, quarter prompt and calibration link


def test_without_a_framework_the_people_team_is_offered_the_default(personas: Personas) -> None:
    page = _client(personas.hr).get(reverse("careers:framework")).content.decode()
    assert "no career framework yet" in page
    assert "Install Tandem's default framework" in page
    page = _client(personas.employee).get(reverse("careers:framework")).content.decode()
    assert "Install" not in page


def test_the_people_team_installs_the_default(personas: Personas) -> None:
    response = _client(personas.hr).post(reverse("careers:install_default"))
    assert response.status_code == 302
    version = FrameworkVersion.objects.get()
    assert version.framework.organisation == personas.organisation
    assert version.published_by == personas.hr


def test_install_needs_post(personas: Personas) -> None:
    assert _client(personas.hr).get(reverse("careers:install_default")).status_code == 405


def _upload(client: Client, text: str, name: str = "framework.yaml"):  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile(name, text.encode(), content_type="application/yaml")
    return client.post(reverse("careers:import_upload"), {"file": upload})


def test_a_malformed_upload_shows_the_line_and_saves_nothing(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    text = framework_yaml(default_framework_spec())
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if "title: Experienced" in line)
    lines[at] = lines[at].replace("title:", "tittle:")
    response = _upload(_client(personas.hr), "\n".join(lines))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved." in page
    assert f"Line {at + 1}:" in page
    assert "tittle" in page
    assert FrameworkVersion.objects.count() == 1


def test_a_good_upload_publishes_a_new_version(personas: Personas) -> None:
    text = framework_yaml(default_framework_spec()).replace(
        "name: Individual contributor", "name: Specialist"
    )
    response = _upload(_client(personas.hr), text)
    assert response.status_code == 302
    version = FrameworkVersion.objects.get()
    assert version.source == "Imported from framework.yaml"
    assert version.tracks.get(key="ic").name == "Specialist"


def test_a_malformed_upload_quotes_the_line_at_fault(personas: Personas) -> None:
    text = framework_yaml(default_framework_spec()).replace("title: Expert", "titel: Expert")
    page = _upload(_client(personas.hr), text).content.decode()
    assert "reads: <code>        titel: Expert</code>" in page


def test_the_edit_page_starts_from_the_current_version(personas: Personas) -> None:
    text = framework_yaml(default_framework_spec()).replace("title: Learning", "title: Starting")
    _upload(_client(personas.hr), text)
    page = _client(personas.hr).get(reverse("careers:edit")).content.decode()
    assert "This is version 1" in page
    assert "title: Starting" in page


def test_the_edit_page_offers_the_default_when_there_is_none(personas: Personas) -> None:
    page = _client(personas.hr).get(reverse("careers:edit")).content.decode()
    assert "Tandem's default, to start from" in page
    assert "Leadership without reports" in page
    assert not FrameworkVersion.objects.exists()


def test_an_edit_publishes_a_new_version_and_keeps_the_old(personas: Personas) -> None:
    first = framework_default_install(organisation=personas.organisation, actor=None)
    text = framework_yaml(default_framework_spec()).replace("title: Learning", "title: Starting")
    response = _client(personas.hr).post(reverse("careers:edit"), {"text": text})
    assert response.status_code == 302
    second = selectors.framework_version_get(organisation=personas.organisation)
    assert second is not None and second.number == 2
    assert second.source == "Edited in Tandem"
    assert second.tracks.get(key="ic").levels.get(number=1).title == "Starting"
    assert first.tracks.get(key="ic").levels.get(number=1).title == "Learning"


def test_an_edit_that_changes_nothing_publishes_nothing(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    text = framework_yaml(default_framework_spec())
    response = _client(personas.hr).post(reverse("careers:edit"), {"text": text}, follow=True)
    assert "nothing was published" in response.content.decode()
    assert FrameworkVersion.objects.count() == 1


def test_a_malformed_edit_shows_the_line_and_keeps_the_text(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    text = framework_yaml(default_framework_spec()).replace("  - key: lead", "  - key: ic")
    at = text.splitlines().index("  - key: ic", 10) + 1
    response = _client(personas.hr).post(reverse("careers:edit"), {"text": text})
    page = response.content.decode()
    assert "Nothing was saved." in page
    assert f"Line {at}: Two tracks have the key" in page
    assert response.context["form"]["text"].value() == text
    assert FrameworkVersion.objects.count() == 1


def test_only_yaml_files_are_accepted(personas: Personas) -> None:
    response = _upload(_client(personas.hr), "a,b\n", name="framework.csv")
    assert "is not a YAML file" in response.content.decode()
    assert not FrameworkVersion.objects.exists()


def test_export_yaml_round_trips(personas: Personas) -> None:
    version = framework_default_install(organisation=personas.organisation, actor=None)
    client = _client(personas.hr)
    response = client.get(reverse("careers:export_yaml"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert framework_parse(response.content) == selectors.framework_spec(version=version)
    assert _upload(client, response.content.decode()).status_code == 302
    second = selectors.framework_version_get(organisation=personas.organisation)
    assert second is not None and second.number == 2
    assert selectors.framework_spec(version=second) == selectors.framework_spec(version=version)


def test_export_a_chosen_version(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    framework_default_install(organisation=personas.organisation, actor=None)
    client = _client(personas.hr)
    response = client.get(reverse("careers:export_yaml") + "?version=1")
    assert "-v1.yaml" in response["Content-Disposition"]
    assert client.get(reverse("careers:export_yaml") + "?version=9").status_code == 404
    assert client.get(reverse("careers:export_yaml") + "?version=x").status_code == 404


def test_export_csv_lists_every_criterion(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    response = _client(personas.hr).get(reverse("careers:export_csv"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    spec = default_framework_spec()
    count = sum(len(t.criteria) for tr in spec.tracks for lv in tr.levels for t in lv.themes)
    assert len(rows) == count + 1
    assert rows[1][:4] == ["ic", "Individual contributor", "1", "Learning"]


def test_the_manage_page_lists_versions(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=personas.hr)
    page = _client(personas.hr).get(reverse("careers:manage")).content.decode()
    assert "Tandem default framework" in page
    assert "?version=1" in page


def test_another_organisation_never_sees_this_ones_framework(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    client = _client(personas.outsider)
    page = client.get(reverse("careers:framework")).content.decode()
    assert "no career framework yet" in page
    assert "Practitioner" not in page
    assert client.get(reverse("careers:track", args=["ic"])).status_code == 404
    assert client.get(reverse("careers:export_yaml")).status_code == 404
    assert client.get(reverse("careers:export_csv")).status_code == 404


def test_installing_in_one_organisation_does_not_touch_another(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    _client(personas.outsider).post(reverse("careers:install_default"))
    assert selectors.framework_version_get(organisation=personas.organisation).number == 1  # type: ignore[union-attr]
    other = selectors.framework_version_get(organisation=personas.other_organisation)
    assert other is not None and other.number == 1


def test_yaml_nested_too_deep_is_refused_not_a_crash(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    deep = "framework: " + "[" * 5000 + "]" * 5000
    for response in (
        _upload(_client(personas.hr), deep),
        _client(personas.hr).post(reverse("careers:edit"), {"text": deep}),
    ):
        page = response.content.decode()
        assert response.status_code < 500
        assert "Nothing was saved." in page and "nested more than 40 levels" in page
    assert FrameworkVersion.objects.count() == 1
