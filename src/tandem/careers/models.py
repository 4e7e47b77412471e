"""Career frameworks: tracks, levels and written criteria, kept as numbered versions.

A framework is never edited in place. Installing the default or importing a file publishes a
new ``FrameworkVersion`` with its own Track, Level and Criterion rows, and nothing changes a
published version afterwards. So anything judged against a criterion (a promotion case, a piece
of evidence) can point at that Criterion row and keep the exact words it was judged against.
"""

from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from tandem.people.models import Organisation

# What the services store in FrameworkVersion.source and Placement.note, in English; pages word
# them in the reader's language (FrameworkVersion.shown_source, Placement.shown_note).
SOURCE_DEFAULT = "Tandem default framework"
SOURCE_EDITED = "Edited in Tandem"
SOURCE_IMPORTED = "Imported from "
PROMOTION_NOTE = re.compile(r"Promotion case (?P<number>\d+)")


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
    source = models.CharField(
        max_length=255, help_text=gettext_lazy("Where it came from: default or a file.")
    )
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

    @property
    def shown_source(self) -> str:
        """Where the version came from, in the reader's language. ``source`` is stored in
        English (one of the three sentences the services write); anything else is shown as
        stored."""
        if self.source == SOURCE_DEFAULT:
            return gettext("Tandem default framework")
        if self.source == SOURCE_EDITED:
            return gettext("Edited in Tandem")
        if self.source.startswith(SOURCE_IMPORTED):
            filename = self.source.removeprefix(SOURCE_IMPORTED)
            return gettext("Imported from %(filename)s") % {"filename": filename}
        return self.source


class Track(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="tracks")
    key = models.SlugField(
        max_length=32, help_text=gettext_lazy("Matches a person's track, e.g. ic.")
    )
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
        verbose_name_plural = gettext_lazy("criteria")

    def __str__(self) -> str:
        return self.text[:80]


# --- where a person stands ---------------------------------------------------------------


class Placement(models.Model):
    """A person's track and level from a date, set by the people team. The newest one counts;
    earlier ones stay as the person's history. Track and level are keys (``ic``, 2) so a
    placement survives new framework versions."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    track_key = models.SlugField(max_length=32)
    level_number = models.PositiveSmallIntegerField()
    since = models.DateField()
    note = models.CharField(max_length=300, blank=True)
    set_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-since", "-pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.track_key} level {self.level_number} since {self.since}"

    @property
    def shown_note(self) -> str:
        """The note in the reader's language when Tandem wrote it (a promotion stores
        "Promotion case 12" in English); a note a person typed is shown as typed."""
        found = PROMOTION_NOTE.fullmatch(self.note)
        if found:
            return gettext("Promotion case %(number)s") % {"number": found["number"]}
        return self.note


# --- evidence over time ------------------------------------------------------------------


class Evidence(models.Model):
    """An accomplishment a person logged, tied to criteria of the framework version current
    when it was logged."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    what = models.CharField(max_length=300)
    details = models.TextField(blank=True)
    happened_on = models.DateField()
    link = models.URLField(blank=True, max_length=500)
    criteria = models.ManyToManyField(Criterion, related_name="evidence", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name_plural = gettext_lazy("evidence")

    def __str__(self) -> str:
        return self.what


class Endorsement(models.Model):
    """Someone else (a manager or a peer) vouching for an evidence entry, once each."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="endorsements")
    endorser = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "endorser"], name="endorsement_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.endorser} endorses {self.evidence}"


class QuarterSummary(models.Model):
    """A person's short summary of one quarter."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["person", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "year", "quarter"], name="quarter_summary_once_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.year} Q{self.quarter}"


# --- choosing a track --------------------------------------------------------------------


class MotivationCheck(models.Model):
    """A person's answers to the motivation and track-interest items of the shipped instrument,
    with the subscale scores. Private to the person: it is guidance, not a gate."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(max_length=64)
    answers = models.JSONField(
        help_text=gettext_lazy("Item id -> answer on the item's response scale.")
    )
    scores = models.JSONField(
        help_text=gettext_lazy("Section id -> subscale id -> score (or null).")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Motivation check of {self.person}"


# --- promotion cases ---------------------------------------------------------------------


class CaseStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Being written")
    PROPOSED = "proposed", gettext_lazy("Proposed for calibration")
    DECIDED = "decided", pgettext_lazy("promotion case status", "Decided")


class Outcome(models.TextChoices):
    PROMOTED = "promoted", pgettext_lazy("promotion case outcome", "Approved")
    NOT_YET = "not_yet", pgettext_lazy("promotion case outcome", "Not yet")


class Verdict(models.TextChoices):
    MET = "met", pgettext_lazy("criterion verdict", "Met")
    PARTLY = "partly", pgettext_lazy("criterion verdict", "Partly met")
    NOT_YET = "not_yet", pgettext_lazy("criterion verdict", "Not yet")


class PromotionCase(models.Model):
    """A case for a person to move to ``target_level``, judged against the framework version of
    that level (the version the case was opened against, kept even after new versions)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    advocate = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+")
    peers = models.ManyToManyField("people.Person", related_name="+", blank=True)
    status = models.CharField(max_length=16, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    opened_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    proposed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.candidate} for {self.target_level}"

    @property
    def version(self) -> FrameworkVersion:
        return self.target_level.track.version


class CaseArgument(models.Model):
    """The case for one criterion, in words, with the evidence that shows it."""

    case = models.ForeignKey(PromotionCase, on_delete=models.CASCADE, related_name="arguments")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    evidence = models.ManyToManyField(Evidence, related_name="+", blank=True)
    written_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "criterion"], name="case_argument_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.criterion}"


class PeerInput(models.Model):
    """A peer's view on a case, on the whole case or on one criterion."""

    case = models.ForeignKey(PromotionCase, on_delete=models.CASCADE, related_name="peer_inputs")
    author = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} on {self.case}"


class CriterionDecision(models.Model):
    """The decision on one criterion of a case, with its reason."""

    case = models.ForeignKey(PromotionCase, on_delete=models.CASCADE, related_name="decisions")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    reason = models.TextField()
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "criterion__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "criterion"], name="criterion_decision_once_per_criterion"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case}: {self.criterion} {self.verdict}"


# --- demographics, for the four-fifths check only ------------------------------------------


class Demographics(models.Model):
    """Optional demographic fields the organisation chooses to supply (e.g. gender, age band).

    Used only to compute selection-rate ratios in calibration, shown only to the people team,
    never to managers or on any person's page."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="career_demographics"
    )
    fields = models.JSONField(default=dict, help_text=gettext_lazy("Field name -> group label."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = gettext_lazy("demographics")

    def __str__(self) -> str:
        return f"Demographics of {self.person}"
