from django.contrib import admin

from tandem.accounts.models import Invitation, Membership, User
from tandem.web.admin import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["email", "full_name", "is_active", "is_superuser", "last_login"]
    search_fields = ["email", "full_name"]
    exclude = ["password"]


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "organisation", "role", "person"]
    list_filter = ["organisation", "role"]
    list_select_related = ["user", "organisation", "person"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]
