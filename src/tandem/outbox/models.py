"""Every email Tandem sends, queued in the same transaction as the change that causes it.

A change never fails because the mail server does: the email is a row written with the change,
delivered right after the change commits, and retried with growing pauses when delivery fails.
Bodies can hold personal links (a rater's link, an invitation), so a body is erased as soon as
the email is delivered, and never shown in any page.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from tandem.people.models import Organisation


class MailStatus(models.TextChoices):
    QUEUED = "queued", gettext_lazy("Waiting to be sent")
    SENT = "sent", gettext_lazy("Sent")
    FAILED = "failed", gettext_lazy("Not delivered")


class OutgoingMail(models.Model):
    """One email to one address."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    kind = models.CharField(max_length=64, blank=True)
    about = models.CharField(max_length=64, blank=True)
    """What the email is about, when something counts its emails (``cycle:12``)."""
    status = models.CharField(max_length=8, choices=MailStatus.choices, default=MailStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(
                fields=["about", "kind"], condition=~models.Q(about=""), name="mail_about"
            ),
        ]

    def __str__(self) -> str:
        return f"email to {self.to}: {self.subject}"
