"""Growth: development plans, the library of development actions, interests, quick feedback
and weekly habits.

* A person has one :class:`Plan` that continues from cycle to cycle. Each released report can
  add :class:`FocusArea` rows (a strength to sharpen or a gap to shore up, on one scale); the
  plan's :class:`PlanAction` rows are what the person will do, each with an owner, a due date,
  what success looks like and a status. :class:`ActionNote` rows are check-ins (progress) and
  the manager's comments.
* :class:`LibraryAction` is the library of development actions. Rows without an organisation
  are Tandem's own defaults (seeded by a data migration); the people team adds their own,
  corrects them and retires them (``retired_at``: no longer offered, never deleted, so plan
  actions made from them keep their link). An organisation hides one of Tandem's own from its
  library with a :class:`HiddenLibraryAction` row.
* Quick feedback: a :class:`FeedbackRequest` asks a few colleagues (:class:`FeedbackInvite`)
  about one or two scales. An answer is stored as a :class:`FeedbackSheet` that carries no
  respondent, no time and a random id, so nobody can tell who gave which answer; the invite
  only remembers that its respondent has answered.
* Habits: a :class:`HabitSet` of :class:`Habit` rows a person adopts (:class:`HabitAdoption`),
  ticked week by week (:class:`HabitTick`, ISO weeks). Private to the person.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from tandem.people.models import Organisation, Person


def tandem_text(text: str, *, own: bool) -> str:
    """A library or habit text as shown: Tandem's own (``own``) are stored in English and shown
    in the reader's language (their msgids are marked in :mod:`tandem.growth.defaults`); what
    an organisation wrote is shown as written."""
    return gettext(text) if own and text else text


class FocusKind(models.TextChoices):
    STRENGTH = "strength", gettext_lazy("Strength to sharpen")
    GAP = "gap", gettext_lazy("Gap to shore up")


class Plan(models.Model):
    """A person's development plan. One per person: it carries over from cycle to cycle."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="growth_plan")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Development plan of {self.person}"


class FocusArea(models.Model):
    """One scale the person chose to work on, and the cycle whose report suggested it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="focus_areas")
    scale_id = models.CharField(max_length=64)
    scale_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=16, choices=FocusKind.choices)
    reason = models.CharField(max_length=300, blank=True)
    cycle = models.ForeignKey(
        "cycles.Cycle", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cycle_name = models.CharField(max_length=200, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "scale_id", "kind", "cycle"], name="focus_once_per_cycle"
            )
        ]

    def __str__(self) -> str:
        # Stored as the audit log's target label: always in English.
        with translation.override(None):
            return f"{self.get_kind_display()}: {self.scale_name}"


class LibraryAction(models.Model):
    """A development action and the scales it grows. ``organisation`` None = Tandem's own."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.SlugField(
        max_length=64, blank=True, help_text=gettext_lazy("Stable key of Tandem's own.")
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    scale_ids = models.JSONField(
        default=list, help_text=gettext_lazy("Scale ids this action grows.")
    )
    success_hint = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(organisation__isnull=True),
                name="library_default_key_unique",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def shown_title(self) -> str:
        return tandem_text(self.title, own=self.organisation_id is None)

    @property
    def shown_description(self) -> str:
        return tandem_text(self.description, own=self.organisation_id is None)

    @property
    def shown_success_hint(self) -> str:
        return tandem_text(self.success_hint, own=self.organisation_id is None)


class HiddenLibraryAction(models.Model):
    """One of Tandem's own library actions that an organisation no longer offers its people."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    action = models.ForeignKey(LibraryAction, on_delete=models.CASCADE, related_name="hidden_in")
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "action"], name="hide_action_once")
        ]

    def __str__(self) -> str:
        return f"{self.action} hidden in {self.organisation}"


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", gettext_lazy("Not started")
    IN_PROGRESS = "in_progress", gettext_lazy("In progress")
    DONE = "done", pgettext_lazy("action status", "Done")
    DROPPED = "dropped", gettext_lazy("Dropped")


class PlanAction(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    focus = models.ForeignKey(
        FocusArea, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    library_action = models.ForeignKey(
        LibraryAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    success = models.TextField(gettext_lazy("What success looks like"))
    status = models.CharField(
        max_length=16, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in {ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS}


class NoteKind(models.TextChoices):
    CHECK_IN = "check_in", gettext_lazy("Check-in")
    COMMENT = "comment", gettext_lazy("Manager's comment")


class ActionNote(models.Model):
    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=16, choices=NoteKind.choices)
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        # Stored as the audit log's target label: always in English.
        with translation.override(None):
            return f"{self.get_kind_display()} on {self.action}"


class Interest(models.Model):
    """Something a person loves working on, in their own words."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="growth_interests")
    text = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text


# --- quick feedback --------------------------------------------------------------------------


class FeedbackStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Collecting answers")
    CLOSED = "closed", pgettext_lazy("quick feedback status", "Closed")


class FeedbackRequest(models.Model):
    """A person asks a few colleagues about one or two scales between cycles.

    ``questions`` is a snapshot of what was asked: ``{"scales": [{"id", "name", "items":
    [{"id", "text", "reverse"}]}], "labels": {value: label}, "minimum": int, "maximum": int,
    "not_observed": label or ""}``, so later edits to the instrument never change it.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feedback_requests")
    questions = models.JSONField()
    minimums = models.JSONField()
    note = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=16, choices=FeedbackStatus.choices, default=FeedbackStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Quick feedback for {self.person}"

    @property
    def is_open(self) -> bool:
        return self.status == FeedbackStatus.OPEN

    @property
    def scale_names(self) -> list[str]:
        return [str(scale["name"]) for scale in self.questions.get("scales", [])]

    @property
    def scale_names_text(self) -> str:
        """The scales asked about, in a phrase: "Planning" or "Planning and Aligning"."""
        names = self.scale_names
        if len(names) == 2:
            return gettext("%(first)s and %(second)s") % {"first": names[0], "second": names[1]}
        return ", ".join(names)


class FeedbackInvite(models.Model):
    """One colleague asked. ``token_hash`` is the SHA-256 of the emailed link's token."""

    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="invites")
    respondent = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    answered = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "respondent"], name="invite_once")
        ]

    def __str__(self) -> str:
        return f"quick feedback invite to {self.respondent}"


class FeedbackSheet(models.Model):
    """One answer to a request: no respondent, no time, a random id.

    Everyone asked is pooled as one group of colleagues ("other"), so even a manager's answer
    is never shown on its own.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(FeedbackRequest, on_delete=models.CASCADE, related_name="sheets")
    group = models.CharField(max_length=16)
    values = models.JSONField(help_text=gettext_lazy("item id -> value, None for not observed"))

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return "anonymous quick feedback"


# --- habits ----------------------------------------------------------------------------------

HABITS_PER_SET_MAX = 10
HABIT_TEXT_MAX = 200


class HabitSet(models.Model):
    """Habits adopted together. ``organisation`` None = Tandem's own; the people team makes
    their organisation's own, which they may edit until someone adopts one and retire
    (``retired_at``: no new adoptions, existing ones carry on)."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    key = models.SlugField(max_length=64, blank=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=models.Q(organisation__isnull=True),
                name="habit_set_default_key_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def shown_name(self) -> str:
        return tandem_text(self.name, own=self.organisation_id is None)

    @property
    def shown_description(self) -> str:
        return tandem_text(self.description, own=self.organisation_id is None)


class Habit(models.Model):
    habit_set = models.ForeignKey(HabitSet, on_delete=models.CASCADE, related_name="habits")
    key = models.SlugField(max_length=64)
    text = models.CharField(max_length=HABIT_TEXT_MAX)
    hint = models.CharField(max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["habit_set", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["habit_set", "key"], name="habit_key_once_per_set")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def shown_text(self) -> str:
        return tandem_text(self.text, own=self.habit_set.organisation_id is None)

    @property
    def shown_hint(self) -> str:
        return tandem_text(self.hint, own=self.habit_set.organisation_id is None)


class HabitAdoption(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="habit_adoptions")
    habit_set = models.ForeignKey(HabitSet, on_delete=models.CASCADE, related_name="adoptions")
    active = models.BooleanField(default=True)
    reminders = models.BooleanField(default=True)
    adopted_at = models.DateTimeField(auto_now_add=True)
    # ISO week ("2026-W48") of the last reminder, so each week gets at most one.
    last_reminded_week = models.CharField(max_length=8, blank=True)

    class Meta:
        ordering = ["habit_set__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["person", "habit_set"], name="adopt_set_once")
        ]

    def __str__(self) -> str:
        return f"{self.person} keeps {self.habit_set}"


class HabitTick(models.Model):
    adoption = models.ForeignKey(HabitAdoption, on_delete=models.CASCADE, related_name="ticks")
    habit = models.ForeignKey(Habit, on_delete=models.CASCADE, related_name="+")
    week = models.CharField(max_length=8, help_text=gettext_lazy('ISO week, as "2026-W48".'))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["adoption", "habit", "week"], name="tick_once_a_week")
        ]

    def __str__(self) -> str:
        return f"{self.habit} in {self.week}"
