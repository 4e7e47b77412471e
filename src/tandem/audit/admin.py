from django.contrib import admin

from tandem.audit.models import AuditEvent
from tandem.web.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "organisation", "actor_label", "action", "target_label"]
    list_filter = ["organisation", "action"]
    search_fields = ["actor_label", "target_label"]
