"""Writes to career frameworks, and to where each person stands in them (placements).

Every framework write publishes a whole new version, audited. Published versions are
immutable: no service here changes one. Editing a framework means publishing the next version,
so earlier versions keep the criteria they were judged against.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from tandem.audit.services import acting_user, audit_record
from tandem.careers.frameworkfile import FrameworkSpec, framework_parse
from tandem.careers.models import (
    SOURCE_DEFAULT,
    SOURCE_EDITED,
    SOURCE_IMPORTED,
    Criterion,
    Framework,
    FrameworkVersion,
    Level,
    Placement,
    Track,
)
from tandem.careers.selectors.framework import framework_spec, framework_version_get
from tandem.careers.services._common import CareersError
from tandem.people.models import Organisation, Person


class FrameworkUnchanged(ValueError):
    """The edited framework is the same as the current version, so nothing was published."""


# The file sits in the app's folder, next to this package.
DEFAULT_FRAMEWORK_PATH = Path(__file__).parent.with_name("default_framework.yaml")


def default_framework_spec() -> FrameworkSpec:
    return framework_parse(DEFAULT_FRAMEWORK_PATH.read_bytes())


@transaction.atomic
def framework_version_publish(
    *, organisation: Organisation, spec: FrameworkSpec, source: str, actor: Any
) -> FrameworkVersion:
    """Publish ``spec`` as the organisation's next framework version."""
    framework, _ = Framework.objects.get_or_create(organisation=organisation)
    # Lock the framework row so two publishes cannot take the same number.
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    latest = framework.versions.aggregate(latest=Max("number"))["latest"] or 0
    version = FrameworkVersion.objects.create(
        framework=framework,
        number=latest + 1,
        name=spec.name,
        source=source[:255],
        published_by=acting_user(actor),
    )
    criteria: list[Criterion] = []
    for track_position, track_spec in enumerate(spec.tracks):
        track = Track.objects.create(
            version=version,
            key=track_spec.key,
            name=track_spec.name,
            description=track_spec.description,
            position=track_position,
        )
        levels = Level.objects.bulk_create(
            Level(track=track, number=lv.number, title=lv.title, summary=lv.summary)
            for lv in track_spec.levels
        )
        for level, level_spec in zip(levels, track_spec.levels, strict=True):
            position = 0
            for theme in level_spec.themes:
                for text in theme.criteria:
                    criteria.append(
                        Criterion(level=level, theme=theme.name, text=text, position=position)
                    )
                    position += 1
    Criterion.objects.bulk_create(criteria)
    audit_record(
        organisation=organisation,
        actor=actor,
        action="careers.framework_publish",
        target=version,
        changes={
            "version": [latest or None, version.number],
            "source": source[:255],
            "tracks": len(spec.tracks),
            "criteria": len(criteria),
        },
    )
    return version


def framework_default_install(*, organisation: Organisation, actor: Any) -> FrameworkVersion:
    """Publish Tandem's default framework as the organisation's next version."""
    return framework_version_publish(
        organisation=organisation,
        spec=default_framework_spec(),
        source=SOURCE_DEFAULT,
        actor=actor,
    )


def framework_import(
    *, organisation: Organisation, data: bytes, filename: str, actor: Any
) -> FrameworkVersion:
    """Publish a framework file. A malformed file raises FrameworkFileError and saves nothing."""
    spec = framework_parse(data)
    return framework_version_publish(
        organisation=organisation, spec=spec, source=f"{SOURCE_IMPORTED}{filename}", actor=actor
    )


def framework_edit(*, organisation: Organisation, text: str, actor: Any) -> FrameworkVersion:
    """Publish an edited framework as the next version, unless it changes nothing."""
    spec = framework_parse(text)
    current = framework_version_get(organisation=organisation)
    if current is not None and framework_spec(version=current) == spec:
        raise FrameworkUnchanged(
            gettext("This is the same as the current version; nothing was published.")
        )
    return framework_version_publish(
        organisation=organisation, spec=spec, source=SOURCE_EDITED, actor=actor
    )


# --- where a person stands ------------------------------------------------------------------


@transaction.atomic
def placement_set(
    *,
    person: Person,
    track_key: str,
    level_number: int,
    since: datetime.date,
    note: str = "",
    actor: Any,
) -> Placement:
    """Place a person on a track and level from ``since``; earlier placements stay as history."""
    version = framework_version_get(organisation=person.organisation)
    if version is None:
        raise CareersError(
            gettext("There is no career framework yet; install or import one first.")
        )
    if not Level.objects.filter(
        track__version=version, track__key=track_key, number=level_number
    ).exists():
        raise CareersError(
            gettext("Track '%(track)s' has no level %(number)s in the framework.")
            % {"track": track_key, "number": level_number}
        )
    before = Placement.objects.filter(person=person).first()
    placement = Placement.objects.create(
        person=person,
        track_key=track_key,
        level_number=level_number,
        since=since,
        note=note[:300],
        set_by=acting_user(actor),
    )
    audit_record(
        organisation=person.organisation,
        actor=actor,
        action="careers.placement_set",
        target=placement,
        changes={
            "track": [before.track_key if before else None, track_key],
            "level": [before.level_number if before else None, level_number],
            "since": [before.since if before else None, since],
        },
    )
    return placement
