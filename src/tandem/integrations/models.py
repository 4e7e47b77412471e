"""Organisation tokens, and what an identity provider says about people beyond Tandem's fields."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tandem.integrations.scopes import TokenKind
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
        label = f"{self.get_kind_display()} token {self.visible}"
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
