from django.contrib import admin

from tandem.vision.models import Goal, KeyResult, Vision
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
