"""Publishing frameworks: whole new versions, audited, atomic, and never shared across tenants."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.audit.models import AuditEvent
from tandem.careers import selectors
from tandem.careers.frameworkfile import FrameworkFileError, framework_yaml
from tandem.careers.models import Criterion, FrameworkVersion, Level, Track
from tandem.careers.services import (
    default_framework_spec,
    framework_default_install,
    framework_import,
)
from tests.conftest import Personas


def test_installing_the_default_publishes_version_one(personas: Personas) -> None:
    version = framework_default_install(organisation=personas.organisation, actor=personas.hr)
    assert version.number == 1
    assert version.published_by == personas.hr
    assert version.tracks.count() == 3
    assert Level.objects.filter(track__version=version).count() == 15
    assert selectors.framework_spec(version=version) == default_framework_spec()


def test_publishing_is_audited(personas: Personas) -> None:
    version = framework_default_install(organisation=personas.organisation, actor=personas.hr)
    event = AuditEvent.objects.get(action="careers.framework_publish")
    assert event.organisation == personas.organisation
    assert event.actor == personas.hr
    assert event.target_id == str(version.pk)
    assert event.changes["version"] == [None, 1]


def test_a_new_version_leaves_the_old_one_untouched(personas: Personas) -> None:
    first = framework_default_install(organisation=personas.organisation, actor=personas.hr)
    criteria_before = list(
        Criterion.objects.filter(level__track__version=first).values_list("pk", "text")
    )
    edited = framework_yaml(default_framework_spec()).replace("Learning", "Starting out")
    second = framework_import(
        organisation=personas.organisation, data=edited.encode(), filename="f.yaml", actor=None
    )
    assert second.number == 2
    assert selectors.framework_version_get(organisation=personas.organisation) == second
    assert (
        list(Criterion.objects.filter(level__track__version=first).values_list("pk", "text"))
        == criteria_before
    )
    assert first.tracks.get(key="ic").levels.get(number=1).title == "Learning"
    assert second.tracks.get(key="ic").levels.get(number=1).title == "Starting out"
    assert AuditEvent.objects.filter(action="careers.framework_publish").count() == 2


def test_export_then_import_gives_the_same_framework(personas: Personas) -> None:
    first = framework_default_install(organisation=personas.organisation, actor=None)
    exported = framework_yaml(selectors.framework_spec(version=first))
    second = framework_import(
        organisation=personas.organisation,
        data=exported.encode(),
        filename="export.yaml",
        actor=personas.hr,
    )
    assert selectors.framework_spec(version=second) == selectors.framework_spec(version=first)
    assert framework_yaml(selectors.framework_spec(version=second)) == exported


def test_a_malformed_file_changes_nothing(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    bad = framework_yaml(default_framework_spec()).replace("title: Practitioner", "titl: x", 1)
    with pytest.raises(FrameworkFileError) as caught:
        framework_import(
            organisation=personas.organisation, data=bad.encode(), filename="b.yaml", actor=None
        )
    assert caught.value.line is not None
    assert FrameworkVersion.objects.count() == 1
    assert AuditEvent.objects.filter(action="careers.framework_publish").count() == 1


def test_a_failure_half_way_through_saving_rolls_everything_back(
    personas: Personas, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Criterion.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        framework_default_install(organisation=personas.organisation, actor=None)
    assert not FrameworkVersion.objects.exists()
    assert not Track.objects.exists()
    assert not AuditEvent.objects.filter(action="careers.framework_publish").exists()


def test_each_organisation_numbers_its_own_versions(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    framework_default_install(organisation=personas.organisation, actor=None)
    other = framework_default_install(organisation=personas.other_organisation, actor=None)
    assert other.number == 1
    assert selectors.framework_version_get(organisation=personas.other_organisation) == other
    assert [v.number for v in selectors.framework_versions(organisation=personas.organisation)] == [
        2,
        1,
    ]


def test_another_organisation_never_sees_this_ones_framework(personas: Personas) -> None:
    framework_default_install(organisation=personas.organisation, actor=None)
    assert selectors.framework_version_get(organisation=personas.other_organisation) is None
    assert selectors.framework_versions(organisation=personas.other_organisation) == []


class TestPersonPosition:
    def test_it_finds_the_level_and_the_next(self, personas: Personas) -> None:
        version = framework_default_install(organisation=personas.organisation, actor=None)
        person = personas.employee_person
        person.track, person.level = "ic", 2
        position = selectors.person_position(version=version, person=person)
        assert position.track is not None and position.track.key == "ic"
        assert position.level is not None and position.level.number == 2
        assert position.next_level is not None and position.next_level.number == 3

    def test_the_top_level_has_no_next(self, personas: Personas) -> None:
        version = framework_default_install(organisation=personas.organisation, actor=None)
        person = personas.employee_person
        person.track, person.level = "manager", 5
        position = selectors.person_position(version=version, person=person)
        assert position.level is not None and position.next_level is None

    def test_no_track_or_level_means_no_position(self, personas: Personas) -> None:
        version = framework_default_install(organisation=personas.organisation, actor=None)
        person = personas.employee_person
        assert selectors.person_position(version=version, person=person).track is None
        person.track = "lead"
        position = selectors.person_position(version=version, person=person)
        assert position.track is not None
        assert position.level is None and position.next_level is None
        person.track = "unknown"
        assert selectors.person_position(version=version, person=None).track is None
        assert selectors.person_position(version=version, person=person).track is None
