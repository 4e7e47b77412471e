from django.contrib import admin

from tandem.careers.models import Criterion, FrameworkVersion, Level
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
