"""Career frameworks: tracks, levels and written criteria, kept as numbered versions.

A framework is never edited in place. Installing the default or importing a file publishes a
new ``FrameworkVersion`` with its own Track, Level and Criterion rows, and nothing changes a
published version afterwards. So anything judged against a criterion (a promotion case, a piece
of evidence) can point at that Criterion row and keep the exact words it was judged against.
"""

from __future__ import annotations

from django.db import models

from tandem.people.models import Organisation


class Framework(models.Model):
    """One per organisation: the home of its versions."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="career_framework"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Career framework of {self.organisation}"


class FrameworkVersion(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    source = models.CharField(max_length=255, help_text="Where it came from: default or a file.")
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "number"], name="framework_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.number})"


class Track(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="tracks")
    key = models.SlugField(max_length=32, help_text="Matches a person's track, e.g. ic.")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="track_unique_key_per_version")
        ]

    def __str__(self) -> str:
        return self.name


class Level(models.Model):
    track = models.ForeignKey(Track, on_delete=models.CASCADE, related_name="levels")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField()

    class Meta:
        ordering = ["track", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["track", "number"], name="level_unique_number_per_track"
            )
        ]

    def __str__(self) -> str:
        return f"{self.track}, level {self.number}: {self.title}"


class Criterion(models.Model):
    level = models.ForeignKey(Level, on_delete=models.CASCADE, related_name="criteria")
    theme = models.CharField(max_length=200)
    text = models.TextField()
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["level", "position"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return self.text[:80]
