"""Organisation tokens, and what an identity provider says about people beyond Tandem's fields."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy

from tandem.integrations.scopes import TOKEN_KIND_NAMES, TokenKind
from tandem.integrations.tokens import visible_part
from tandem.people.models import Organisation, Person


class OrganisationTokenQuerySet(models.QuerySet["OrganisationToken"]):
    def live(self) -> OrganisationTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class OrganisationToken(models.Model):
    """A secret another system presents to act for an organisation.

    Only a SHA-256 hash of the secret is kept; the secret itself is shown once, when made.
    Revoked tokens stay (their audit trail names them) but never open anything again.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=TokenKind.choices)
    name = models.CharField(max_length=100, blank=True)
    lookup = models.CharField(max_length=16, unique=True)
    secret_hash = models.CharField(max_length=64)
    scopes = models.JSONField(default=list)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="personal_tokens",
        help_text=gettext_lazy(
            "Whose token a personal token is: it reads only what they may read."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = OrganisationTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "kind"])]

    def __str__(self) -> str:
        # English whatever the language (the audit log keeps this label); pages word a token
        # themselves (views.tokens.token_words).
        label = f"{TOKEN_KIND_NAMES.get(self.kind, self.kind)} token {self.visible}"
        return f"{label} ({self.name})" if self.name else label

    @property
    def visible(self) -> str:
        return visible_part(self.kind, self.lookup)

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


class ScimUser(models.Model):
    """What an identity provider said about a person that Tandem's Person does not hold.

    A person made by the people import has no row here, and SCIM shows them with their email
    as their userName. ``removed_at`` is set by a SCIM DELETE: the person is archived (never
    deleted, so their history stays) and SCIM answers 404 for them from then on.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="scim")
    user_name = models.CharField(max_length=254)
    # userName compares without case (RFC 7643 §4.1.1): its case-folded form is unique.
    user_name_key = models.CharField(max_length=254)
    external_id = models.CharField(max_length=254, blank=True)
    display_name = models.CharField(max_length=200, blank=True)
    name_formatted = models.CharField(max_length=200, blank=True)
    given_name = models.CharField(max_length=200, blank=True)
    family_name = models.CharField(max_length=200, blank=True)
    email_type = models.CharField(max_length=32, blank=True)
    email_primary = models.BooleanField(null=True, blank=True)
    # False when the provider sent no employeeNumber and Tandem made the employee id up.
    employee_number_given = models.BooleanField(default=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user_name_key"], name="scim_user_unique_user_name"
            )
        ]
        indexes = [models.Index(fields=["organisation", "external_id"])]

    def __str__(self) -> str:
        return self.user_name


class WebhookEvent(models.TextChoices):
    CYCLE_LAUNCHED = "cycle.launched", gettext_lazy("A cycle was launched")
    CYCLE_CLOSED = "cycle.closed", gettext_lazy("A cycle was closed")
    CYCLE_RELEASED = "cycle.released", gettext_lazy("A cycle's reports were released")
    NOMINATIONS_APPROVED = (
        "nominations.approved",
        gettext_lazy("A manager approved someone's raters"),
    )
    CASE_DECIDED = "promotion_case.decided", gettext_lazy("A promotion case was decided")
    GOAL_CHANGED = "goal.changed", gettext_lazy("A team goal was written or changed")
    HAZARD_RAISED = "hazard.raised", gettext_lazy("A hazard was raised")


class WebhookEndpoint(models.Model):
    """Where an organisation wants to hear about events. The signing secret is kept as it is
    (signing needs it) and shown once, when the endpoint is added."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=100, blank=True)
    url = models.URLField(max_length=500)
    events = models.JSONField(default=list)
    secret = models.CharField(max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    disabled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"webhook {self.name or self.url}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("webhook delivery", "Waiting to be sent")
    DELIVERED = "delivered", pgettext_lazy("webhook delivery", "Delivered")
    FAILED = "failed", pgettext_lazy("webhook delivery", "Not delivered")


class WebhookDelivery(models.Model):
    """One event for one endpoint, tried until the endpoint answers 2xx or the tries run out."""

    id = models.UUIDField(primary_key=True)
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["endpoint", "status"])]

    def __str__(self) -> str:
        return f"{self.event} to {self.endpoint}"


class WebhookAttempt(models.Model):
    """One try of a delivery and what the endpoint answered (the first 500 characters)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    milliseconds = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"try of {self.delivery} at {self.at}"
