"""Reads of career frameworks and of where people stand in them (placements). Every read is
scoped to one organisation."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from tandem.careers.frameworkfile import FrameworkSpec, LevelSpec, ThemeSpec, TrackSpec
from tandem.careers.models import (
    Criterion,
    FrameworkVersion,
    Level,
    Placement,
    Track,
)
from tandem.people.models import Organisation, Person


def framework_versions(*, organisation: Organisation) -> list[FrameworkVersion]:
    return list(
        FrameworkVersion.objects.filter(framework__organisation=organisation).select_related(
            "published_by"
        )
    )


def framework_version_get(
    *, organisation: Organisation, number: int | None = None
) -> FrameworkVersion | None:
    """A version by number, or the current (latest published) one when number is None."""
    versions = FrameworkVersion.objects.filter(framework__organisation=organisation)
    if number is not None:
        versions = versions.filter(number=number)
    return versions.order_by("-number").first()


def tracks_with_levels(*, version: FrameworkVersion) -> list[Track]:
    return list(version.tracks.prefetch_related("levels"))


def track_get(*, version: FrameworkVersion, key: str) -> Track | None:
    """A track with its levels and their criteria, in three queries."""
    return (
        version.tracks.filter(key=key)
        .prefetch_related(Prefetch("levels", queryset=Level.objects.prefetch_related("criteria")))
        .first()
    )


@dataclass(frozen=True)
class Theme:
    name: str
    criteria: tuple[Criterion, ...]


def criteria_by_theme(level: Level) -> list[Theme]:
    """The level's criteria grouped by theme, in the order the themes first appear."""
    groups: dict[str, list[Criterion]] = {}
    for criterion in level.criteria.all():
        groups.setdefault(criterion.theme, []).append(criterion)
    return [Theme(name=name, criteria=tuple(items)) for name, items in groups.items()]


@dataclass(frozen=True)
class Position:
    """Where a person stands in a framework version: their level and the next one, if any."""

    track: Track | None
    level: Level | None
    next_level: Level | None
    since: datetime.date | None = None
    placed: bool = False  # set by the people team in Tandem, not only from the HR file


def placement_current(*, person: Person) -> Placement | None:
    return Placement.objects.filter(person=person).first()


def placement_history(*, person: Person) -> list[Placement]:
    return list(Placement.objects.filter(person=person).select_related("set_by"))


@dataclass(frozen=True)
class PlacementRow:
    person: Person
    track_key: str
    level_number: int | None
    since: datetime.date | None
    placed: bool


def placements_in(*, organisation: Organisation) -> list[PlacementRow]:
    """Every active person with their current track and level, in two queries."""
    people = list(Person.objects.in_organisation(organisation).active().select_related("manager"))
    latest: dict[int, Placement] = {}
    for found in Placement.objects.filter(person__in=people).order_by("person_id", "-since", "-pk"):
        latest.setdefault(found.person_id, found)
    rows = []
    for person in people:
        placement = latest.get(person.pk)
        if placement is not None:
            rows.append(
                PlacementRow(
                    person, placement.track_key, placement.level_number, placement.since, True
                )
            )
        else:
            rows.append(PlacementRow(person, person.track, person.level, None, False))
    return rows


def person_position(*, version: FrameworkVersion, person: Person | None) -> Position:
    """The person's newest placement, else the track and level from the people records."""
    if person is None:
        return Position(track=None, level=None, next_level=None)
    placement = placement_current(person=person)
    level_number: int | None
    if placement is not None:
        track_key, level_number = placement.track_key, placement.level_number
        since: datetime.date | None = placement.since
    else:
        track_key, level_number, since = person.track, person.level, None
    if not track_key:
        return Position(track=None, level=None, next_level=None)
    track = version.tracks.filter(key=track_key).first()
    if track is None:
        return Position(track=None, level=None, next_level=None)
    levels = {level.number: level for level in track.levels.all()}
    if level_number is None:
        return Position(track=track, level=None, next_level=None)
    return Position(
        track=track,
        level=levels.get(level_number),
        next_level=levels.get(level_number + 1),
        since=since,
        placed=placement is not None,
    )


def framework_spec(*, version: FrameworkVersion) -> FrameworkSpec:
    """The version as plain data, as a file would hold it."""
    tracks = version.tracks.prefetch_related(
        Prefetch("levels", queryset=Level.objects.prefetch_related("criteria"))
    )
    return FrameworkSpec(
        name=version.name,
        tracks=tuple(
            TrackSpec(
                key=track.key,
                name=track.name,
                description=track.description,
                levels=tuple(
                    LevelSpec(
                        number=level.number,
                        title=level.title,
                        summary=level.summary,
                        themes=tuple(
                            ThemeSpec(
                                name=theme.name, criteria=tuple(c.text for c in theme.criteria)
                            )
                            for theme in criteria_by_theme(level)
                        ),
                    )
                    for level in track.levels.all()
                ),
            )
            for track in tracks
        ),
    )
