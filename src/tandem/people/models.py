"""Organisations and their people, as an HRIS knows them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy, pgettext_lazy


class Organisation(models.Model):
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(default=False)
    # The language Tandem writes in to people who have not chosen their own (invitations,
    # rater emails); a code of settings.LANGUAGES.
    language = models.CharField(max_length=10, default="en-gb")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Track(models.TextChoices):
    INDIVIDUAL_CONTRIBUTOR = "ic", gettext_lazy("Individual contributor")
    PEOPLE_MANAGER = "manager", gettext_lazy("People manager")
    LEADERSHIP_WITHOUT_REPORTS = "lead", gettext_lazy("Leadership without reports")


class PersonStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("person status", "Active")
    ARCHIVED = "archived", pgettext_lazy("person status", "Left (archived)")


class PersonQuerySet(models.QuerySet["Person"]):
    def active(self) -> PersonQuerySet:
        return self.filter(status=PersonStatus.ACTIVE)

    def in_organisation(self, organisation: Organisation) -> PersonQuerySet:
        return self.filter(organisation=organisation)


class Person(models.Model):
    """Someone in an organisation. People who leave are archived, never deleted."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people")
    employee_id = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    email = models.EmailField()
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    title = models.CharField(max_length=200, blank=True)
    department = models.CharField(max_length=200, blank=True)
    location = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    track = models.CharField(max_length=16, choices=Track.choices, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=PersonStatus.choices, default=PersonStatus.ACTIVE
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_id"], name="person_unique_employee_id"
            ),
            models.UniqueConstraint(fields=["organisation", "email"], name="person_unique_email"),
        ]
        indexes = [models.Index(fields=["organisation", "status", "department"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == PersonStatus.ACTIVE


class PeopleImportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("people import status", "Waiting for review")
    APPLIED = "applied", pgettext_lazy("people import status", "Applied")
    DISCARDED = "discarded", pgettext_lazy("people import status", "Discarded")


class PeopleImport(models.Model):
    """An uploaded HRIS export on its way through mapping and preview. Nothing else is saved
    until it is applied, and then all of it is saved or none of it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    mapping = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16, choices=PeopleImportStatus.choices, default=PeopleImportStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename
