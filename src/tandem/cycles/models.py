"""Assessment cycles: who rates whom, the answers while a cycle runs, and what survives release.

Two kinds of tables, on purpose:

* While a cycle runs, answers are tied to a :class:`Nomination` (a rater asked to rate a
  participant), so a rater can come back, change an answer, or finish later.
* At release, :func:`tandem.cycles.release.cycle_release` copies every sheet into
  :class:`ReleasedSheet` / :class:`ReleasedAnswer` rows that carry no rater and no nomination, in
  random order under random ids, stores each participant's report, and deletes the live
  answers. From then on nobody, administrators included, can tell who gave which answer. See
  ``docs/cycles.md``.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy

from tandem.people.models import Organisation, Person

RATER_GROUPS = (
    ("self", pgettext_lazy("rater group", "Self")),
    ("manager", pgettext_lazy("rater group", "Manager")),
    ("peer", pgettext_lazy("rater group", "Peer")),
    ("direct_report", pgettext_lazy("rater group", "Direct report")),
    ("other", pgettext_lazy("rater group", "Other colleague")),
)
"""The rater groups, as in :data:`tandem.measure.GROUPS`."""


class InstrumentVersion(models.Model):
    """One version of a questionnaire, as YAML text in the ``tandem-instrument/1`` format.

    An organisation starts from a copy of the shipped instrument and may edit its copies.
    A version used by a cycle that has been launched cannot change (see ``is_locked``).
    """

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="instrument_versions"
    )
    name = models.CharField(max_length=200)
    text = models.TextField()
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_locked(self) -> bool:
        return self.cycles.exclude(status=CycleStatus.DRAFT).exists()


class CycleStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("cycle status", "Draft")
    OPEN = "open", pgettext_lazy("cycle status", "Open")
    CLOSED = "closed", pgettext_lazy("cycle status", "Closed")
    RELEASED = "released", pgettext_lazy("cycle status", "Reports released")


class CycleScope(models.TextChoices):
    EVERYONE = "everyone", gettext_lazy("Everyone")
    DEPARTMENT = "department", gettext_lazy("One department")
    CHOSEN = "chosen", gettext_lazy("Chosen people")


def default_minimums() -> dict[str, int]:
    return {"self": 1, "manager": 1, "peer": 3, "direct_report": 3, "other": 3}


def default_maximums() -> dict[str, int]:
    return {"manager": 1, "peer": 8, "direct_report": 12, "other": 6}


class Cycle(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cycles")
    name = models.CharField(max_length=200)
    instrument = models.ForeignKey(
        InstrumentVersion, on_delete=models.PROTECT, related_name="cycles"
    )
    status = models.CharField(max_length=16, choices=CycleStatus.choices, default=CycleStatus.DRAFT)
    scope = models.CharField(max_length=16, choices=CycleScope.choices, default=CycleScope.EVERYONE)
    department = models.CharField(max_length=200, blank=True)
    chosen = models.ManyToManyField(Person, blank=True, related_name="+")
    opens_on = models.DateField()
    closes_on = models.DateField()
    reminder_every_days = models.PositiveSmallIntegerField(default=3)
    minimums = models.JSONField(default=default_minimums)
    maximums = models.JSONField(default=default_maximums)
    manager_sees_report_default = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    release_queued_at = models.DateTimeField(null=True, blank=True)
    """When a release too large for one request was handed to the workers (until it is done)."""
    # Computed at release over everyone's others-ratings: per scale {"sd": ..., "alpha": ...},
    # what the reliable change index of a later cycle needs.
    statistics = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]

    def __str__(self) -> str:
        return self.name


class NominationsState(models.TextChoices):
    OPEN = "open", gettext_lazy("Being chosen")
    SUBMITTED = "submitted", gettext_lazy("Waiting for the manager")
    APPROVED = "approved", pgettext_lazy("list of raters", "Approved")


class Participant(models.Model):
    """A person being assessed in a cycle."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="participations")
    nominations_state = models.CharField(
        max_length=16, choices=NominationsState.choices, default=NominationsState.OPEN
    )
    manager_may_view = models.BooleanField(default=True)
    approved_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["person__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="participant_once_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.person} in {self.cycle}"


class Nomination(models.Model):
    """A rater asked to rate a participant (the participant themself for group "self").

    ``approved`` is False for raters the participant proposed and the manager has not yet
    approved; only approved nominations receive links. ``finished_at`` is set when the rater
    says they are done; answers can still change until the cycle closes.
    """

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="nominations"
    )
    rater = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="nominations_to_rate")
    group = models.CharField(max_length=16, choices=RATER_GROUPS)
    approved = models.BooleanField(default=False)
    invited_at = models.DateTimeField(null=True, blank=True)
    started = models.BooleanField(default=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["participant", "group", "rater__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "rater"], name="nomination_one_per_rater"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rater} rates {self.participant.person} as {self.group}"


class RaterLink(models.Model):
    """A rater's personal inbox for a cycle. Its tokens are stored only as SHA-256 hashes."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="rater_links")
    rater = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "rater"], name="rater_link_once_per_cycle")
        ]

    def __str__(self) -> str:
        return f"inbox of {self.rater} in {self.cycle}"


class RaterToken(models.Model):
    """One emailed link. Every email carries a fresh token; earlier ones keep working."""

    link = models.ForeignKey(RaterLink, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return "link token (hash only)"


class Answer(models.Model):
    """A live answer, while the cycle runs: deleted at release. ``value`` None = no answer."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=64)
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nomination", "item_id"], name="answer_once_per_item")
        ]

    def __str__(self) -> str:
        return f"answer to {self.item_id}"


class ReleasedSheet(models.Model):
    """One rater's answers about one participant, after release: no rater, no time, random id.

    ``group`` is the rater's group when that group is shown on its own; groups only shown
    inside the pooled "others" are stored as "other", and sheets that no shown figure uses
    are not kept at all.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="released_sheets"
    )
    group = models.CharField(max_length=16, choices=RATER_GROUPS)

    def __str__(self) -> str:
        return f"anonymous {self.group} sheet"


class ReleasedAnswer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sheet = models.ForeignKey(ReleasedSheet, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=64)
    value = models.SmallIntegerField()

    def __str__(self) -> str:
        return f"anonymous answer to {self.item_id}"


class ReleasedComment(models.Model):
    """An open comment that passed the anonymity rule: no rater, no group, random order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="released_comments"
    )
    question_id = models.CharField(max_length=64)
    text = models.TextField()
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"anonymous comment on {self.question_id}"


class Report(models.Model):
    """A participant's report as computed at release by ``tandem.measure`` (JSON-ready dict).

    It holds only aggregates the anonymity rule allows.
    """

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="report")
    data = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    # A released report never changes, so its page body and PDF are rendered once and kept,
    # each with the key of what it was rendered from (tandem.cycles.reporting.rendered).
    body_html = models.TextField(blank=True, default="")
    body_key = models.CharField(max_length=64, blank=True, default="")
    pdf = models.FileField(upload_to="reports/", blank=True, default="")
    pdf_key = models.CharField(max_length=64, blank=True, default="")

    def __str__(self) -> str:
        return f"report of {self.participant}"
