"""Reads of career frameworks. Every read is scoped to one organisation."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from tandem.careers.frameworkfile import FrameworkSpec, LevelSpec, ThemeSpec, TrackSpec
from tandem.careers.models import Criterion, FrameworkVersion, Level, Track
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


def person_position(*, version: FrameworkVersion, person: Person | None) -> Position:
    if person is None or not person.track:
        return Position(track=None, level=None, next_level=None)
    track = version.tracks.filter(key=person.track).first()
    if track is None:
        return Position(track=None, level=None, next_level=None)
    levels = {level.number: level for level in track.levels.all()}
    if person.level is None:
        return Position(track=track, level=None, next_level=None)
    return Position(
        track=track, level=levels.get(person.level), next_level=levels.get(person.level + 1)
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
