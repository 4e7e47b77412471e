from django.contrib import admin

from tandem.people.models import Organisation, Person
from tandem.web.admin import ReadOnlyAdmin


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "is_demo", "created_at"]


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["name", "employee_id", "organisation", "department", "title", "status"]
    list_filter = ["organisation", "status", "track"]
    search_fields = ["name", "email", "employee_id"]
    list_select_related = ["organisation"]
