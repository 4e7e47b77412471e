"""The audit log: who changed what, when, from which value to which."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import pgettext_lazy

from tandem.people.models import Organisation

# Tandem's own names for who acted when no person did, stored in English in ``actor_label``
# (and searched there); the log shows them in the reader's language.
ACTOR_NAMES = {
    # Translators: who did something in the audit log, when no person did.
    "system": pgettext_lazy("audit actor", "system"),
    "sign-in page": pgettext_lazy("audit actor", "sign-in page"),
    "single sign-on": pgettext_lazy("audit actor", "single sign-on"),
    "command line": pgettext_lazy("audit actor", "command line"),
}


class AuditEvent(models.Model):
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=254, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_label}"
        )

    @property
    def shown_actor(self) -> str:
        """Who acted, in the reader's language when Tandem named them (``system``)."""
        name = ACTOR_NAMES.get(self.actor_label)
        return str(name) if name is not None else self.actor_label

    def change_lines(self) -> list[tuple[str, str]]:
        """Each change as readable text: "old → new" for changes, the value for facts."""
        lines = []
        for key, value in self.changes.items():
            if isinstance(value, list) and len(value) == 2:
                old, new = ("—" if v in (None, "") else v for v in value)
                lines.append((key, f"{old} → {new}"))
            else:
                lines.append((key, str(value)))
        return lines
