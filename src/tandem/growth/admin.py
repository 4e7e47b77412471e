"""Read-only admin for what is not personal: the action library and habit sets.

Plans, habits and interests are personal, and quick-feedback invitations and sheets are never
registered: together they could hint at who answered what.
"""

from django.contrib import admin

from tandem.growth.models import Habit, HabitSet, LibraryAction
from tandem.web.admin import ReadOnlyAdmin


@admin.register(LibraryAction)
class LibraryActionAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "key", "retired_at"]
    list_select_related = ["organisation"]


@admin.register(HabitSet)
class HabitSetAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "key", "retired_at"]
    list_select_related = ["organisation"]


@admin.register(Habit)
class HabitAdmin(ReadOnlyAdmin):
    list_display = ["text", "habit_set", "position"]
    list_select_related = ["habit_set"]
