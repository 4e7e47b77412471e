from django.contrib import admin

from tandem.careers.models import (
    Criterion,
    CriterionDecision,
    FrameworkVersion,
    Level,
    Placement,
    PromotionCase,
)
from tandem.web.admin import ReadOnlyAdmin


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(ReadOnlyAdmin):
    list_display = ["name", "number", "framework", "source", "published_at"]
    list_select_related = ["framework__organisation"]


@admin.register(Level)
class LevelAdmin(ReadOnlyAdmin):
    list_display = ["title", "number", "track"]
    list_select_related = ["track"]


@admin.register(Criterion)
class CriterionAdmin(ReadOnlyAdmin):
    list_display = ["text", "theme", "level"]
    list_select_related = ["level__track"]


# Cases, decisions and placements are shown read-only. Motivation checks, quarterly summaries
# and demographic fields are private to a person or to the people team, so they are not here.


@admin.register(Placement)
class PlacementAdmin(ReadOnlyAdmin):
    list_display = ["person", "track_key", "level_number", "since", "set_at"]
    list_select_related = ["person"]


@admin.register(PromotionCase)
class PromotionCaseAdmin(ReadOnlyAdmin):
    list_display = ["candidate", "target_level", "status", "outcome", "opened_at", "decided_at"]
    list_select_related = ["candidate", "target_level__track"]


@admin.register(CriterionDecision)
class CriterionDecisionAdmin(ReadOnlyAdmin):
    list_display = ["case", "criterion", "verdict", "decided_at"]
    list_select_related = ["case__candidate", "case__target_level__track", "criterion"]
