from django.contrib import admin

from tandem.vision.models import Goal, Hazard, KeyResult, Pulse, TeamWriter, Vision
from tandem.web.admin import ReadOnlyAdmin


@admin.register(Vision)
class VisionAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "updated_at"]
    list_select_related = ["organisation"]


@admin.register(Goal)
class GoalAdmin(ReadOnlyAdmin):
    list_display = ["title", "team", "owner", "changed_at", "confirmed_at"]
    list_select_related = ["team", "owner"]


@admin.register(KeyResult)
class KeyResultAdmin(ReadOnlyAdmin):
    list_display = ["title", "goal", "current", "target"]
    list_select_related = ["goal"]


@admin.register(TeamWriter)
class TeamWriterAdmin(ReadOnlyAdmin):
    list_display = ["team", "person", "named_at"]
    list_select_related = ["team", "person"]


@admin.register(Hazard)
class HazardAdmin(ReadOnlyAdmin):
    list_display = ["goal", "kind", "severity", "holder", "raised_at", "acknowledged_at"]
    list_select_related = ["goal", "holder"]


@admin.register(Pulse)
class PulseAdmin(ReadOnlyAdmin):
    """Only the pulse itself: its counts and who answered stay out of the admin, and
    nominations (``Nomination``) are never registered anywhere."""

    list_display = ["team", "opened_on", "closed_on"]
    list_select_related = ["team"]
