"""The vision cascade: an organisation's vision and the goals that translate it, team by team.

A goal belongs to a team, which is named by its manager ("the team of X"). It links upward to
one or more goals above it, or straight to the vision (``links_to_vision``). ``changed_at`` moves
only when the words a team below translates change (title, meaning, why); ``confirmed_at`` moves
when the goal's translation is written or confirmed. Staleness is derived from the two, never
stored: see ``tandem.vision.health``.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy, gettext_noop

from tandem.people.models import Organisation, Person


class Vision(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="vision"
    )
    destination = models.TextField(help_text=gettext_lazy("Where the organisation is going."))
    why = models.TextField(help_text=gettext_lazy("Why it matters."))
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Vision of {self.organisation}"


class Goal(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="goals")
    team = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="team_goals",
        help_text=gettext_lazy("The team's manager: this is a goal of their team."),
    )
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="owned_goals")
    title = models.CharField(max_length=200)
    meaning = models.TextField(gettext_lazy("What this means for us"))
    why = models.TextField(gettext_lazy("Why it matters to each of us"))
    parents = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="children")
    links_to_vision = models.BooleanField(default=False)
    changed_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["organisation", "team"])]

    def __str__(self) -> str:
        return self.title


class KeyResult(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="key_results")
    title = models.CharField(max_length=200)
    target = models.DecimalField(max_digits=12, decimal_places=2)
    current = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(0))

    class Meta:
        ordering = ["goal", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def progress(self) -> int:
        """Percent of the target reached, 0 to 100."""
        if self.target <= 0:
            return 100 if self.current >= self.target else 0
        return max(0, min(100, int(self.current * 100 / self.target)))


class TeamWriter(models.Model):
    """A member the team's manager named to write the team's goals alongside them."""

    team = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="goal_writers",
        help_text=gettext_lazy("The team's manager."),
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="writes_goals_for")
    named_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["team", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["team", "person"], name="vision_team_writer_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} writes for the team of {self.team}"


# --- understanding pulse -------------------------------------------------------------------

# Stored in English in each pulse (``Pulse.statements``, frozen when it opens) and worded in
# the reader's language when shown: see ``shown_statement``.
PULSE_STATEMENTS = (
    gettext_noop("I can explain how my work connects to where we are going."),
    gettext_noop("I know what our team's goals mean for my own work."),
    gettext_noop("I understand why our goals matter to each of us."),
)
PULSE_SCALE = (1, 2, 3, 4, 5)


def shown_statement(statement: str) -> str:
    """A pulse statement in the reader's language. Pulses store Tandem's statements in English
    (``PULSE_STATEMENTS``); a statement the catalogues do not know is shown as stored."""
    return gettext(statement) if statement else statement


class Pulse(models.Model):
    """A short understanding pulse for one team, answered anonymously by its members.

    Answers are never stored one by one: each answer adds one to a ``PulseTally`` count, and
    ``PulseRespondent`` only records that someone has answered, so no answer can be traced to a
    person, to a time, or to an order of answering.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pulses")
    statements = models.JSONField(
        help_text=gettext_lazy("The statements, frozen when the pulse opened.")
    )
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(closed_on__isnull=True),
                name="vision_one_open_pulse_per_team",
            )
        ]

    def __str__(self) -> str:
        return f"Pulse of the team of {self.team} ({self.opened_on})"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class PulseTally(models.Model):
    """How many answers gave ``value`` to statement number ``statement``: counts, not rows.

    Every (statement, value) row is made, at zero, when the pulse opens, so not even the order
    in which rows were created says anything about the first answers.
    """

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="tallies")
    statement = models.PositiveSmallIntegerField()
    value = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pulse", "statement", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["pulse", "statement", "value"], name="vision_pulse_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Statement {self.statement + 1}, answer {self.value}: {self.count}"


class PulseRespondent(models.Model):
    """Someone has answered this pulse: it stops double answers and holds no answer."""

    pulse = models.ForeignKey(Pulse, on_delete=models.CASCADE, related_name="respondents")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pulse", "person"], name="vision_pulse_answer_once")
        ]

    def __str__(self) -> str:
        return "Someone answered the pulse"


# --- hazards -------------------------------------------------------------------------------


class HazardKind(models.TextChoices):
    RISK = "risk", gettext_lazy("Risk")
    BLOCKER = "blocker", gettext_lazy("Blocker")


class Severity(models.IntegerChoices):
    LOW = 1, gettext_lazy("Low")
    MEDIUM = 2, gettext_lazy("Medium")
    HIGH = 3, gettext_lazy("High")
    CRITICAL = 4, gettext_lazy("Critical")


class Hazard(models.Model):
    """A risk or blocker raised on a goal. It goes to the goal's owner first, then climbs the
    manager chain one level per interval until someone it reached acknowledges it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="hazards")
    kind = models.CharField(max_length=16, choices=HazardKind.choices)
    severity = models.PositiveSmallIntegerField(choices=Severity.choices)
    description = models.TextField()
    raised_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raised_at = models.DateTimeField(default=timezone.now)
    holder = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="held_hazards",
        help_text=gettext_lazy("Who has it now: the last person it reached."),
    )
    reached_at = models.DateTimeField(help_text=gettext_lazy("When the holder was reached."))
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-severity", "raised_at", "id"]
        indexes = [models.Index(fields=["organisation", "acknowledged_at", "severity"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.goal}"

    @property
    def is_open(self) -> bool:
        return self.acknowledged_at is None


class HazardStep(models.Model):
    """One person the hazard reached, and when: the owner first, then each manager above."""

    hazard = models.ForeignKey(Hazard, on_delete=models.CASCADE, related_name="steps")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(
        help_text=gettext_lazy("0 for the owner, 1 for their manager...")
    )
    reached_at = models.DateTimeField()

    class Meta:
        ordering = ["hazard", "level"]
        constraints = [
            models.UniqueConstraint(fields=["hazard", "level"], name="vision_hazard_step_unique")
        ]

    def __str__(self) -> str:
        return f"Level {self.level}"


# --- leaders everywhere --------------------------------------------------------------------


class NominationQuestion(models.TextChoices):
    DIRECTION = "direction", gettext_lazy("Who do you go to for direction?")
    ENERGY = "energy", gettext_lazy("Who do you go to for energy and encouragement?")
    DONE = "done", gettext_lazy("Who do you go to to get things done?")


class NominationSurvey(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="nomination_surveys"
    )
    opened_on = models.DateField(default=timezone.localdate)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(closed_on__isnull=True),
                name="vision_one_open_survey_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"Nomination survey of {self.opened_on}"

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Nomination(models.Model):
    """One edge of the network. Never shown to anyone, never exported, not in the admin:
    only aggregates that meet the anonymity minimum leave ``selectors.leaders``."""

    survey = models.ForeignKey(NominationSurvey, on_delete=models.CASCADE, related_name="+")
    question = models.CharField(max_length=16, choices=NominationQuestion.choices)
    nominator = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    nominee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "question", "nominator", "nominee"],
                name="vision_nomination_unique",
            )
        ]

    def __str__(self) -> str:
        # Never names the people: a nomination is not for anyone's eyes.
        return "A nomination"


class NetworkOptOut(models.Model):
    """This person is left out of the network: not shown, not counted, not nominated."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="+")
    opted_out_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return "Opted out of the network"
