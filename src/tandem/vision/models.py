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

from tandem.people.models import Organisation, Person


class Vision(models.Model):
    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="vision"
    )
    destination = models.TextField(help_text="Where the organisation is going.")
    why = models.TextField(help_text="Why it matters.")
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
        help_text="The team's manager: this is a goal of their team.",
    )
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="owned_goals")
    title = models.CharField(max_length=200)
    meaning = models.TextField("What this means for us")
    why = models.TextField("Why it matters to each of us")
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
