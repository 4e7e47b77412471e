"""Django's admin, for superusers only, and read-only for the domain.

Changes to people, roles and everything else go through Tandem's services so that they are
validated and audited; the admin is a window for whoever runs the installation. Models that
could link a rater to an answer are never registered here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from tandem import access


class TandemAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Tandem administration")
    site_title = gettext_lazy("Tandem admin")

    def has_permission(self, request: HttpRequest) -> bool:
        return access.can_use_django_admin(request.user)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Shows, never changes: writes belong to the audited services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return access.can_use_django_admin(request.user)
